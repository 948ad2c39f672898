using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Dashboard;

public sealed class CaseCountRollupConfiguration(EntityModel model) : IEntityTypeConfiguration<CaseCountRollup>
{
    public void Configure(EntityTypeBuilder<CaseCountRollup> builder)
    {
        builder.ToTable("case_count_rollups");
        // Period, then scope: a dashboard reads its own scope's rows (the exact code) for a range of days or months; the
        // map reads the all-time rows of every grid under a scope (a code range within one period).
        builder.HasKey(r => new { r.Period, r.ScopeCode, r.Start, r.Channel, r.Tier });
        builder.Property(r => r.Period).HasConversion<int>();
        builder.Property(r => r.Channel).HasConversion<int>();
        builder.Property(r => r.Tier).HasConversion<int>();
        builder.Property(r => r.ScopeCode).HasMaxLength(32);
        builder.HasQueryFilter(model.InSubtree<CaseCountRollup>(r => r.ScopeCode));
    }
}

public sealed class CaseBreakdownRollupConfiguration(EntityModel model) : IEntityTypeConfiguration<CaseBreakdownRollup>
{
    public void Configure(EntityTypeBuilder<CaseBreakdownRollup> builder)
    {
        builder.ToTable("case_breakdown_rollups");
        builder.HasKey(r => new { r.Dimension, r.ScopeCode, r.Start, r.Member });
        builder.Property(r => r.Dimension).HasConversion<int>();
        builder.Property(r => r.ScopeCode).HasMaxLength(32);
        builder.Property(r => r.Member).HasMaxLength(32);
        builder.HasQueryFilter(model.InSubtree<CaseBreakdownRollup>(r => r.ScopeCode));
    }
}

public sealed class CaseOpenCountConfiguration(EntityModel model) : IEntityTypeConfiguration<CaseOpenCount>
{
    public void Configure(EntityTypeBuilder<CaseOpenCount> builder)
    {
        builder.ToTable("case_open_counts");
        builder.HasKey(r => new { r.ScopeCode, r.Tier, r.Status, r.Supervised, r.DueHour });
        builder.Property(r => r.Tier).HasConversion<int>();
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.ScopeCode).HasMaxLength(32);
        builder.HasQueryFilter(model.InSubtree<CaseOpenCount>(r => r.ScopeCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class DashboardTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Case counts per scope, day and month; scoped by the scope's code (a caller sees its scope and below).</summary>
        public DbSet<CaseCountRollup> CaseCountRollups => db.Set<CaseCountRollup>();
        /// <summary>Counts per scope and month by category and by department; scoped by the scope's code.</summary>
        public DbSet<CaseBreakdownRollup> CaseBreakdownRollups => db.Set<CaseBreakdownRollup>();
        /// <summary>Open cases now per scope; scoped by the scope's code.</summary>
        public DbSet<CaseOpenCount> CaseOpenCounts => db.Set<CaseOpenCount>();
    }
}
