using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>Settings of the computation of ended periods, under <c>Jobs:AssessmentPeriodClose</c>.</summary>
public sealed class AssessmentPeriodCloseOptions : ScheduledJobOptions
{
    public const string Section = "AssessmentPeriodClose";

    public AssessmentPeriodCloseOptions()
    {
        Interval = TimeSpan.FromHours(3);
    }

    /// <summary>The period kinds computed when they end (month, quarter, year).</summary>
    public List<PeriodKind> Kinds { get; set; } = [PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Year];
}

/// <summary>
/// After a period ends, computes and stores its runs for every subdistrict, grid level (二级、三级、微网格) and its grid
/// workers (网格人员) as of the period's end: a run that does not exist yet is created, a provisional one computed before the end is recomputed (while
/// nobody has reviewed it); a final or deliberated run is left alone, so a second run of the job changes nothing.
/// </summary>
public sealed class AssessmentPeriodCloseJob(CivicGridDbContext db, AssessmentRuns runs, IOptions<AssessmentPeriodCloseOptions> options)
    : IScheduledJob
{
    /// <summary>The runs of each subdistrict: one per grid level, and its workers' (no level).</summary>
    private static readonly GridLevel?[] Levels = [GridLevel.Second, GridLevel.Third, GridLevel.Micro, null];

    public string Name => "assessment-period-close";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = PatrolTracks.BeijingDay(now);
        var subdistricts = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => g.Level == GridLevel.Subdistrict).Select(g => g.Code)
            .OrderBy(c => c).ToListAsync(ct);
        var computed = 0;
        foreach (var period in options.Value.Kinds.Distinct().Select(kind => AssessmentPeriod.LastComplete(kind, today)))
        {
            var text = period.ToString();
            var existing = await db.AssessmentRuns.IgnoreQueryFilters().AsNoTracking().Where(r => r.Period == text)
                .Select(r => new { r.SubdistrictCode, r.Subject, r.Level, r.PeriodEnded, r.Status }).ToListAsync(ct);
            foreach (var subdistrict in subdistricts)
            {
                foreach (var level in Levels)
                {
                    var run = existing.FirstOrDefault(r => r.SubdistrictCode == subdistrict && r.Subject == AssessmentRuns.SubjectOf(level) && r.Level == level);
                    if (run is not null && (run.PeriodEnded || run.Status != RunStatus.Provisional))
                    {
                        continue;
                    }

                    await runs.ComputeAsync(db, subdistrict, period, level, null, "系统（期末计算）", ct);
                    db.ChangeTracker.Clear();
                    computed++;
                }
            }
        }

        return computed;
    }
}
