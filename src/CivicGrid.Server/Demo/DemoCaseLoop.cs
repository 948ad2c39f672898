using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.District;

namespace CivicGrid.Server.Demo;

/// <summary>
/// Walks each generated case through the case workflow with the same verbs the API calls, as the people of its grid
/// would, so its timeline, deadlines and counters are valid by construction: screening (accepted within the acceptance
/// time or late; a few rejected), escalation when the matter is beyond the grid, assignment with the due time from the
/// work calendar and the category's limit, handling (on time or late, late ones supervised or escalated by the
/// system), mediations, meetings and district hand-overs the colour needs, verification (some sent back for rework),
/// the reporter's rating (or the automatic evaluation) and the close. Every step happens at its own time; a step that
/// would lie after the anchor (<c>now</c>) does not happen, so recent cases stay open at the stage they had reached.
/// </summary>
/// <remarks>
/// How well a case goes depends on its 3rd-level grid's <see cref="DemoDataset.GridQuality"/> (0 weak – 1 strong), so
/// the grids' indicators and rankings differ. All randomness comes from the loop's own seeded stream.
/// </remarks>
internal sealed class DemoCaseLoop
{
    /// <summary>What the acceptance indicator allows (AssessmentOptions.AcceptWithinWorkingHours).</summary>
    private const double AcceptWithinWorkingHours = 2;

    /// <summary>The automatic evaluation's waiting period (AutoEvaluationOptions.WaitingDays).</summary>
    private static readonly TimeSpan EvaluationWaiting = TimeSpan.FromDays(7);

    private static readonly string[] RejectReasons =
    [
        "经现场核实，问题不存在。", "属于私人纠纷，已告知通过法律途径解决。", "与已受理案件重复反映，已告知关注原案件。", "不属于本平台受理范围，已告知向相关部门反映。",
    ];

    private static readonly string[] EscalateReasons =
    [
        "涉及多个部门，网格无法独立解决，提请上级协调。", "涉及物业与业主之间的矛盾，需联合调解。", "需要专项资金和施工，超出本级处置能力。",
    ];

    private static readonly string[] ReworkNotes =
    [
        "现场复核仍有遗留问题，请彻底处理。", "处置照片与现场不符，请补充处置。", "居民反映问题反弹，请再次处理。",
    ];

    private static readonly string[] Places = ["社区议事室", "小区物业办公室", "网格工作站", "街道综治中心"];

    private readonly WorkCalendar _calendar;
    private readonly DateTimeOffset _now;
    private readonly Random _random;
    private readonly IReadOnlyDictionary<string, double> _quality;
    private readonly Dictionary<Guid, Actor> _actors = [];
    private readonly Dictionary<string, UserAccount> _staffByScope = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserAccount> _leaderByThird;
    private readonly Dictionary<string, UserAccount> _microWorkerByThird;
    private readonly Dictionary<Guid, UserAccount> _users;
    private readonly List<UserAccount> _liaisons;
    private readonly List<DistrictReferral> _referrals = [];
    private readonly Dictionary<string, CaseCategory> _categories;

    public DemoCaseLoop(WorkCalendar calendar, DateTimeOffset now, int seed, IReadOnlyList<UserAccount> users,
        Dictionary<string, UserAccount> leaderByThird, Dictionary<string, UserAccount> microWorkerByThird, IReadOnlyDictionary<string, double> quality, IEnumerable<CaseCategory> categories)
    {
        _categories = categories.ToDictionary(k => k.Code, StringComparer.Ordinal);
        _calendar = calendar;
        _now = now;
        _random = new Random(seed + 4711);
        _quality = quality;
        _leaderByThird = leaderByThird;
        _microWorkerByThird = microWorkerByThird;
        _users = users.ToDictionary(u => u.Id);
        _liaisons = [.. users.Where(u => u.Roles.Contains(Role.DepartmentLiaison) && u.OrganisationId is not null)];
        foreach (var user in users.Where(u => u.Roles.Any(r => r is Role.CommunityStaff or Role.SubdistrictOperator or Role.DistrictViewer)))
        {
            _staffByScope.TryAdd(user.ScopeCode, user);
        }
    }

    /// <summary>The district referrals written when red cases were handed to the district.</summary>
    public IReadOnlyList<DistrictReferral> Referrals => _referrals;

    /// <summary>Plays the case's history up to the anchor; <paramref name="tier"/> is the colour the matter needs.</summary>
    /// <param name="parked">Whether the case is put aside (挂账) while in work, and stays so.</param>
    public void Walk(Case c, CaseTier tier, bool rejected, bool parked)
    {
        var third = c.GridCode[..GridCodes.ThirdLength];
        var quality = _quality.GetValueOrDefault(third, 0.6);

        // Screening: mostly within the acceptance time, more often late in a weak grid.
        var lateAcceptance = _random.NextDouble() < 0.03 + (0.22 * (1 - quality));
        var screenedAt = _calendar.AddWorkingHours(c.ReportedAt,
            lateAcceptance ? AcceptWithinWorkingHours * (1.2 + (3 * _random.NextDouble())) : AcceptWithinWorkingHours * (0.05 + (0.85 * _random.NextDouble()))).ToUniversalTime();
        if (!Due(screenedAt))
        {
            return;
        }

        var screener = Owner(c);
        if (rejected)
        {
            c.Reject(screener, c.Version, screenedAt, RejectReasons[_random.Next(RejectReasons.Length)]);
            return;
        }

        c.Accept(screener, c.Version, screenedAt);
        var at = screenedAt;
        while (c.Tier < tier)
        {
            at = at.AddMinutes(5 + _random.Next(40));
            if (!Due(at))
            {
                return;
            }

            c.Escalate(Owner(c), c.Version, at, EscalateReasons[_random.Next(EscalateReasons.Length)], automatic: false);
        }

        var lateShare = 0.03 + (0.25 * (1 - quality));
        // An automatic escalation starts another round at the next colour; the last one is not let run late again.
        for (var round = 0; round < 3; round++)
        {
            var outcome = HandlingRound(c, ref at, round == 0 && parked, round switch { 0 => lateShare, 1 => lateShare / 3, _ => 0 });
            if (outcome is RoundOutcome.Stopped)
            {
                return;
            }

            if (outcome is RoundOutcome.Handled)
            {
                break;
            }
        }

        if (c.Status != CaseStatus.Handled)
        {
            return;
        }

        // Verification by owner staff who did not record the result; a weak grid's results are sent back more often.
        if (_random.NextDouble() < 0.02 + (0.14 * (1 - quality)))
        {
            at = at.AddHours(2 + (30 * _random.NextDouble()));
            if (!Due(at))
            {
                return;
            }

            c.Verify(Verifier(c), c.Version, at, false, ReworkNotes[_random.Next(ReworkNotes.Length)]);
            at = at.AddHours(4 + (40 * _random.NextDouble()));
            if (!Due(at))
            {
                return;
            }

            c.RecordHandled(Handler(c), c.Version, at, "已按核查意见返工处理完毕。", [Photo()]);
        }

        at = at.AddHours(1 + (26 * _random.NextDouble()));
        if (!Due(at))
        {
            return;
        }

        c.Verify(Verifier(c), c.Version, at, true, null);
        if (!Evaluate(c, ref at, quality))
        {
            return;
        }

        at = at.AddMinutes(10 + _random.Next(600));
        if (Due(at))
        {
            c.Close(Owner(c), c.Version, at);
        }
    }

    private enum RoundOutcome
    {
        Stopped,
        Handled,
        Escalated,
    }

    /// <summary>One assignment: due time, handling, the colour's extra step, supervision or escalation when late, the result.</summary>
    private RoundOutcome HandlingRound(Case c, ref DateTimeOffset at, bool parked, double lateShare)
    {
        if (c.Tier == CaseTier.Red && c.DistrictRecordId is null)
        {
            at = at.AddMinutes(20 + _random.Next(120));
            if (!Due(at))
            {
                return RoundOutcome.Stopped;
            }

            HandToDistrict(c, at);
        }

        var category = _categories[c.CategoryCode];
        var assignAt = at.AddMinutes(5 + _random.Next(90));
        if (!Due(assignAt))
        {
            return RoundOutcome.Stopped;
        }

        var due = category.DueAt(_calendar, assignAt, c.Tier).ToUniversalTime();
        c.Assign(Owner(c), c.Version, assignAt, Assignee(c), due);
        var startAt = assignAt.AddMinutes(10 + _random.Next(110));
        if (!Due(startAt))
        {
            return RoundOutcome.Stopped;
        }

        c.StartHandling(Handler(c), c.Version, startAt);
        at = startAt;
        if (parked)
        {
            var parkAt = startAt.AddHours(4 + (20 * _random.NextDouble()));
            if (!Due(parkAt))
            {
                return RoundOutcome.Stopped;
            }

            var reviewOn = DateOnly.FromDateTime(parkAt.ToOffset(WorkCalendar.BeijingOffset).Date).AddDays(30 + _random.Next(60));
            c.Park(Owner(c), c.Version, parkAt, "需等待汛期过后或专项资金到位再行处置。", reviewOn);
            return RoundOutcome.Stopped;
        }

        // Handled within the limit, mostly well within; late ones run a little or a lot over.
        var span = due - assignAt;
        var late = _random.NextDouble() < lateShare;
        var share = late
            ? (_random.NextDouble() < 0.25 ? 2.5 + (4 * _random.NextDouble()) : 1.05 + (1.2 * _random.NextDouble()))
            : 0.08 + (0.85 * Math.Pow(_random.NextDouble(), 1.4));
        var handledAt = assignAt + (span * share);
        if (handledAt <= startAt)
        {
            handledAt = startAt.AddMinutes(20 + _random.Next(60));
        }

        if (c.Tier is CaseTier.Yellow or CaseTier.Blue)
        {
            // Before the due time, so that a supervision or escalation of a late case follows it.
            var heldAt = startAt + (((handledAt < due ? handledAt : due) - startAt) * 0.6);
            if (!Due(heldAt))
            {
                return RoundOutcome.Stopped;
            }

            RecordTierStep(c, heldAt);
        }

        if (late)
        {
            var overdueAt = due.AddHours(1 + (6 * _random.NextDouble()));
            if (overdueAt < handledAt && Due(overdueAt))
            {
                if (c.Tier < CaseTier.Red && _random.NextDouble() < 0.3)
                {
                    c.Escalate(Actor.System, c.Version, overdueAt, "超过办理时限未办结，系统自动升级。", automatic: true);
                    at = overdueAt;
                    return RoundOutcome.Escalated;
                }

                if (_random.NextDouble() < 0.6)
                {
                    c.Supervise(Actor.System, c.Version, overdueAt, "案件已超过办理时限，系统自动督办，请尽快办结。", _calendar.AddWorkingHours(overdueAt, 8));
                }
            }
        }

        if (!Due(handledAt))
        {
            return RoundOutcome.Stopped;
        }

        c.RecordHandled(Handler(c), c.Version, handledAt, "已到现场处置完毕，拍照留存。", [Photo()]);
        at = handledAt;
        return RoundOutcome.Handled;
    }

    /// <summary>
    /// The reporter rates most cases a resident reported; a reporter who is staff, or one who stays silent, leaves it to the
    /// automatic evaluation; a case nobody can rate (no reporter, no phone) closes verified.
    /// </summary>
    private bool Evaluate(Case c, ref DateTimeOffset at, double quality)
    {
        var reporter = c.ReporterId is { } id ? _users[id] : null;
        var rates = reporter is null
            ? c.ReporterPhone is not null && _random.NextDouble() < 0.8
            : reporter.Roles.Contains(Role.Resident) && _random.NextDouble() < 0.85;
        if (rates)
        {
            at = at.AddHours(1 + (60 * _random.NextDouble()));
            if (!Due(at))
            {
                return false;
            }

            var actor = reporter is null ? Actor.AnonymousReporter(c.Number) : ActorOf(reporter);
            c.Evaluate(actor, c.Version, at, Rating(quality, c.ReopenCount), null);
            return true;
        }

        if (reporter is null)
        {
            return true;
        }

        at += EvaluationWaiting + TimeSpan.FromMinutes(_random.Next(600));
        if (!Due(at))
        {
            return false;
        }

        c.AutoEvaluate(Actor.System, c.Version, at, EvaluationWaiting);
        return true;
    }

    /// <summary>Stars: most satisfied, fewer in a weak grid and after rework.</summary>
    private int Rating(double quality, int reworks)
    {
        var roll = _random.NextDouble() + (0.25 * (1 - quality)) + (0.2 * reworks);
        return roll switch
        {
            < 0.55 => 5,
            < 0.85 => 4,
            < 0.95 => 3,
            < 1.05 => 2,
            _ => 1,
        };
    }

    private void RecordTierStep(Case c, DateTimeOffset at)
    {
        if (c.Tier == CaseTier.Yellow)
        {
            c.RecordMediation(Owner(c), c.Version, at, [DemoNames.Person(_random), DemoNames.Person(_random), "网格长"], at.AddHours(-1),
                Places[_random.Next(Places.Length)], "各方达成一致意见，按调解方案落实。");
        }
        else
        {
            c.RecordMeetingDecision(Owner(c), c.Version, at, DemoGuid(), "联席会议研究决定：由相关部门牵头，限期整改到位。");
        }
    }

    private void HandToDistrict(Case c, DateTimeOffset at)
    {
        var operations = _staffByScope[c.GridCode[..GridCodes.SubdistrictLength]];
        var referral = new DistrictReferral
        {
            Id = DemoGuid(), CaseId = c.Id, CaseNumber = c.Number, SubdistrictCode = c.GridCode[..GridCodes.SubdistrictLength],
            Summary = $"{c.Title}，需区级部门协调解决。", CreatedBy = operations.Id, CreatedAt = at, Status = ReferralStatus.Replied,
            DeliveredAt = at.AddMinutes(1), Answer = "区级部门已受理，将会同街道限期解决。", AnsweredAt = at.AddHours(6),
        };
        c.HandToDistrict(ActorOf(operations), c.Version, at, referral.Id);
        _referrals.Add(referral);
    }

    /// <summary>The staff the case's colour makes its owner: the grid leader for green, the community, the subdistrict, the district.</summary>
    private Actor Owner(Case c)
    {
        var owner = CaseRules.OwnerCodeOf(c.GridCode, c.Tier);
        return ActorOf(c.Tier == CaseTier.Green ? _leaderByThird[owner] : _staffByScope[owner]);
    }

    /// <summary>A green case in the volunteer's micro-grid goes to them mostly, else the leader; higher colours to the leader or a department.</summary>
    private CaseAssignee Assignee(Case c)
    {
        var third = c.GridCode[..GridCodes.ThirdLength];
        if (c.Tier >= CaseTier.Blue && _liaisons.Count > 0 && _random.NextDouble() < 0.5)
        {
            var liaison = _liaisons[_random.Next(_liaisons.Count)];
            return CaseAssignee.Department(liaison.OrganisationId!.Value, DepartmentName(liaison));
        }

        // The volunteer looks after one micro-grid only: a case elsewhere in the grid goes to the leader.
        var volunteer = _microWorkerByThird[third];
        var person = c.Tier == CaseTier.Green && GridCodes.IsWithin(c.GridCode, volunteer.ScopeCode) && _random.NextDouble() < 0.65 ? volunteer : _leaderByThird[third];
        return CaseAssignee.User(person.Id, person.DisplayName);
    }

    private static string DepartmentName(UserAccount liaison) =>
        DemoNames.Departments.FirstOrDefault(d => liaison.UserName.StartsWith(d.UserPrefix, StringComparison.Ordinal)).Name ?? "职能部门";

    private Actor Handler(Case c)
    {
        if (c.AssigneeUserId is { } id)
        {
            return ActorOf(_users[id]);
        }

        return ActorOf(_liaisons.First(l => l.OrganisationId == c.AssigneeDepartmentId));
    }

    /// <summary>Owner staff other than whoever recorded the result: the leader checks the micro-grid worker, the community the leader.</summary>
    private Actor Verifier(Case c)
    {
        var owner = Owner(c);
        return owner.UserId != c.HandledBy ? owner : ActorOf(_staffByScope[c.GridCode[..GridCodes.CommunityLength]]);
    }

    private Actor ActorOf(UserAccount user)
    {
        if (!_actors.TryGetValue(user.Id, out var actor))
        {
            actor = Actor.Of(user);
            _actors[user.Id] = actor;
        }

        return actor;
    }

    private bool Due(DateTimeOffset at) => at <= _now;

    /// <summary>A photo's id for a recorded result (the demo stores no image files).</summary>
    private Guid Photo() => DemoGuid();

    private Guid DemoGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
