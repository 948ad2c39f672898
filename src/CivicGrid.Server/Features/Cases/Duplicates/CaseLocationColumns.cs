using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>
/// A case's longitude and latitude as plain columns beside its geometry, readable by plain SQL on both providers:
/// SQLite keeps geometry as WKB, which SQL cannot look into. They are shadow
/// properties (the domain knows only <see cref="Case.Location"/>), written from the location by every save that adds a
/// case or changes its location (<see cref="Case.MovePin"/>), so they always equal the geometry: the open-case index
/// reloads from them.
/// </summary>
public static class CaseLocationColumns
{
    public const string Lon = "LocationLon";
    public const string Lat = "LocationLat";

    /// <summary>Fills the columns of every case being added or moved, whoever saves it (intake, imports, the demo, tests).</summary>
    public static SaveChangesInterceptor Interceptor { get; } = new Stamp();

    /// <summary>The columns' values for a case written past the save pipeline (<see cref="Infrastructure.Persistence.BulkRows"/>); null for any other property.</summary>
    public static object? ValueOf(object entity, IProperty property) => entity is Case { Location: { } location } && property.DeclaringType.ClrType == typeof(Case)
        ? property.Name switch { Lon => location.X, Lat => location.Y, _ => null }
        : null;

    public static void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.Property<double?>(Lon);
        builder.Property<double?>(Lat);

        // No index on them: the duplicate search reads the in-memory index of open cases (OpenCaseIndex), which loads
        // them from these columns without decoding geometry; an index would only cost every insert.
    }

    private sealed class Stamp : SaveChangesInterceptor, INewRowsSaveHook
    {
        public void Saving(DbContext context) => Fill(context);

        public void Saved(DbContext context)
        {
        }

        public void Failed(DbContext context)
        {
        }

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Fill(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            Fill(eventData.Context);
            return ValueTask.FromResult(result);
        }

        private static void Fill(DbContext? context)
        {
            if (context is null)
            {
                return;
            }

            foreach (var entry in context.ChangeTracker.Entries<Case>())
            {
                if ((entry.State == EntityState.Added || (entry.State == EntityState.Modified && entry.Property(c => c.Location).IsModified))
                    && entry.Entity.Location is { } location)
                {
                    entry.Property<double?>(Lon).CurrentValue = location.X;
                    entry.Property<double?>(Lat).CurrentValue = location.Y;
                }
            }
        }
    }
}
