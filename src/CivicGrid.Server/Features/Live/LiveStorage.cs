using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Live;

public sealed class LiveEventConfiguration(EntityModel model) : IEntityTypeConfiguration<LiveEvent>
{
    public void Configure(EntityTypeBuilder<LiveEvent> builder)
    {
        builder.ToTable("live_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.Property(e => e.CaseNumber).HasMaxLength(32);
        builder.Property(e => e.GridCode).HasMaxLength(32);
        builder.Property(e => e.CategoryCode).HasMaxLength(16);
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Channel).HasConversion<int>();
        builder.Property(e => e.Tier).HasConversion<int>();
        builder.Property(e => e.PreviousTier).HasConversion<int>();
        builder.Property(e => e.Status).HasConversion<int>();
        // Every instance reads the events after a moment: by time.
        builder.HasIndex(e => e.At);
        builder.HasQueryFilter(model.InSubtree<LiveEvent>(e => e.GridCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class LiveTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The live events of the last day; scoped by the case's grid.</summary>
        public DbSet<LiveEvent> LiveEvents => db.Set<LiveEvent>();
    }
}
