using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Features.Briefings;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// The team indicators (<see cref="TeamIndicators"/>): training and work IDs from the roster, briefings read from their
/// receipts. The roster members are those the caller sees (by community, or by the grids they work); their attendance rows
/// and work IDs are then read by member, because those rows are scoped by community and a grid's staff would otherwise not
/// see their own people's. A grid counts the members assigned to it or below it (training: during the period; work IDs: on
/// its last day) and the receipts of recipients whose grid lies under it; a worker counts their own.
/// </summary>
public sealed class TeamIndicatorSource : IIndicatorSource
{
    /// <summary>How far back an earlier pass of a course still counts for it.</summary>
    public const int PassLookBackDays = 366;

    private static readonly IReadOnlySet<string> TeamCodes = new HashSet<string>(StringComparer.Ordinal) { "training-done", "work-id-valid", "briefings-read" };

    /// <summary>The roster kinds a work ID is required of (网格长、专职网格员、微网格员): the people behind the grid worker roles.</summary>
    private static readonly MemberKind[] Carded = [MemberKind.GridLeader, MemberKind.FullTimeWorker, MemberKind.MicroVolunteer];

    public IReadOnlySet<string> Codes => TeamCodes;

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>> ComputeAsync(CivicGridDbContext db,
        AssessmentScope scope, CancellationToken ct)
    {
        var wanted = scope.Subjects.SelectMany(scope.IndicatorsFor).Select(i => i.Code).Where(TeamCodes.Contains).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return result;
        }

        var days = scope.Days;
        var dutyDay = days.Ended ? days.To : PatrolTracks.BeijingDay(scope.AsOf) is var today && today < days.To ? today : days.To;
        // One worker: their roster entry. Grids of one subtree: the members assigned under it (the only ones they count).
        var roster = db.RosterMembers.AsNoTracking();
        if (scope.Person is { } person)
        {
            roster = roster.Where(m => m.UserId == person);
        }
        else if (scope.Subtree is { } subtree)
        {
            var assigned = db.GridAssignments.AsNoTracking().InSubtree(a => a.GridCode, subtree).Select(a => a.MemberId);
            roster = roster.Where(m => assigned.Contains(m.Id));
        }

        // In a stable order, so that an account on the roster twice is linked to the same member however many are read.
        var members = await roster.OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Name, m.Kind, m.UserId, Assignments = m.Assignments.Select(a => new { a.GridCode, a.StartOn, a.EndOn }).ToList() })
            .ToListAsync(ct);
        var ids = members.Select(m => m.Id).ToList();
        var training = wanted.Contains("training-done") ? await TrainingAsync(db, ids, days, ct) : [];
        var trainingBy = training.ToLookup(t => t.MemberId);
        var workIds = wanted.Contains("work-id-valid") ? await WorkIdsAsync(db, ids, ct) : Array.Empty<WorkId>().ToLookup(w => w.MemberId);
        var receipts = wanted.Contains("briefings-read") ? await ReceiptsAsync(db, scope, ct) : [];

        if (scope.Kind == SubjectKind.Grid)
        {
            var trainedIn = members.SelectMany(m => m.Assignments.Where(a => a.StartOn <= days.To && (a.EndOn is null || a.EndOn > days.From))
                .Select(a => scope.GridRowOf(a.GridCode)).OfType<string>().Distinct().Select(row => (row, m.Id))).ToLookup(x => x.row, x => x.Id);
            var onDutyIn = members.Where(m => Carded.Contains(m.Kind))
                .SelectMany(m => m.Assignments.Where(a => new DutySpell(a.StartOn, a.EndOn).Covers(dutyDay))
                    .Select(a => scope.GridRowOf(a.GridCode)).OfType<string>().Distinct().Select(row => (row, m)))
                .ToLookup(x => x.row, x => new OnDutyFacts(x.m.Name, workIds[x.m.Id].ToList()));
            var receiptsIn = receipts.ToLookup(r => scope.GridRowOf(r.ScopeCode));
            foreach (var subject in scope.Subjects)
            {
                result[subject.Code] = Compute(wanted, scope, days, trainedIn[subject.Code].SelectMany(id => trainingBy[id]), onDutyIn[subject.Code], dutyDay,
                    receiptsIn[subject.Code].Select(r => r.Facts));
            }

            return result;
        }

        var byAccount = members.Where(m => m.UserId is not null).GroupBy(m => m.UserId!.Value).ToDictionary(g => g.Key, g => g.First());
        var receiptsBy = receipts.ToLookup(r => r.UserId);
        foreach (var subject in scope.Subjects.Where(x => x.UserId is not null))
        {
            var member = byAccount.GetValueOrDefault(subject.UserId!.Value);
            var onDuty = member is not null && Carded.Contains(member.Kind) && member.Assignments.Any(a => new DutySpell(a.StartOn, a.EndOn).Covers(dutyDay))
                ? new[] { new OnDutyFacts(member.Name, workIds[member.Id].ToList()) }
                : [];
            result[subject.Code] = Compute(wanted, scope, days, member is null ? [] : trainingBy[member.Id], onDuty, dutyDay,
                receiptsBy[subject.UserId!.Value].Select(r => r.Facts));
        }

        return result;
    }

    private static Dictionary<string, ComputedIndicator> Compute(HashSet<string> wanted, AssessmentScope scope, AssessedDays days,
        IEnumerable<TrainingFacts> training, IEnumerable<OnDutyFacts> onDuty, DateOnly dutyDay, IEnumerable<ReceiptFacts> receipts)
    {
        var computed = new Dictionary<string, ComputedIndicator>(StringComparer.Ordinal);
        if (wanted.Contains("training-done"))
        {
            computed["training-done"] = TeamIndicators.TrainingDone(training, days);
        }

        if (wanted.Contains("work-id-valid"))
        {
            computed["work-id-valid"] = TeamIndicators.WorkIdValid(onDuty, dutyDay);
        }

        if (wanted.Contains("briefings-read"))
        {
            computed["briefings-read"] = TeamIndicators.BriefingsRead(receipts, scope.Until);
        }

        return computed;
    }

    /// <summary>The members' rows of the sessions held from a year before the period to its end, with their course.</summary>
    private static async Task<List<TrainingFacts>> TrainingAsync(CivicGridDbContext db, IReadOnlyList<Guid> members, AssessedDays days, CancellationToken ct)
    {
        var since = days.From.AddDays(-PassLookBackDays);
        var facts = new List<TrainingFacts>();
        foreach (var chunk in members.Chunk(500))
        {
            var rows = await db.Attendances.AsNoTracking().IgnoreQueryFilters().Where(a => chunk.Contains(a.MemberId))
                .Join(db.TrainingSessions.AsNoTracking().IgnoreQueryFilters().Where(t => t.HeldOn >= since && t.HeldOn <= days.To),
                    a => a.SessionId, t => t.Id, (a, t) => new { a.MemberId, t.CourseId, t.HeldOn, a.Attended, a.Score })
                .Join(db.Courses.AsNoTracking().IgnoreQueryFilters(), x => x.CourseId, c => c.Id,
                    (x, c) => new { x.MemberId, x.CourseId, c.Title, c.PassMark, x.HeldOn, x.Attended, x.Score })
                .Join(db.RosterMembers.AsNoTracking().IgnoreQueryFilters(), x => x.MemberId, m => m.Id,
                    (x, m) => new { x.MemberId, m.Name, x.CourseId, x.Title, x.PassMark, x.HeldOn, x.Attended, x.Score })
                .ToListAsync(ct);
            facts.AddRange(rows.Select(r => new TrainingFacts(r.MemberId, r.Name, r.CourseId, r.Title, r.PassMark, r.HeldOn, r.Attended, r.Score)));
        }

        return facts;
    }

    private static async Task<ILookup<Guid, WorkId>> WorkIdsAsync(CivicGridDbContext db, IReadOnlyList<Guid> members, CancellationToken ct)
    {
        var ids = new List<WorkId>();
        foreach (var chunk in members.Chunk(500))
        {
            ids.AddRange(await db.WorkIds.AsNoTracking().IgnoreQueryFilters().Where(w => chunk.Contains(w.MemberId)).ToListAsync(ct));
        }

        return ids.ToLookup(w => w.MemberId);
    }

    /// <summary>
    /// The receipts of the briefings sent in the period to recipients whose grid lies in the caller's scope, and to the sunk
    /// liaisons assessed there (their own grid is their department's).
    /// </summary>
    private static async Task<List<Receipt>> ReceiptsAsync(CivicGridDbContext db, AssessmentScope scope, CancellationToken ct)
    {
        var (start, end) = (scope.Start.ToUniversalTime(), scope.End.ToUniversalTime());
        var under = db.Scope.Code;
        var liaisons = scope.People.Where(p => p.IsLiaison).Select(p => p.UserId).ToList();
        var recipients = db.BriefingRecipients.AsNoTracking().IgnoreQueryFilters().Where(r => r.ScopeCode.StartsWith(under) || liaisons.Contains(r.UserId));
        if (scope.Person is { } person)
        {
            recipients = recipients.Where(r => r.UserId == person);
        }
        else
        {
            // Grids count the receipts of recipients under them (a liaison's receipt sits at their department, under no grid).
            recipients = recipients.InSubtree(r => r.ScopeCode, scope.Subtree);
        }

        return [.. (await recipients
            .Join(db.Briefings.AsNoTracking().IgnoreQueryFilters().Where(b => b.SentAt >= start && b.SentAt < end), r => r.BriefingId, b => b.Id,
                (r, b) => new { r.UserId, r.DisplayName, r.ScopeCode, r.FirstOpenedAt, r.ConfirmedAt, b.Title, b.SentAt, b.RequiresConfirmation })
            .ToListAsync(ct))
            .Select(r => new Receipt(r.UserId, r.ScopeCode,
                new ReceiptFacts(r.Title, r.SentAt, r.DisplayName, r.RequiresConfirmation, r.FirstOpenedAt, r.ConfirmedAt)))];
    }

    private sealed record Receipt(Guid UserId, string ScopeCode, ReceiptFacts Facts);
}
