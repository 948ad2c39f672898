using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>
/// One batch of positions as the phone sent it, stored once (unique per patrol and client batch id) with its points packed
/// in a blob (<see cref="TrackCodec"/>): one row per batch keeps ingest to one insert however many points a backlog holds.
/// </summary>
public sealed class PatrolBatch
{
    public const int MaxBatchIdLength = 64;

    public Guid PatrolId { get; set; }

    /// <summary>The phone's id for the batch; a batch sent again with the same id is stored once.</summary>
    public string BatchId { get; set; } = string.Empty;

    /// <summary>The patrol's scope code (the worker's grid), for the scope filter.</summary>
    public string GridCode { get; set; } = string.Empty;

    public DateTimeOffset FirstAt { get; set; }

    public DateTimeOffset LastAt { get; set; }

    public int Count { get; set; }

    public byte[] Points { get; set; } = [];

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>How long and how far one patrol walked in one finest grid; written when the patrol ends.</summary>
public sealed class PatrolGridVisit
{
    public Guid PatrolId { get; set; }

    /// <summary>The finest grid walked (micro-grid, or the finest level the territory has there).</summary>
    public string GridCode { get; set; } = string.Empty;

    public Guid WorkerId { get; set; }

    /// <summary>The patrol's Beijing day.</summary>
    public DateOnly Day { get; set; }

    public double Seconds { get; set; }

    public double Meters { get; set; }
}

/// <summary>A case reported by the worker while the patrol was open.</summary>
public sealed class PatrolCase
{
    public Guid PatrolId { get; set; }

    public Guid CaseId { get; set; }

    public string CaseNumber { get; set; } = string.Empty;

    /// <summary>The patrol's scope code, for the scope filter.</summary>
    public string GridCode { get; set; } = string.Empty;

    public DateTimeOffset ReportedAt { get; set; }
}

/// <summary>A patrol is seen by its worker and by staff whose subtree holds the worker's grid.</summary>
public sealed class PatrolConfiguration(EntityModel model) : IEntityTypeConfiguration<Patrol>
{
    public void Configure(EntityTypeBuilder<Patrol> builder)
    {
        builder.ToTable("patrols");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.WorkerName).HasMaxLength(100);
        builder.Property(p => p.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(p => p.IsOpen);
        // The track writer raises it with an atomic update; an end that measured fewer points than were committed since
        // (on another instance) fails its save and measures again (see TrackWriter).
        builder.Property(p => p.PointCount).IsConcurrencyToken();
        builder.HasIndex(p => new { p.WorkerId, p.Status });
        builder.HasIndex(p => new { p.Day, p.GridCode });
        // The open patrols of a period (measured live for time on grids): a handful among every patrol of a quarter.
        builder.HasIndex(p => new { p.Status, p.Day });
        if (model.IsPostgres)
        {
            builder.Property(p => p.Track).HasColumnType("geometry(LineString,4326)");
        }

        builder.HasQueryFilter(model.Scoped<Patrol>((s, p) => s.IsWholeSystem || p.WorkerId == s.UserId
            || (!s.OwnRecordsOnly && p.GridCode.StartsWith(s.Code))));
    }
}

public sealed class PatrolBatchConfiguration(EntityModel model) : IEntityTypeConfiguration<PatrolBatch>
{
    public void Configure(EntityTypeBuilder<PatrolBatch> builder)
    {
        builder.ToTable("patrol_batches");
        builder.HasKey(b => new { b.PatrolId, b.BatchId });
        builder.Property(b => b.BatchId).HasMaxLength(PatrolBatch.MaxBatchIdLength);
        builder.Property(b => b.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(b => new { b.PatrolId, b.FirstAt });
        builder.HasOne<Patrol>().WithMany().HasForeignKey(b => b.PatrolId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.InSubtree<PatrolBatch>(b => b.GridCode));
    }
}

/// <summary>Coverage rows are seen by staff whose subtree holds the grid walked.</summary>
public sealed class PatrolGridVisitConfiguration(EntityModel model) : IEntityTypeConfiguration<PatrolGridVisit>
{
    public void Configure(EntityTypeBuilder<PatrolGridVisit> builder)
    {
        builder.ToTable("patrol_grid_visits");
        builder.HasKey(v => new { v.PatrolId, v.GridCode });
        builder.Property(v => v.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(v => new { v.Day, v.GridCode });
        builder.HasOne<Patrol>().WithMany().HasForeignKey(v => v.PatrolId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.Scoped<PatrolGridVisit>((s, v) => s.IsWholeSystem || v.WorkerId == s.UserId
            || (!s.OwnRecordsOnly && v.GridCode.StartsWith(s.Code))));
    }
}

public sealed class PatrolCaseConfiguration(EntityModel model) : IEntityTypeConfiguration<PatrolCase>
{
    public void Configure(EntityTypeBuilder<PatrolCase> builder)
    {
        builder.ToTable("patrol_cases");
        builder.HasKey(c => new { c.PatrolId, c.CaseId });
        builder.Property(c => c.CaseNumber).HasMaxLength(20);
        builder.Property(c => c.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(c => c.CaseId);
        builder.HasOne<Patrol>().WithMany().HasForeignKey(c => c.PatrolId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.InSubtree<PatrolCase>(c => c.GridCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class PatrolsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Patrols; seen by their worker and by staff above the worker's grid.</summary>
        public DbSet<Patrol> Patrols => db.Set<Patrol>();
        /// <summary>Batches of positions (points packed); scoped by the worker's grid.</summary>
        public DbSet<PatrolBatch> PatrolBatches => db.Set<PatrolBatch>();
        /// <summary>Time and distance per patrol and finest grid; scoped by the grid walked.</summary>
        public DbSet<PatrolGridVisit> PatrolGridVisits => db.Set<PatrolGridVisit>();
        /// <summary>Cases reported during a patrol; scoped by the worker's grid.</summary>
        public DbSet<PatrolCase> PatrolCases => db.Set<PatrolCase>();
    }
}
