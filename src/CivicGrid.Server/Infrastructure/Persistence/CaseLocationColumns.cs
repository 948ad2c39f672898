using CivicGrid.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// A case's longitude and latitude as plain columns beside its geometry, so that "cases near here" is a bounding-box
/// range on an index on both providers: SQLite keeps geometry as WKB, which SQL cannot look into. They are shadow
/// properties (the domain knows only <see cref="Case.Location"/>), written from the location whenever a case is added;
/// a case's location never changes afterwards.
/// </summary>
public static class CaseLocationColumns
{
    public const string Lon = "LocationLon";
    public const string Lat = "LocationLat";

    /// <summary>Fills the columns of every case being added, whoever adds it (intake, imports, the demo, tests).</summary>
    public static SaveChangesInterceptor Interceptor { get; } = new Stamp();

    public static void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.Property<double?>(Lon);
        builder.Property<double?>(Lat);

        // Latitude first: a 200 m band of latitude is a small slice of a city; longitude narrows it inside the index.
        builder.HasIndex(Lat, Lon).HasDatabaseName("IX_cases_LocationLat_LocationLon");

        // Duplicate search: related categories near a point. Led by the category (equality) so that neither database
        // prefers the plain category index and reads every case of the category ever reported.
        builder.HasIndex(nameof(Case.CategoryCode), Lat, Lon).HasDatabaseName("IX_cases_CategoryCode_LocationLat_LocationLon");
    }

    private sealed class Stamp : SaveChangesInterceptor
    {
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
                if (entry.State == EntityState.Added && entry.Entity.Location is { } location)
                {
                    entry.Property<double?>(Lon).CurrentValue = location.X;
                    entry.Property<double?>(Lat).CurrentValue = location.Y;
                }
            }
        }
    }
}
