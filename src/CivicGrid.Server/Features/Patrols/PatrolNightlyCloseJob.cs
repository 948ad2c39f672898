using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>Settings of the nightly close of patrols left open, under <c>Jobs:PatrolNightlyClose</c>.</summary>
public sealed class PatrolNightlyCloseOptions : ScheduledJobOptions
{
    public const string Section = "PatrolNightlyClose";

    public PatrolNightlyCloseOptions()
    {
        Interval = TimeSpan.FromMinutes(30);
    }

    /// <summary>At most this many patrols are ended per run (the next run takes the rest).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2000;
}

/// <summary>
/// Ends every patrol still open from an earlier Beijing day (the phone switched off, the end button never pressed) at its
/// last point, measured like any other and marked as ended by the system, so a day's figures and coverage are final once
/// the day is over. Each end goes through the <see cref="TrackWriter"/> (after any of the patrol's batches still queued)
/// and is conditional on the patrol being open, so a second run or another instance ends nothing twice.
/// </summary>
public sealed class PatrolNightlyCloseJob(CivicGridDbContext db, TrackWriter writer, IOptions<PatrolNightlyCloseOptions> options) : IScheduledJob
{
    public string Name => "patrol-nightly-close";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = PatrolTracks.BeijingDay(now);
        var stale = await db.Patrols.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.Status == PatrolStatus.Open && p.Day < today)
            .OrderBy(p => p.Day).Take(options.Value.BatchSize).Select(p => p.Id).ToListAsync(ct);
        var ended = 0;
        foreach (var id in stale)
        {
            if (await writer.EndAsync(id, null, null, ct) == PatrolEndOutcome.Ended)
            {
                ended++;
            }
        }

        return ended;
    }
}
