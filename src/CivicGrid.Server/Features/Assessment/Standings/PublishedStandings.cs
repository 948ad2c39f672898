using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment.Appeals;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment.Standings;

/// <summary>A published run with every subject's place in it.</summary>
public sealed record RankedRun(AssessmentRun Run, IReadOnlyList<Ranked> Ranking)
{
    public int? RankOf(string code) => Ranking.FirstOrDefault(r => r.Standing.Code == code)?.Rank;

    /// <summary>How many subjects of the run were rated (and so ranked).</summary>
    public int Rated => Ranking.Count(r => r.Rank is not null);
}

/// <summary>
/// Rankings and award lists read from published runs. A place is a place among all the run's subjects, so it is read over
/// the whole run even when the caller sees only part of it (a grid leader sees their grid's 5th place, not a 1st among one):
/// the runs themselves are read through the caller's scope, their subjects' scores and stars without it, and only the
/// place (and, on an award list, the names of the awarded, which are published as a notice) leaves this class.
/// </summary>
public static class PublishedStandings
{
    /// <summary>The published runs of a period and grid level (the workers' when <paramref name="level"/> is null) that the caller may see, each ranked.</summary>
    public static async Task<List<RankedRun>> OfPeriodAsync(CivicGridDbContext db, AssessmentPeriod period, GridLevel? level, CancellationToken ct)
    {
        var text = period.ToString();
        var subject = AssessmentRuns.SubjectOf(level);
        var runs = await db.AssessmentRuns.AsNoTracking()
            .Where(r => r.Period == text && r.Subject == subject && r.Level == level && r.Status == RunStatus.Published)
            .OrderBy(r => r.SubdistrictCode).ToListAsync(ct);
        return await RankAsync(db, runs, ct);
    }

    /// <summary>Ranks each run over all its subjects; a subject with an undecided appeal is marked appealing.</summary>
    public static async Task<List<RankedRun>> RankAsync(CivicGridDbContext db, IReadOnlyList<AssessmentRun> runs, CancellationToken ct)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var subjects = (await db.RunSubjects.IgnoreQueryFilters().AsNoTracking().Where(s => ids.Contains(s.RunId))
            .Select(s => new { s.RunId, s.Code, s.Name, s.Score, s.Stars }).ToListAsync(ct)).ToLookup(s => s.RunId);
        var appealing = (await db.Appeals.IgnoreQueryFilters().AsNoTracking()
            .Where(a => ids.Contains(EF.Property<Guid>(a, AppealConfiguration.RunId)) && a.Status == AppealStatus.Pending)
            .Select(a => new { RunId = EF.Property<Guid>(a, AppealConfiguration.RunId), a.SubjectCode }).ToListAsync(ct))
            .Select(a => (a.RunId, a.SubjectCode)).ToHashSet();
        return [.. runs.Select(run => new RankedRun(run,
            Rankings.Rank(subjects[run.Id].Select(s => new Standing(s.Code, s.Name, s.Score, s.Stars, appealing.Contains((run.Id, s.Code)))))))];
    }
}
