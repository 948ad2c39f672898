using CivicGrid.Domain.FieldWork;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Patrols;

namespace CivicGrid.Server.Features.FieldWork;

/// <summary>Door-knocks by outcome; <paramref name="Counted"/> = visited + refused (what counts towards the weekly minimum).</summary>
public sealed record DoorKnockFigures(int Total, int Visited, int NobodyHome, int Refused, int Counted);

/// <summary>Needs raised and met in the period from one source (door-knock, case, council, staff).</summary>
public sealed record NeedSourceFigures(NeedSource Source, int Raised, int Met);

/// <summary>
/// One grid's field work in the period, counting everything on it and below it (see <see cref="GridRollUp"/>).
/// </summary>
/// <param name="WorkerDays">Workers' patrol days counted here: a worker's day counts once, in the grid of this level where they walked
/// longest that day (the grid they patrol from when the track located nowhere).</param>
/// <param name="GoalDays">Those of <paramref name="WorkerDays"/> whose steps reached the daily goal.</param>
/// <param name="Steps">Steps of those days (the phone's count, else walked metres ÷ stride).</param>
/// <param name="WalkedMeters">Metres walked inside this grid by anyone (vehicle stretches left out).</param>
/// <param name="WalkedSeconds">Time walked inside this grid by anyone, seconds.</param>
/// <param name="Walked">True when anyone walked in it during the period.</param>
/// <param name="MicroGrids">Territorial micro-grids under it (0 for a micro-grid).</param>
/// <param name="CoverageShare">Walked micro-grids ÷ micro-grids, 0–1; for a grid without micro-grids 1 when walked, else 0.</param>
/// <param name="LiaisonWeeks">Weeks (touching the period) that sunk liaisons attached to grids under this one served.</param>
/// <param name="LiaisonWeeksMet">Those weeks in which the liaison's counted door-knocks, anywhere, reached the weekly minimum.</param>
/// <param name="NeedsRaised">Needs raised in the period.</param>
/// <param name="NeedsMet">Needs met in the period (whenever raised).</param>
/// <param name="ProjectsActive">Projects planted in it (or in a grid under it) that ran on some day of the period.</param>
/// <param name="ProjectsDelivered">Projects completed in the period.</param>
/// <param name="ProjectBeneficiaries">Beneficiaries of the active projects (their latest count).</param>
/// <param name="ClaimsActive">Claims in force on some day of the period.</param>
/// <param name="ClaimsKept">Active claims with a fulfilment recorded as done in the period.</param>
/// <param name="ClaimsLapsed">Active claims with nothing done recorded in the period.</param>
/// <param name="FollowUpsToNeeds">Follow-ups of the period's councils that became needs.</param>
/// <param name="FollowUpsToCases">Follow-ups of the period's councils that became cases.</param>
public sealed record GridFieldFigures(string Code, string Name, int WorkerDays, int GoalDays, int Steps, double WalkedMeters, double WalkedSeconds,
    bool Walked, int MicroGrids, int MicroGridsWalked, double CoverageShare, DoorKnockFigures DoorKnocks, int LiaisonWeeks, int LiaisonWeeksMet,
    int NeedsRaised, int NeedsMet, IReadOnlyList<NeedSourceFigures> NeedsBySource, int ProjectsActive, int ProjectsDelivered, int ProjectBeneficiaries,
    int ClaimsActive, int ClaimsKept, int ClaimsLapsed, int CouncilsHeld, int FollowUpsToNeeds, int FollowUpsToCases);

/// <param name="Level">grid-2, grid-3 or micro.</param>
/// <param name="StepGoal">The daily step goal the goal days were judged by.</param>
/// <param name="WeeklyVisitMinimum">The weekly door-knock minimum of a sunk liaison.</param>
public sealed record FieldWorkGridsResponse(DateOnly From, DateOnly To, string Level, int StepGoal, int WeeklyVisitMinimum, IReadOnlyList<GridFieldFigures> Grids);

/// <summary>One person's field work in the period, inside the caller's scope.</summary>
/// <param name="Name">Masked (张*) unless the caller may see workers' names.</param>
/// <param name="Kind">grid-worker, grid-leader, micro-grid-worker or department-liaison (their main field role).</param>
/// <param name="GridCode">Their home grid (the account's scope; a liaison's first grid in the caller's scope).</param>
/// <param name="GridsWalked">Distinct finest grids they walked in.</param>
/// <param name="DoorKnocks">Their door-knocks at households in the caller's scope.</param>
/// <param name="Weeks">For a sunk liaison, the weeks touching the period they served in the caller's scope; null for others.</param>
/// <param name="WeeksMet">For a sunk liaison, those weeks in which their counted door-knocks (anywhere) reached the minimum.</param>
/// <param name="NeedsRecorded">Needs they recorded in the period.</param>
/// <param name="NeedsMet">Needs they recorded (whenever) that were met in the period.</param>
/// <param name="CouncilsRecorded">Courtyard councils of the period they recorded (participants are kept by name, not by account).</param>
public sealed record PersonFieldFigures(Guid WorkerId, string Name, string Kind, string GridCode, int PatrolDays, int GoalDays, int Steps,
    double WalkedMeters, double WalkedSeconds, int GridsWalked, DoorKnockFigures DoorKnocks, int? Weeks, int? WeeksMet, int NeedsRecorded, int NeedsMet,
    int CouncilsRecorded);

/// <summary>A claimer (red property company, public unit, party member) and their claims over the period.</summary>
public sealed record ClaimerFieldFigures(Guid ClaimerId, string Name, ClaimerKind Kind, int ClaimsActive, int ClaimsKept, int ClaimsLapsed, int Fulfilments);

/// <param name="NamesMasked">True when the names were masked for the caller.</param>
public sealed record FieldWorkPeopleResponse(DateOnly From, DateOnly To, string? GridCode, int StepGoal, int WeeklyVisitMinimum, bool NamesMasked,
    IReadOnlyList<PersonFieldFigures> People, IReadOnlyList<ClaimerFieldFigures> Claimers);

/// <summary>Sums the sources per grid row or per person; pure, in memory.</summary>
internal static class FieldWorkFigures
{
    /// <summary>One row per grid of <paramref name="rows"/>, counting every record on it or below it.</summary>
    public static List<GridFieldFigures> ByGrid(FieldWorkSources s, IReadOnlyList<(string Code, string Name)> rows, GridLevel level,
        IReadOnlyCollection<string> microGrids, PatrolRules rules, int weeklyMinimum)
    {
        string? Row(string code) => GridRollUp.RowOf(code, level);
        var walkedBy = s.Walks.ToLookup(w => (w.WorkerId, w.Day));
        // A worker's day counts once, in the row where they walked longest that day (their home grid when the track located nowhere).
        var days = s.PatrolDays.ToLookup(d => walkedBy[(d.WorkerId, d.Day)].GroupBy(w => Row(w.GridCode)).Where(g => g.Key is not null)
            .OrderByDescending(g => g.Sum(w => w.Seconds)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault() ?? Row(d.GridCode));
        var walks = s.Walks.ToLookup(w => Row(w.GridCode));
        var knocks = s.Knocks.ToLookup(k => Row(k.GridCode));
        var liaisons = s.Liaisons.ToLookup(l => Row(l.GridCode));
        var needs = s.Needs.ToLookup(n => Row(n.GridCode));
        var projects = s.Projects.Where(p => p.Status != ProjectStatus.Cancelled).SelectMany(p => p.GridCodes.Select(Row).OfType<string>().Distinct().Select(code => (code, p))).ToLookup(x => x.code, x => x.p);
        var claims = s.Claims.ToLookup(c => Row(c.GridCode));
        var councils = s.Councils.ToLookup(c => Row(c.GridCode));
        var micro = microGrids.Where(m => level != GridLevel.Micro).ToLookup(m => Row(m));
        var walkedMicro = s.Walks.Where(w => w.GridCode.Length >= GridCodes.MicroLength).Select(w => w.GridCode[..GridCodes.MicroLength]).ToHashSet(StringComparer.Ordinal);

        return [.. rows.Select(r =>
        {
            var mine = days[r.Code].ToList();
            var walked = walks[r.Code].ToList();
            var microUnder = micro[r.Code].ToList();
            var microWalked = microUnder.Count(walkedMicro.Contains);
            var liaisonWeeks = liaisons[r.Code].SelectMany(l => l.Weeks.Select(w => (l.UserId, w))).Distinct().ToList();
            var rowNeeds = needs[r.Code].ToList();
            var rowProjects = projects[r.Code].ToList();
            var rowClaims = claims[r.Code].ToList();
            var kept = rowClaims.Count(c => c.KeptDuring(s.Period.From, s.Period.To) == true);
            var rowCouncils = councils[r.Code].ToList();
            return new GridFieldFigures(r.Code, r.Name, mine.Count, mine.Count(d => rules.MeetsDailyGoal(d.Steps)), mine.Sum(d => d.Steps),
                Math.Round(walked.Sum(w => w.Meters), 1), walked.Sum(w => w.Seconds), walked.Count > 0, microUnder.Count, microWalked,
                GridRollUp.CoverageShare(microWalked, microUnder.Count, walked.Count > 0), Knocks(knocks[r.Code]),
                liaisonWeeks.Count, liaisonWeeks.Count(x => !VisitRules.IsBehind(s.LiaisonCounted.GetValueOrDefault(x), weeklyMinimum)),
                rowNeeds.Count(n => n.Raised), rowNeeds.Count(n => n.Met), BySource(rowNeeds),
                rowProjects.Count, rowProjects.Count(p => p.Delivered), rowProjects.Sum(p => p.Beneficiaries),
                rowClaims.Count, kept, rowClaims.Count - kept, rowCouncils.Count, rowCouncils.Sum(c => c.ToNeeds), rowCouncils.Sum(c => c.ToCases));
        })];
    }

    /// <summary>One row per person of <paramref name="people"/>.</summary>
    public static List<PersonFieldFigures> ByPerson(FieldWorkSources s, IReadOnlyList<FieldPerson> people, PatrolRules rules, int weeklyMinimum,
        Func<string, string> name)
    {
        var days = s.PatrolDays.ToLookup(d => d.WorkerId);
        var walks = s.Walks.ToLookup(w => w.WorkerId);
        var knocks = s.Knocks.ToLookup(k => k.VisitorId);
        var weeks = s.Liaisons.ToLookup(l => l.UserId);
        var needs = s.Needs.Where(n => n.RaisedBy is not null).ToLookup(n => n.RaisedBy!.Value);
        var councils = s.Councils.Where(c => c.RecordedBy is not null).ToLookup(c => c.RecordedBy!.Value);
        return [.. people.Select(p =>
        {
            var mine = days[p.UserId].ToList();
            var walked = walks[p.UserId].ToList();
            var served = p.IsLiaison ? weeks[p.UserId].SelectMany(l => l.Weeks).Distinct().ToList() : null;
            var recorded = needs[p.UserId].ToList();
            return new PersonFieldFigures(p.UserId, name(p.Name), p.Kind, p.GridCode, mine.Count, mine.Count(d => rules.MeetsDailyGoal(d.Steps)),
                mine.Sum(d => d.Steps), Math.Round(mine.Sum(d => d.WalkedMeters), 1), walked.Sum(w => w.Seconds),
                walked.Select(w => w.GridCode).Distinct().Count(), Knocks(knocks[p.UserId]), served?.Count,
                served?.Count(w => !VisitRules.IsBehind(s.LiaisonCounted.GetValueOrDefault((p.UserId, w)), weeklyMinimum)),
                recorded.Count(n => n.Raised), recorded.Count(n => n.Met), councils[p.UserId].Count());
        })];
    }

    /// <summary>Claimers of the claims in the period, by name.</summary>
    public static List<ClaimerFieldFigures> ByClaimer(FieldWorkSources s) =>
        [.. s.Claims.GroupBy(c => (c.ClaimerId, c.ClaimerKind)).Select(g =>
        {
            var kept = g.Count(c => c.KeptDuring(s.Period.From, s.Period.To) == true);
            return new ClaimerFieldFigures(g.Key.ClaimerId, g.First().ClaimerName, g.Key.ClaimerKind, g.Count(), kept, g.Count() - kept,
                g.Sum(c => c.Fulfilments.Count(f => f.On >= s.Period.From && f.On <= s.Period.To)));
        }).OrderBy(c => c.Name, StringComparer.Ordinal)];

    private static DoorKnockFigures Knocks(IEnumerable<KnockRow> rows)
    {
        int visited = 0, nobody = 0, refused = 0;
        foreach (var k in rows)
        {
            switch (k.Outcome)
            {
                case VisitOutcome.Visited: visited++; break;
                case VisitOutcome.NobodyHome: nobody++; break;
                default: refused++; break;
            }
        }

        return new DoorKnockFigures(visited + nobody + refused, visited, nobody, refused, visited + refused);
    }

    private static List<NeedSourceFigures> BySource(IReadOnlyCollection<NeedRow> needs) =>
        [.. Enum.GetValues<NeedSource>().Select(source => new NeedSourceFigures(source, needs.Count(n => n.Source == source && n.Raised),
            needs.Count(n => n.Source == source && n.Met)))];
}

/// <summary>A person the people figures list: a grid worker, grid leader, micro-grid volunteer or sunk liaison.</summary>
internal sealed record FieldPerson(Guid UserId, string Name, string Kind, string GridCode, bool IsLiaison);
