using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.FieldWork;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.FieldWork;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// The field-work indicators (<see cref="FieldIndicators"/>) from the records the field-work figures read
/// (<see cref="FieldWorkSources"/>: patrol days and the time walked per finest grid, door-knocks, the liaisons' weeks, needs,
/// projects, claims, councils), read once for the period and the caller's scope, plus the special-care households and the
/// state of the councils' follow-ups. Patrols are read as their stored summaries and per-grid rows, never as track points
/// (only a patrol still open is measured live, as the figures do). A grid's records are those on it or below it
/// (<see cref="GridRollUp"/>); a worker's are their own (their patrol days and walks, their knocks, their weeks as a sunk
/// liaison, the needs they recorded) and, for coverage, the micro-grids of their grid.
/// </summary>
public sealed class FieldWorkIndicatorSource(GeographyIndex geography, IOptions<PatrolRules> patrolRules, IOptions<HouseholdsOptions> visits) : IIndicatorSource
{
    private static readonly IReadOnlySet<string> FieldCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "patrol-goal-days", "patrol-coverage", "door-knock-weeks", "door-knocks", "special-care-visits", "councils-held", "council-follow-ups",
        "needs-met", "projects-delivered", "claims-kept",
    };

    public IReadOnlySet<string> Codes => FieldCodes;

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>> ComputeAsync(CivicGridDbContext db,
        AssessmentScope scope, CancellationToken ct)
    {
        var wanted = scope.Subjects.SelectMany(scope.IndicatorsFor).Select(i => i.Code).Where(FieldCodes.Contains).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return result;
        }

        var rules = patrolRules.Value;
        // One worker reads their own records; grids of one subtree read the records under it and the patrols of its walkers.
        var focus = scope.Person is { } own ? new FieldWorkFocus(Person: own)
            : scope.Subtree is { } subtree ? new FieldWorkFocus(subtree, [.. scope.People.Where(p => p.Walks && !p.IsLiaison
                && p.GridCode.StartsWith(subtree, StringComparison.Ordinal)).Select(p => p.UserId)])
            : FieldWorkFocus.All;
        var s = await FieldWorkSources.LoadAsync(db, geography, rules, new ReportingPeriod(scope.Period.From, scope.Period.To), ct, focus);
        var facts = await FactsAsync(db, scope, s, wanted, ct);
        var days = scope.Days;
        var names = scope.People.ToDictionary(p => p.UserId, p => p.Name);
        LiaisonWeekFacts Week(Guid user, DateOnly week) =>
            new(user, names.GetValueOrDefault(user, "下沉人员"), week, s.LiaisonCounted.GetValueOrDefault((user, week)));
        var daysBy = s.PatrolDays.Select(d => new PatrolDayFacts(d.WorkerId, d.Day, d.Steps)).ToLookup(d => d.WorkerId);

        if (scope.Kind == SubjectKind.Grid)
        {
            var walkers = scope.People.Where(p => p.Walks && !p.IsLiaison).ToLookup(p => scope.GridRowOf(p.GridCode));
            var walks = s.Walks.ToLookup(w => scope.GridRowOf(w.GridCode));
            var units = facts.MicroGrids.ToLookup(g => scope.GridRowOf(g.Code));
            var liaisons = s.Liaisons.ToLookup(l => scope.GridRowOf(l.GridCode));
            var knocks = s.Knocks.ToLookup(k => scope.GridRowOf(k.GridCode));
            var care = facts.CareHouseholds.ToLookup(h => scope.GridRowOf(h.GridCode));
            var councils = s.Councils.ToLookup(c => scope.GridRowOf(c.GridCode));
            var needs = s.Needs.ToLookup(n => scope.GridRowOf(n.GridCode));
            var projects = s.Projects.SelectMany(p => p.GridCodes.Select(scope.GridRowOf).OfType<string>().Distinct().Select(row => (row, p)))
                .ToLookup(x => x.row, x => x.p);
            var claims = s.Claims.ToLookup(c => scope.GridRowOf(c.GridCode));
            foreach (var subject in scope.Subjects)
            {
                var under = units[subject.Code].ToList();
                result[subject.Code] = Compute(wanted, new Dictionary<string, Func<ComputedIndicator>>
                {
                    ["patrol-goal-days"] = () => FieldIndicators.PatrolGoalDays(walkers[subject.Code].Select(p => p.AsWalker),
                        walkers[subject.Code].SelectMany(p => daysBy[p.UserId]), scope.Calendar.IsWorkingDay, days, rules.DailyStepGoal),
                    ["patrol-coverage"] = () => FieldIndicators.PatrolCoverage(under.Count > 0 ? under : [new CoverageUnit(subject.Code, subject.Name)],
                        walks[subject.Code].Select(w => new WalkFacts(w.GridCode, w.Day)), days),
                    ["door-knock-weeks"] = () => FieldIndicators.DoorKnockWeeks(liaisons[subject.Code].SelectMany(l => l.Weeks.Select(w => Week(l.UserId, w))),
                        visits.Value.WeeklyVisitMinimum, days),
                    ["door-knocks"] = () => FieldIndicators.DoorKnocks(knocks[subject.Code].Select(facts.Knock)),
                    ["special-care-visits"] = () => FieldIndicators.SpecialCareVisits(care[subject.Code].Select(h => h.Facts)),
                    ["councils-held"] = () => FieldIndicators.CouncilsHeld(councils[subject.Code].Select(facts.Council)),
                    ["council-follow-ups"] = () => FieldIndicators.CouncilFollowUps(councils[subject.Code].Select(facts.Council), scope.Until),
                    ["needs-met"] = () => FieldIndicators.NeedsMet(needs[subject.Code].Select(Need), scope.Start, scope.End, scope.AsOf),
                    ["projects-delivered"] = () => FieldIndicators.ProjectsDelivered(projects[subject.Code].Select(p => new ProjectFacts(p.Name, p.EndOn, p.Status)),
                        days),
                    ["claims-kept"] = () => FieldIndicators.ClaimsKept(claims[subject.Code], days),
                });
            }

            return result;
        }

        var walksBy = s.Walks.ToLookup(w => w.WorkerId);
        var weeksBy = s.Liaisons.ToLookup(l => l.UserId);
        var knocksBy = s.Knocks.ToLookup(k => k.VisitorId);
        var needsBy = s.Needs.Where(n => n.RaisedBy is not null).ToLookup(n => n.RaisedBy!.Value);
        foreach (var subject in scope.Subjects.Where(x => x.Person is not null))
        {
            var person = subject.Person!;
            var under = facts.MicroGridsUnder[person.GridCode].ToList();
            result[subject.Code] = Compute(wanted, new Dictionary<string, Func<ComputedIndicator>>
            {
                ["patrol-goal-days"] = () => FieldIndicators.PatrolGoalDays([person.AsWalker], daysBy[person.UserId], scope.Calendar.IsWorkingDay, days,
                    rules.DailyStepGoal),
                ["patrol-coverage"] = () => FieldIndicators.PatrolCoverage(
                    under.Count > 0 ? under : [new CoverageUnit(person.GridCode, facts.GridName(person.GridCode))],
                    walksBy[person.UserId].Select(w => new WalkFacts(w.GridCode, w.Day)), days),
                ["door-knock-weeks"] = () => FieldIndicators.DoorKnockWeeks(weeksBy[person.UserId].SelectMany(l => l.Weeks.Select(w => Week(l.UserId, w))),
                    visits.Value.WeeklyVisitMinimum, days),
                ["door-knocks"] = () => FieldIndicators.DoorKnocks(knocksBy[person.UserId].Select(facts.Knock)),
                ["needs-met"] = () => FieldIndicators.NeedsMet(needsBy[person.UserId].Select(Need), scope.Start, scope.End, scope.AsOf),
            });
        }

        return result;
    }

    private static Dictionary<string, ComputedIndicator> Compute(HashSet<string> wanted, Dictionary<string, Func<ComputedIndicator>> indicators) =>
        indicators.Where(i => wanted.Contains(i.Key)).ToDictionary(i => i.Key, i => i.Value(), StringComparer.Ordinal);

    private static NeedFacts Need(NeedRow n) => new(n.Description, n.RaisedAt, n.MetAt, n.ClosedAt);

    /// <summary>What the evidence needs beyond the figures' rows, read set-based: names and addresses, care households, follow-ups' state.</summary>
    private static async Task<FieldFacts> FactsAsync(CivicGridDbContext db, AssessmentScope scope, FieldWorkSources s, HashSet<string> wanted,
        CancellationToken ct)
    {
        // The grids named and covered: one worker's grid and those under it, or the scope's subtree, or all in the caller's scope.
        var under = scope.Subtree ?? (scope.Person is not null ? scope.Single?.Person?.GridCode : null);
        var grids = await db.Grids.AsNoTracking().InSubtree(g => g.Code, under).Where(g => g.Kind == GridKind.Territorial
                && (g.Level == GridLevel.Second || g.Level == GridLevel.Third || g.Level == GridLevel.Micro))
            .Select(g => new { g.Code, g.Name, g.Level }).ToListAsync(ct);
        var gridNames = grids.ToDictionary(g => g.Code, g => g.Name, StringComparer.Ordinal);
        var micro = grids.Where(g => g.Level == GridLevel.Micro).OrderBy(g => g.Code, StringComparer.Ordinal).Select(g => new CoverageUnit(g.Code, g.Name)).ToList();

        var care = new List<(string GridCode, CareHouseholdFacts Facts)>();
        var buildingCodes = s.Knocks.Select(k => k.BuildingCode).ToHashSet(StringComparer.Ordinal);
        if (wanted.Contains("special-care-visits") && scope.Kind == SubjectKind.Grid)
        {
            var caredFor = db.Residents.AsNoTracking().Where(r => r.Care.Any());
            if (scope.Subtree is { } subtree)
            {
                var inSubtree = db.Households.AsNoTracking().InSubtree(h => h.GridCode, subtree).Select(h => h.Id);
                caredFor = caredFor.Where(r => inSubtree.Contains(r.HouseholdId));
            }

            var cared = (await caredFor.Select(r => new { r.HouseholdId, Kinds = r.Care.Select(c => c.Kind).ToList() })
                .ToListAsync(ct)).GroupBy(r => r.HouseholdId).ToDictionary(g => g.Key, g => g.SelectMany(r => r.Kinds).Distinct().ToList());
            var households = new List<(Guid Id, string GridCode, string BuildingCode, int Unit, string Room)>();
            foreach (var chunk in cared.Keys.Chunk(500))
            {
                households.AddRange((await db.Households.AsNoTracking().Where(h => chunk.Contains(h.Id))
                    .Select(h => new { h.Id, h.GridCode, h.BuildingCode, h.Unit, h.Room }).ToListAsync(ct))
                    .Select(h => (h.Id, h.GridCode, h.BuildingCode, h.Unit, h.Room)));
            }

            buildingCodes.UnionWith(households.Select(h => h.BuildingCode));
            var knocked = s.Knocks.ToLookup(k => k.HouseholdId);
            var addresses = await AddressesAsync(db, buildingCodes, ct);
            care.AddRange(households.Select(h => (h.GridCode, new CareHouseholdFacts(Place(addresses, h.BuildingCode, h.Unit, h.Room), cared[h.Id],
                [.. knocked[h.Id].Select(k => (PatrolTracks.BeijingDay(k.VisitedAt), k.Outcome))]))));
            return await WithFollowUpsAsync(db, s, new FieldFacts(gridNames, micro, care, addresses, new Dictionary<string, DateTimeOffset?>()), wanted, ct);
        }

        return await WithFollowUpsAsync(db, s, new FieldFacts(gridNames, micro, care, await AddressesAsync(db, buildingCodes, ct), new Dictionary<string, DateTimeOffset?>()), wanted, ct);
    }

    /// <summary>When each council follow-up's need was met or its case closed (needs by id, cases by number).</summary>
    private static async Task<FieldFacts> WithFollowUpsAsync(CivicGridDbContext db, FieldWorkSources s, FieldFacts facts, HashSet<string> wanted,
        CancellationToken ct)
    {
        if (!wanted.Contains("council-follow-ups"))
        {
            return facts;
        }

        var followUps = s.Councils.SelectMany(c => c.FollowUps).ToList();
        var done = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var chunk in followUps.Where(f => f.NeedId is not null).Select(f => f.NeedId!.Value).Distinct().Chunk(500))
        {
            foreach (var need in await db.Needs.AsNoTracking().IgnoreQueryFilters().Where(n => chunk.Contains(n.Id)).Select(n => new { n.Id, n.MetAt }).ToListAsync(ct))
            {
                done[need.Id.ToString("D")] = need.MetAt;
            }
        }

        foreach (var chunk in followUps.Where(f => f.CaseNumber is not null).Select(f => f.CaseNumber!).Distinct().Chunk(500))
        {
            foreach (var c in await db.Cases.AsNoTracking().IgnoreQueryFilters().Where(c => chunk.Contains(c.Number)).Select(c => new { c.Number, c.ClosedAt })
                .ToListAsync(ct))
            {
                done[c.Number] = c.ClosedAt;
            }
        }

        return facts with { FollowUpsDone = done };
    }

    private static async Task<Dictionary<string, string>> AddressesAsync(CivicGridDbContext db, IReadOnlyCollection<string> codes, CancellationToken ct)
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(500))
        {
            foreach (var b in await db.Buildings.AsNoTracking().IgnoreQueryFilters().Where(b => chunk.Contains(b.Code)).Select(b => new { b.Code, b.Address })
                .ToListAsync(ct))
            {
                addresses[b.Code] = b.Address;
            }
        }

        return addresses;
    }

    private static string Place(IReadOnlyDictionary<string, string> addresses, string building, int unit, string room) =>
        $"{addresses.GetValueOrDefault(building, building)} {unit}单元{room}";

    /// <param name="FollowUpsDone">By need id ("D") or case number: when it was met or closed.</param>
    private sealed record FieldFacts(IReadOnlyDictionary<string, string> GridNames, IReadOnlyList<CoverageUnit> MicroGrids,
        IReadOnlyList<(string GridCode, CareHouseholdFacts Facts)> CareHouseholds, IReadOnlyDictionary<string, string> Addresses,
        IReadOnlyDictionary<string, DateTimeOffset?> FollowUpsDone)
    {
        public string GridName(string code) => GridNames.GetValueOrDefault(code, code);

        /// <summary>The micro-grids under a community, 2nd- or 3rd-level grid (a micro-grid under itself).</summary>
        public ILookup<string, CoverageUnit> MicroGridsUnder { get; } = MicroGrids
            .SelectMany(m => new[] { GridCodes.CommunityLength, GridCodes.SecondLength, GridCodes.ThirdLength, GridCodes.MicroLength }.Select(l => (Prefix: m.Code[..l], m)))
            .ToLookup(x => x.Prefix, x => x.m, StringComparer.Ordinal);

        public KnockFacts Knock(KnockRow k) =>
            new(Place(Addresses, k.BuildingCode, k.Unit, k.Room), k.VisitorName, PatrolTracks.BeijingDay(k.VisitedAt), k.Outcome);

        public CouncilFacts Council(CouncilRow c) => new(c.CompoundName, c.HeldOn, [.. c.FollowUps.Select(f => new FollowUpFacts(f.Text, f.Kind, f.CaseNumber,
            f.Kind switch
            {
                FollowUpKind.Need => FollowUpsDone.GetValueOrDefault(f.NeedId?.ToString("D") ?? string.Empty),
                FollowUpKind.Case => FollowUpsDone.GetValueOrDefault(f.CaseNumber ?? string.Empty),
                _ => null,
            }))]);
    }
}
