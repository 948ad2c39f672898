using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Hotline;

public sealed class HotlineMappingConfiguration : IEntityTypeConfiguration<HotlineMapping>
{
    public void Configure(EntityTypeBuilder<HotlineMapping> builder)
    {
        builder.ToTable("hotline_mappings");
        builder.HasKey(m => m.Name);
        builder.Property(m => m.Name).HasMaxLength(64);
        foreach (var column in new[] { nameof(HotlineMapping.OrderNumberColumn), nameof(HotlineMapping.CalledAtColumn), nameof(HotlineMapping.CallerNameColumn),
                     nameof(HotlineMapping.PhoneColumn), nameof(HotlineMapping.AddressColumn), nameof(HotlineMapping.ContentColumn), nameof(HotlineMapping.CategoryColumn) })
        {
            builder.Property<string>(column).HasMaxLength(64).IsRequired();
        }

        builder.Property(m => m.DefaultCategoryCode).HasMaxLength(16);
        builder.Property(m => m.Categories).HasConversion(
            map => JsonSerializer.Serialize(new SortedDictionary<string, string>(map, StringComparer.Ordinal), (JsonSerializerOptions?)null),
            json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
            new ValueComparer<Dictionary<string, string>>((a, b) => a!.Count == b!.Count && !a.Except(b).Any(), m => m.Count, m => new Dictionary<string, string>(m)));
        builder.HasData(HotlineMapping.Default());
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class HotlineTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<HotlineMapping> HotlineMappings => db.Set<HotlineMapping>();
    }
}
