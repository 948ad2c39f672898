using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Columns of personal data sealed at rest by <see cref="FieldVault"/> (ADR 0019): the entity holds the clear value, the
/// column the sealed one, and an optional blind index column beside it holds the value's HMAC for exact-match search and
/// uniqueness. Marked on the model (annotations), so the key rotation and the start-up sealing of older clear rows
/// (<see cref="ColumnSealer"/>) find every such column without a list to keep.
/// </summary>
public static class SealedColumns
{
    /// <summary>Annotation on a sealed property: the field name sealed values carry as associated data.</summary>
    public const string FieldAnnotation = "CivicGrid:SealedField";

    /// <summary>Annotation on a blind index property: "sealed property name\nkind" (the kind keys the HMAC: phone, name, idNumber).</summary>
    public const string IndexAnnotation = "CivicGrid:BlindIndexOf";

    /// <summary>The sealed properties of an entity type, with the blind index beside each (or null).</summary>
    public static IReadOnlyList<(IProperty Sealed, string Field, IProperty? Index, string? Kind)> Of(IEntityType type) =>
        Cache.GetOrAdd(type, static t =>
        {
            var indexes = t.GetProperties()
                .Select(p => (Property: p, Target: p.FindAnnotation(IndexAnnotation)?.Value as string))
                .Where(p => p.Target is not null)
                .ToDictionary(p => p.Target!.Split('\n')[0], p => (p.Property, Kind: p.Target!.Split('\n')[1]), StringComparer.Ordinal);
            return [.. t.GetProperties()
                .Where(p => p.FindAnnotation(FieldAnnotation) is not null)
                .Select(p => (p, (string)p.FindAnnotation(FieldAnnotation)!.Value!,
                    indexes.TryGetValue(p.Name, out var index) ? index.Property : null, indexes.TryGetValue(p.Name, out index) ? index.Kind : null))];
        });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, IReadOnlyList<(IProperty, string, IProperty?, string?)>> Cache = new();

    /// <summary>
    /// Sets the blind index of every sealed property that was added or changed in a tracked entry: run on every save,
    /// before EF's pipeline or the intake's prepared inserts, so an index never lags its value. One HMAC per changed value.
    /// </summary>
    internal static void IndexChanges(DbContext db, FieldVault? vault)
    {
        if (vault is null)
        {
            return;
        }

        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var (sealedProperty, _, index, kind) in Of(entry.Metadata))
            {
                if (index is null)
                {
                    continue;
                }

                var value = entry.Property(sealedProperty);
                if (entry.State == EntityState.Added || value.IsModified)
                {
                    var clear = value.CurrentValue as string;
                    entry.Property(index).CurrentValue = string.IsNullOrWhiteSpace(clear) ? null : vault.Index(kind!, clear);
                }
            }
        }
    }

    /// <summary>
    /// The value of <paramref name="property"/> for <paramref name="entity"/> when it is a blind index (computed from the
    /// sealed property beside it), for writers that bypass the save path (<see cref="BulkRows"/>); null otherwise.
    /// </summary>
    internal static string? IndexFor(FieldVault? vault, object entity, IProperty property)
    {
        if (vault is null || property.FindAnnotation(IndexAnnotation)?.Value is not string target)
        {
            return null;
        }

        var parts = target.Split('\n');
        var clear = property.DeclaringType.FindProperty(parts[0])?.GetGetter().GetClrValue(entity) as string;
        return string.IsNullOrWhiteSpace(clear) ? null : vault.Index(parts[1], clear);
    }

    /// <summary>
    /// The converter of a sealed column: seals on the way in, opens on the way out (a value written before the column was
    /// sealed comes back as it is, until <see cref="ColumnSealer"/> seals it). Without a key ring (the design-time factory,
    /// which only reads the schema) it refuses to convert.
    /// </summary>
    internal sealed class Converter(FieldVault? vault, string field) : ValueConverter<string, string>(
        clear => Ring(vault).Seal(field, clear),
        stored => Ring(vault).OpenStored(field, stored))
    {
        private static FieldVault Ring(FieldVault? vault) =>
            vault ?? throw new InvalidOperationException("Sealed columns need the key ring (FieldVault) of the application's services; this context was made without them.");
    }

    /// <summary>
    /// One model per key ring: the sealed columns' converters hold the ring of the application that built the model, so
    /// two applications in one process (the tests) with different data directories never share one.
    /// </summary>
    internal sealed class ModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => (context.GetType(), (context as CivicGridDbContext)?.Vault, designTime);
    }

    /// <summary>The application's key ring, or null for options made without the application's services.</summary>
    internal static FieldVault? VaultOf(DbContextOptions options) =>
        options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<FieldVault>();
}
