using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Cases.Intake;

public sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<CaseNumberCounter> builder)
    {
        builder.ToTable("case_number_counters");
        builder.HasKey(c => c.Day);
        builder.Property(c => c.Day).HasMaxLength(8);
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class IntakeTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Daily case-number counters; written only by intake, never read by a caller.</summary>
        public DbSet<CaseNumberCounter> CaseNumberCounters => db.Set<CaseNumberCounter>();
    }
}
