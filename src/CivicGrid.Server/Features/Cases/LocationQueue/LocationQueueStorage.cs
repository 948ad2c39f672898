using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Cases.LocationQueue;

public sealed class LocationClaimConfiguration(EntityModel model) : IEntityTypeConfiguration<LocationClaim>
{
    public void Configure(EntityTypeBuilder<LocationClaim> builder)
    {
        builder.ToTable("case_location_claims");
        builder.HasKey(c => c.Id);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.CaseId, c.GridCode }).IsUnique();
        builder.HasIndex(c => new { c.GridCode, c.ResolvedAt });
        builder.HasIndex(c => new { c.ResolvedAt, c.DueAt });
        builder.Property(c => c.CaseNumber).HasMaxLength(20).IsRequired();
        builder.Property(c => c.GridCode).HasMaxLength(32).IsRequired();
        builder.Property(c => c.ResolvedToGridCode).HasMaxLength(32);
        builder.Property(c => c.Title).HasMaxLength(200).IsRequired();
        builder.Property(c => c.CategoryCode).HasMaxLength(16).IsRequired();

        // A candidate grid's staff see the offer of an ambiguous case (not the case) until someone claims it. Property staff
        // and volunteers (OwnCasesOnly) may not claim for a grid, and an offer shows a report's title and position: none.
        builder.HasQueryFilter(model.Scoped<LocationClaim>((s, c) =>
            s.IsWholeSystem || (!s.OwnRecordsOnly && !s.OwnCasesOnly && c.GridCode.StartsWith(s.Code))));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class LocationQueueTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<LocationClaim> LocationClaims => db.Set<LocationClaim>();
    }
}
