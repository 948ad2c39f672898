using System.Collections.Immutable;
using CivicGrid.Domain.Geography;
using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// One reported matter (事件/案件): where, what, who reported it, where it stands, and its whole history.
/// </summary>
/// <remarks>
/// <para>The workflow's verbs (<see cref="Accept"/>, <see cref="Assign"/>, <see cref="Escalate"/>…) are in
/// Case.Workflow.cs; docs/adr/0008-case-workflow.md has the table of statuses and transitions.</para>
/// <para>Invariants: <see cref="Version"/> counts the transitions since the report, and the timeline holds
/// exactly <c>Version + 1</c> entries (the report first), hash-chained per <see cref="CaseTimeline"/>.
/// Every change of status, colour or grid goes through a verb that checks its rules, appends one entry and
/// increments the version; nothing reads the clock — every verb takes the time it happens.</para>
/// </remarks>
public sealed partial class Case
{
    private readonly List<CaseTimelineEntry> _timeline = [];
    private readonly List<CaseMediation> _mediations = [];
    private readonly List<CaseMeetingDecision> _meetingDecisions = [];

    private Case()
    {
        Number = null!;
        CategoryCode = null!;
        Title = null!;
        Description = null!;
        Location = null!;
        GridCode = null!;
    }

    /// <summary>Creates a reported case and its first timeline entry, <c>report</c>, at version 0.</summary>
    /// <param name="gridCode">The finest territorial grid the case was routed to; a community code or longer.</param>
    /// <param name="reporterName">The reporter's name for the timeline; staff see it, residents do not.</param>
    /// <exception cref="ArgumentException">An empty number or title, or a grid code shorter than a community's.</exception>
    public Case(string number, string categoryCode, string title, string description, Point location, string gridCode,
        CaseTier tier, CaseChannel channel, Guid? reporterId, DateTimeOffset reportedAt, string? reporterName = null,
        IEnumerable<Guid>? photoIds = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (gridCode.Length < GridCodes.CommunityLength)
        {
            throw new ArgumentException("A case is routed to a community or a grid below it.", nameof(gridCode));
        }

        Id = Guid.CreateVersion7();
        Number = number;
        CategoryCode = categoryCode;
        Title = title;
        Description = description;
        location.SRID = 4326;
        Location = location;
        GridCode = gridCode;
        Tier = tier;
        Channel = channel;
        ReporterId = reporterId;
        ReportedAt = reportedAt;
        Status = CaseStatus.Reported;
        Append(new CaseTimelineEntry
        {
            Sequence = 1,
            At = CaseTimeline.Normalise(reportedAt),
            ActorId = reporterId ?? Guid.Empty,
            ActorName = string.IsNullOrWhiteSpace(reporterName) ? (reporterId is null ? "匿名报告人" : "报告人") : reporterName,
            Action = "report",
            FromStatus = null,
            ToStatus = CaseStatus.Reported,
            FromTier = tier,
            ToTier = tier,
            ToGridCode = gridCode,
            Details = Facts(("channel", channel.ToString()), ("category", categoryCode)),
            AttachmentIds = photoIds is null ? [] : [.. photoIds.Where(id => id != Guid.Empty).Distinct()],
            IsPublic = true,
            PublicText = $"您反映的问题已收到，案件编号 {number}。",
        });
    }

    public Guid Id { get; private set; }

    /// <summary>Readable number: report date yyyyMMdd + 5-digit daily sequence, e.g. <c>2026112700042</c>.</summary>
    public string Number { get; private set; }

    public string CategoryCode { get; private set; }

    public string Title { get; private set; }

    public string Description { get; private set; }

    /// <summary>Where the matter is, WGS-84 lon/lat.</summary>
    public Point Location { get; private set; }

    /// <summary>The finest territorial grid the case is routed to; scope checks use this code. Changes only by <see cref="Transfer"/>.</summary>
    public string GridCode { get; private set; }

    /// <summary>The colour, which decides the owning level (<see cref="CaseRules.OwnerCodeOf"/>). Rises only by <see cref="Escalate"/>.</summary>
    public CaseTier Tier { get; private set; }

    public CaseStatus Status { get; private set; }

    public CaseChannel Channel { get; private set; }

    /// <summary>The reporting user, if logged in; residents see only cases they reported.</summary>
    public Guid? ReporterId { get; private set; }

    /// <summary>Phone number left by an anonymous reporter; personal data, masked on output.</summary>
    public string? ReporterPhone { get; set; }

    public DateTimeOffset ReportedAt { get; private set; }

    /// <summary>The address the reporter gave or chose, as typed; the router learns lessons keyed by it.</summary>
    public string? Address { get; set; }

    /// <summary>The building the reporter chose (17-digit code), if any; transfers teach the router about it.</summary>
    public string? BuildingCode { get; set; }

    /// <summary>The compound the reporter chose (16-digit code), if any.</summary>
    public string? CompoundCode { get; set; }

    /// <summary>
    /// The external system the case came from, e.g. <see cref="ExternalSources.Hotline12345"/>, set at intake with
    /// <see cref="ExternalNumber"/>; together they are unique, so a re-import finds this case instead of making another.
    /// </summary>
    public string? ExternalSource { get; set; }

    /// <summary>The external system's own number for the matter (the 12345 工单编号), as it sent it; null for our own reports.</summary>
    public string? ExternalNumber { get; set; }

    /// <summary>When the case reached a final status: closed, rejected or merged.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The resident's rating 1–5 once evaluated; null when evaluated automatically.</summary>
    public int? Rating { get; private set; }

    /// <summary>
    /// Optimistic concurrency token: 0 when reported, +1 per transition. Every verb takes the version the caller
    /// saw and refuses with <see cref="CaseConcurrencyException"/> when it is stale.
    /// </summary>
    public int Version { get; private set; }

    public Guid? AssigneeUserId { get; private set; }

    public Guid? AssigneeDepartmentId { get; private set; }

    public string? AssigneeName { get; private set; }

    /// <summary>When the current assignment must be handled; a case in work past it is overdue.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Who recorded the current handling result; they may not verify it.</summary>
    public Guid? HandledBy { get; private set; }

    /// <summary>
    /// The staff member who typed in the report for a caller (a phone call, a walk-in, a visit); like anyone who recorded a
    /// handling result, they never verify or rate the case (<see cref="CaseRules.EnteredOrHandled"/>).
    /// </summary>
    public Guid? EnteredBy { get; init; }

    public DateTimeOffset? HandledAt { get; private set; }

    /// <summary>When the current result was verified; the automatic evaluation counts its waiting period from here.</summary>
    public DateTimeOffset? VerifiedAt { get; private set; }

    public string? EvaluationComment { get; private set; }

    /// <summary>True when nobody rated the case in time and the system evaluated it; <see cref="Rating"/> stays null.</summary>
    public bool EvaluatedAutomatically { get; private set; }

    /// <summary>How often the result was sent back for more work (返工).</summary>
    public int ReopenCount { get; private set; }

    /// <summary>The review date of a parked case.</summary>
    public DateOnly? ParkedUntil { get; private set; }

    /// <summary>The status a parked case returns to when resumed.</summary>
    public CaseStatus? StatusBeforeParking { get; private set; }

    /// <summary>The case that carries the work of this duplicate.</summary>
    public string? MergedIntoNumber { get; private set; }

    /// <summary>The outbound record that reported a red case to the district; it tracks delivery and answer.</summary>
    public Guid? DistrictRecordId { get; private set; }

    public int SupervisionCount { get; private set; }

    /// <summary>
    /// The grids an ambiguous location may belong to, the case's own first; empty once confirmed or when the
    /// router was sure. The first candidate grid's staff to claim it takes it (<see cref="ConfirmLocation"/>).
    /// </summary>
    public IReadOnlyList<string> LocationCandidates { get; private set; } = [];

    /// <summary>When an unconfirmed location goes to the best candidate (the case's current grid) automatically.</summary>
    public DateTimeOffset? LocationConfirmDueAt { get; private set; }

    /// <summary>True while the case waits in the "confirm location" queue of its candidate grids.</summary>
    public bool IsLocationPending => LocationConfirmDueAt is not null;

    /// <summary>The deadline set by the latest supervision (督办).</summary>
    public DateTimeOffset? SupervisionDueAt { get; private set; }

    /// <summary>Every change, oldest first; append-only and hash-chained.</summary>
    public IReadOnlyList<CaseTimelineEntry> Timeline => OrderedTimeline();

    /// <summary>Joint mediations recorded while the case was yellow.</summary>
    public IReadOnlyList<CaseMediation> Mediations => _mediations;

    /// <summary>Joint analysis meeting decisions recorded while the case was blue.</summary>
    public IReadOnlyList<CaseMeetingDecision> MeetingDecisions => _meetingDecisions;

    /// <summary>True when an assignment's due time has passed while the case is still assigned or in handling.</summary>
    public bool IsOverdue(DateTimeOffset now) =>
        Status is CaseStatus.Assigned or CaseStatus.InHandling && DueAt is { } due && due < now;

    /// <summary>What the reporting resident sees: the public entries, each as plain Chinese, oldest first.</summary>
    public IReadOnlyList<CasePublicEntry> PublicTimeline() =>
        [.. OrderedTimeline().Where(e => e.IsPublic).Select(e => new CasePublicEntry(e.Sequence, e.At, e.PublicText))];

    /// <summary>
    /// Checks this case's hash chain and that no entry is missing at the end. Returns the first broken sequence
    /// number, or null when the timeline is intact.
    /// </summary>
    public int? VerifyTimeline() =>
        CaseTimeline.Verify(Number, OrderedTimeline()) ?? (_timeline.Count == Version + 1 ? null : _timeline.Count + 1);

    /// <summary>
    /// Records a historical outcome for imported or generated history. The live workflow moves cases
    /// one verified transition at a time; this is only for data that already happened elsewhere, and it says
    /// so on the timeline (<c>restore-history</c>) like any other change.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rating outside 1–5, or a close before the report.</exception>
    public void RestoreHistory(CaseTier tier, CaseStatus status, DateTimeOffset? closedAt, int? rating)
    {
        if (rating is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(rating), rating, "A rating is 1 to 5 stars.");
        }

        if (closedAt is { } closed && closed < ReportedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(closedAt), closedAt, "A case closes after it was reported.");
        }

        ClosedAt = closedAt;
        Rating = rating;
        var details = rating is { } stars ? Facts(("rating", Invariant(stars))) : null;
        Record(Actor.System with { DisplayName = "历史数据导入" }, closedAt ?? ReportedAt, "restore-history", status,
            true, $"历史办理情况已导入，当前状态：{status.ToChinese()}。", toTier: tier, details: details);
    }

    /// <summary>
    /// Records a generated or imported outcome with the facts the dashboards count: the handling deadline, when the result
    /// was handled, the department it was assigned to, a supervision's deadline, a parked case's review date, the case a
    /// duplicate was merged into. Like <see cref="RestoreHistory(CaseTier, CaseStatus, DateTimeOffset?, int?)"/>, one
    /// <c>restore-history</c> entry says so on the timeline; it is for bulk history (<c>seed scale</c>), never for live work.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rating outside 1–5, or a close before the report.</exception>
    /// <exception cref="ArgumentException">A merged outcome without the case it was merged into, or a parked one without a review date.</exception>
    public void RestoreHistory(HistoricalOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status == CaseStatus.Merged && string.IsNullOrWhiteSpace(outcome.MergedIntoNumber))
        {
            throw new ArgumentException("A merged case names the case it was merged into.", nameof(outcome));
        }

        if (outcome.Status == CaseStatus.Parked && outcome.ParkedUntil is null)
        {
            throw new ArgumentException("A parked case has a review date.", nameof(outcome));
        }

        AssigneeDepartmentId = outcome.DepartmentId;
        AssigneeName = outcome.DepartmentId is null ? null : outcome.DepartmentName;
        DueAt = outcome.DueAt is { } due ? CaseTimeline.Normalise(due) : null;
        HandledAt = outcome.HandledAt is { } handled ? CaseTimeline.Normalise(handled) : null;
        if (outcome.SupervisionDueAt is { } supervision)
        {
            SupervisionCount = 1;
            SupervisionDueAt = CaseTimeline.Normalise(supervision);
        }

        MergedIntoNumber = outcome.Status == CaseStatus.Merged ? outcome.MergedIntoNumber : null;
        ParkedUntil = outcome.Status == CaseStatus.Parked ? outcome.ParkedUntil : null;
        StatusBeforeParking = outcome.Status == CaseStatus.Parked ? CaseStatus.Accepted : null;
        RestoreHistory(outcome.Tier, outcome.Status, outcome.ClosedAt is { } closed ? CaseTimeline.Normalise(closed) : null, outcome.Rating);
    }

    private void Record(Actor actor, DateTimeOffset now, string action, CaseStatus toStatus, bool isPublic, string publicText,
        string? note = null, CaseTier? toTier = null, string? toGridCode = null,
        ImmutableSortedDictionary<string, string>? details = null, IEnumerable<Guid>? attachmentIds = null)
    {
        var entry = new CaseTimelineEntry
        {
            Sequence = OrderedTimeline().Count + 1,
            At = CaseTimeline.Normalise(now),
            ActorId = actor.UserId,
            ActorName = actor.DisplayName,
            Action = action,
            FromStatus = Status,
            ToStatus = toStatus,
            FromTier = Tier,
            ToTier = toTier ?? Tier,
            FromGridCode = toGridCode is null ? null : GridCode,
            ToGridCode = toGridCode,
            Note = note,
            Details = details ?? Facts(),
            AttachmentIds = attachmentIds is null ? [] : [.. attachmentIds],
            IsPublic = isPublic,
            PublicText = publicText,
        };
        if (toStatus != CaseStatus.Reported || toGridCode is not null || entry.ToTier != Tier)
        {
            // Accepting, moving or escalating a case settles where it belongs: it leaves the confirm-location queue.
            LocationCandidates = [];
            LocationConfirmDueAt = null;
        }

        Status = toStatus;
        Tier = entry.ToTier;
        GridCode = toGridCode ?? GridCode;
        Version++;
        Append(entry);
    }

    private void Append(CaseTimelineEntry entry) =>
        _timeline.Add(CaseTimeline.Seal(entry, _timeline.Count == 0 ? Number : OrderedTimeline()[^1].Hash));

    /// <summary>
    /// The entries by sequence. A database hands a loaded case its entries in no guaranteed order (EF Core's split query
    /// orders the timeline rows by case, not by sequence; PostgreSQL's plan decides the rest), so they are put in order
    /// before anything reads or extends the chain. Sequences are unique (the key), so ordering hides nothing a
    /// verification should find.
    /// </summary>
    private List<CaseTimelineEntry> OrderedTimeline()
    {
        for (var i = 1; i < _timeline.Count; i++)
        {
            if (_timeline[i].Sequence < _timeline[i - 1].Sequence)
            {
                _timeline.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
                break;
            }
        }

        return _timeline;
    }

    private static ImmutableSortedDictionary<string, string> Facts(params (string Key, string Value)[] facts) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, facts.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
