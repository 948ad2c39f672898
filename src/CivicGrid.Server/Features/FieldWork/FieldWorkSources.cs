using CivicGrid.Domain.FieldWork;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.FieldWork;

/// <summary>A worker's patrols of one day: how many, their steps (the phone's count or walked metres ÷ stride) and distance.</summary>
internal sealed record PatrolDay(Guid WorkerId, string WorkerName, string GridCode, DateOnly Day, int Patrols, int Steps, double WalkedMeters);

/// <summary>A door-knock as the figures read it, with what the assessment's evidence shows of it (household, address, visitor, time).</summary>
internal sealed record KnockRow(string GridCode, Guid VisitorId, DateOnly WeekStart, VisitOutcome Outcome, Guid HouseholdId, string BuildingCode, int Unit,
    string Room, string VisitorName, DateTimeOffset VisitedAt);

/// <summary>
/// A need: <paramref name="Raised"/> when raised in the period, <paramref name="Met"/> when met in it; needs raised before the
/// period and still unmet at its start are read too (neither raised nor met in it, unless met in it), for the needs-met rate.
/// </summary>
internal sealed record NeedRow(string GridCode, NeedSource Source, Guid? RaisedBy, bool Raised, bool Met, string Description, DateTimeOffset RaisedAt,
    DateTimeOffset? MetAt, DateTimeOffset? ClosedAt);

/// <summary>A project that ran on some day of the period (cancelled ones too: the figures leave them out, the delivery rate counts them).</summary>
/// <param name="EndOn">The planned end while live; the actual one once completed or cancelled.</param>
internal sealed record ProjectRow(IReadOnlyList<string> GridCodes, bool Delivered, int Beneficiaries, string Name, DateOnly? EndOn, ProjectStatus Status);

internal sealed record CouncilRow(string GridCode, Guid? RecordedBy, int ToNeeds, int ToCases, string CompoundName, DateOnly HeldOn,
    IReadOnlyList<CouncilFollowUp> FollowUps);

/// <summary>A sunk department liaison's attachment to a grid for the weeks of the period it lasted.</summary>
internal sealed record LiaisonWeeks(Guid UserId, string GridCode, IReadOnlyList<DateOnly> Weeks);

/// <summary>
/// Which of the scope's field-work records to read: all of them; a grid subtree's (the records on grids under
/// <paramref name="Subtree"/> and the patrol days of the <paramref name="Walkers"/> assigned there), which are all that the
/// subtree's grids count; or one person's own (<paramref name="Person"/>: their patrol days and walks, door-knocks, weeks as a
/// sunk liaison and the needs they raised, and no grid's projects, claims or councils).
/// </summary>
internal sealed record FieldWorkFocus(string? Subtree = null, IReadOnlyCollection<Guid>? Walkers = null, Guid? Person = null)
{
    public static FieldWorkFocus All { get; } = new();
}

/// <summary>
/// Every record the field-work figures count, read for one period inside the caller's scope with one query per source (the
/// scope filters of each table apply): patrol days (open patrols measured live), time and distance per finest grid, door-knocks,
/// the sunk liaisons' weeks and their door-knocks everywhere, needs raised and met, projects, claims and councils.
/// </summary>
internal sealed class FieldWorkSources
{
    public required ReportingPeriod Period { get; init; }

    public required IReadOnlyList<PatrolDay> PatrolDays { get; init; }

    public required IReadOnlyList<PatrolGridVisit> Walks { get; init; }

    public required IReadOnlyList<KnockRow> Knocks { get; init; }

    public required IReadOnlyList<LiaisonWeeks> Liaisons { get; init; }

    /// <summary>Per liaison and week (Monday), the door-knocks that count towards the minimum, wherever they knocked.</summary>
    public required IReadOnlyDictionary<(Guid UserId, DateOnly Week), int> LiaisonCounted { get; init; }

    public required IReadOnlyList<NeedRow> Needs { get; init; }

    public required IReadOnlyList<ProjectRow> Projects { get; init; }

    public required IReadOnlyList<Claim> Claims { get; init; }

    public required IReadOnlyList<CouncilRow> Councils { get; init; }

    /// <param name="focus">Which records: all in the caller's scope when null.</param>
    public static async Task<FieldWorkSources> LoadAsync(CivicGridDbContext db, GeographyIndex geography, PatrolRules rules, ReportingPeriod period,
        CancellationToken ct, FieldWorkFocus? focus = null)
    {
        var (from, to) = (period.From, period.To);
        var (startAt, endAt) = PatrolTracks.Bounds(from, to);
        startAt = startAt.ToUniversalTime();
        endAt = endAt.ToUniversalTime();
        var (subtree, person) = (focus?.Subtree, focus?.Person);
        var grids = person is null;

        var patrolRows = db.Patrols.AsNoTracking().Where(p => p.Day >= from && p.Day <= to);
        var knockRows = db.DoorVisits.AsNoTracking().InSubtree(v => v.GridCode, subtree);
        var attachmentRows = db.LiaisonAttachments.AsNoTracking().InSubtree(a => a.GridCode, subtree);
        var needRows = db.Needs.AsNoTracking().InSubtree(n => n.GridCode, subtree);
        if (person is { } one)
        {
            patrolRows = patrolRows.Where(p => p.WorkerId == one);
            knockRows = knockRows.Where(v => v.VisitorId == one);
            attachmentRows = attachmentRows.Where(a => a.UserId == one);
            needRows = needRows.Where(n => n.RaisedBy == one);
        }
        else if (subtree is not null)
        {
            var walkers = focus!.Walkers?.ToList() ?? [];
            patrolRows = patrolRows.Where(p => walkers.Contains(p.WorkerId));
        }

        var patrols = await patrolRows
            .Select(p => new { p.Id, p.WorkerId, p.WorkerName, p.GridCode, p.Day, p.StartedAt, p.Status, p.Steps, p.WalkedMeters }).ToListAsync(ct);
        var open = patrols.Where(p => p.Status == PatrolStatus.Open).Select(p => p.Id).ToList();
        var live = (await PatrolTracks.LoadAsync(db, open, ct)).ToDictionary(p => p.Key, p => TrackFilter.Analyse(p.Value, rules));
        var days = patrols.GroupBy(p => (p.WorkerId, p.Day)).Select(g =>
        {
            var latest = g.MaxBy(p => p.StartedAt)!;
            return new PatrolDay(g.Key.WorkerId, latest.WorkerName, latest.GridCode, g.Key.Day, g.Count(),
                g.Sum(p => live.TryGetValue(p.Id, out var s) ? s.Steps : p.Steps),
                g.Sum(p => live.TryGetValue(p.Id, out var s) ? s.WalkedMeters : p.WalkedMeters));
        }).ToList();

        var walks = await PatrolTracks.VisitsAsync(db, geography, rules, from, to, ct, subtree, person);
        var knocks = await knockRows.Where(v => v.VisitedAt >= startAt && v.VisitedAt < endAt)
            .Select(v => new KnockRow(v.GridCode, v.VisitorId, v.WeekStart, v.Outcome, v.HouseholdId, v.BuildingCode, v.Unit, v.Room, v.VisitorName, v.VisitedAt))
            .ToListAsync(ct);

        var weeks = period.WeekStarts().ToList();
        var firstWeek = weeks[0];
        var attachments = await attachmentRows.Where(a => a.StartsOn <= to && (a.EndsOn == null || a.EndsOn >= firstWeek))
            .Select(a => new { a.UserId, a.GridCode, a.StartsOn, a.EndsOn }).ToListAsync(ct);
        var liaisons = attachments.Select(a => new LiaisonWeeks(a.UserId, a.GridCode,
            [.. weeks.Where(w => a.StartsOn <= w.AddDays(6) && (a.EndsOn is null || a.EndsOn >= w))])).Where(l => l.Weeks.Count > 0).ToList();
        var liaisonIds = liaisons.Select(l => l.UserId).Distinct().ToList();
        // The minimum is owed wherever the liaison knocks (as in the visits' week), so their door-knocks are read across scopes;
        // counted = VisitRules.Counts (visited or refused), written out so that the database counts it.
        var counted = liaisonIds.Count == 0 ? [] : (await db.DoorVisits.AsNoTracking().IgnoreQueryFilters()
            .Where(v => liaisonIds.Contains(v.VisitorId) && v.WeekStart >= firstWeek && v.WeekStart <= to && v.Outcome != VisitOutcome.NobodyHome)
            .GroupBy(v => new { v.VisitorId, v.WeekStart }).Select(g => new { g.Key.VisitorId, g.Key.WeekStart, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => (g.VisitorId, g.WeekStart), g => g.Count);

        // Raised in the period, or raised before it and neither met nor closed before its start.
        var needs = (await needRows.Where(n => n.RaisedAt < endAt
                && (n.RaisedAt >= startAt || ((n.MetAt == null || n.MetAt >= startAt) && (n.ClosedAt == null || n.ClosedAt >= startAt))))
            .Select(n => new { n.GridCode, n.Source, n.RaisedBy, n.Description, n.RaisedAt, n.MetAt, n.ClosedAt }).ToListAsync(ct))
            .Select(n => new NeedRow(n.GridCode, n.Source, n.RaisedBy, n.RaisedAt >= startAt, n.MetAt >= startAt && n.MetAt < endAt, n.Description,
                n.RaisedAt, n.MetAt, n.ClosedAt)).ToList();

        // A person counts no grid's projects, claims or councils; a subtree only those on its grids (a project on several grids
        // counts for each).
        var projects = (grids ? await db.GridProjects.AsNoTracking().Where(p => p.StartOn <= to && (p.EndOn == null || p.EndOn >= from)).ToListAsync(ct) : [])
            .Where(p => subtree is null || p.GridCodes.Any(code => code.StartsWith(subtree, StringComparison.Ordinal)))
            .Select(p => new ProjectRow(p.GridCodes, p.Status == ProjectStatus.Completed && p.EndOn >= from && p.EndOn <= to, p.Beneficiaries, p.Name, p.EndOn,
                p.Status)).ToList();
        var claims = (grids ? await db.Claims.AsNoTracking().InSubtree(c => c.GridCode, subtree).Where(c => c.StartOn <= to && c.EndOn >= from).ToListAsync(ct) : [])
            .Where(c => c.KeptDuring(from, to) is not null).ToList();
        var councils = (grids ? await db.CourtyardCouncils.AsNoTracking().InSubtree(c => c.GridCode, subtree).Where(c => c.HeldOn >= from && c.HeldOn <= to)
                .ToListAsync(ct) : [])
            .Select(c => new CouncilRow(c.GridCode, c.RecordedBy, c.FollowUps.Count(f => f.Kind == FollowUpKind.Need),
                c.FollowUps.Count(f => f.Kind == FollowUpKind.Case), c.CompoundName, c.HeldOn, c.FollowUps)).ToList();

        return new FieldWorkSources
        {
            Period = period,
            PatrolDays = days,
            Walks = walks,
            Knocks = knocks,
            Liaisons = liaisons,
            LiaisonCounted = counted,
            Needs = needs,
            Projects = projects,
            Claims = claims,
            Councils = councils,
        };
    }
}
