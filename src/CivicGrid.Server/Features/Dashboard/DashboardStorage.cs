using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Dashboard;

public sealed class CaseCountRollupConfiguration(EntityModel model) : IEntityTypeConfiguration<CaseCountRollup>
{
    public void Configure(EntityTypeBuilder<CaseCountRollup> builder)
    {
        builder.ToTable("case_count_rollups");
        // Period and start first: a dashboard asks for a range of days or months, then narrows to a subtree by code prefix.
        builder.HasKey(r => new { r.Period, r.Start, r.GridCode, r.CategoryCode, r.Channel, r.Tier, r.DepartmentKey });
        builder.Property(r => r.Period).HasConversion<int>();
        builder.Property(r => r.Channel).HasConversion<int>();
        builder.Property(r => r.Tier).HasConversion<int>();
        builder.Property(r => r.GridCode).HasMaxLength(32);
        builder.Property(r => r.CategoryCode).HasMaxLength(16);
        builder.Property(r => r.DepartmentKey).HasMaxLength(32);
        builder.HasQueryFilter(model.InSubtree<CaseCountRollup>(r => r.GridCode));
    }
}

public sealed class CaseOpenCountConfiguration(EntityModel model) : IEntityTypeConfiguration<CaseOpenCount>
{
    public void Configure(EntityTypeBuilder<CaseOpenCount> builder)
    {
        builder.ToTable("case_open_counts");
        builder.HasKey(r => new { r.GridCode, r.CategoryCode, r.Channel, r.Tier, r.Status, r.Supervised, r.DueHour });
        builder.Property(r => r.Channel).HasConversion<int>();
        builder.Property(r => r.Tier).HasConversion<int>();
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.GridCode).HasMaxLength(32);
        builder.Property(r => r.CategoryCode).HasMaxLength(16);
        builder.HasQueryFilter(model.InSubtree<CaseOpenCount>(r => r.GridCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class DashboardTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Case counts per day and per month; scoped by the micro-grid.</summary>
        public DbSet<CaseCountRollup> CaseCountRollups => db.Set<CaseCountRollup>();
        /// <summary>Open cases now; scoped by the micro-grid.</summary>
        public DbSet<CaseOpenCount> CaseOpenCounts => db.Set<CaseOpenCount>();
    }
}
