using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Cases;

/// <summary>One named rule of the case workflow, with its refusal in English and in Chinese.</summary>
/// <param name="Name">Stable kebab-case name, <c>case.&lt;verb or actor&gt;.&lt;requirement&gt;</c>; never renamed.</param>
public sealed record CaseRule(string Name, string Message, string ChineseMessage);

/// <summary>
/// The case workflow's policy: who owns a case of each colour, who may act on it, and every named rule a
/// verb on <see cref="Case"/> may break. The table of transitions is in docs/adr/0008-case-workflow.md.
/// </summary>
/// <remarks>
/// <para>Ownership follows the colour: green cases are owned by the 3rd-level grid, yellow by the community,
/// blue by the subdistrict (operations centre), red by the district. <b>Owner staff</b> are users holding a
/// case-working role (<see cref="CaseWorkingRoles"/>) whose scope covers the owner's code; because codes are
/// prefixes of their children's, that includes every level above the owner (supervision), and never a
/// sibling grid or a lower level.</para>
/// <para>Handlers are the assignee (the user, or a department liaison of the assigned department) and owner
/// staff. Residents act only as the reporter of a case. The system acts only in automatic escalation,
/// automatic evaluation and supervision.</para>
/// </remarks>
public static partial class CaseRules
{
    /// <summary>Roles that act on cases for a level of the territory: grid, community, subdistrict, district.</summary>
    public static readonly IReadOnlySet<Role> CaseWorkingRoles = new HashSet<Role>
    {
        Role.GridWorker, Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator, Role.DistrictViewer,
    };

    public static readonly CaseRule OwnerStaffOnly = new("case.actor.owner-staff-only",
        "Only staff of the level that owns this case, or of a level above it, may do this.",
        "只有负责该案件的层级或其上级的工作人员可以进行此操作。");

    public static readonly CaseRule HandlerOnly = new("case.actor.handler-only",
        "Only the assignee, a liaison of the assigned department, or staff of the owning level may handle this case.",
        "只有承办人、承办部门的下沉人员或负责层级的工作人员可以处置该案件。");

    public static readonly CaseRule ReporterOnly = new("case.actor.reporter-only",
        "Only the person who reported this case may do this.",
        "只有反映该问题的本人可以进行此操作。");

    public static readonly CaseRule NotByWhoEnteredOrHandled = new("case.actor.not-entered-or-handled",
        "Whoever entered the report for a caller or recorded a handling result never verifies or rates the case.",
        "代为登记或处置过该案件的工作人员不能核查或评价该案件。");

    public static readonly CaseRule OwnerStaffOrReporterOnly = new("case.actor.owner-staff-or-reporter-only",
        "Only staff of the owning level or the person who reported this case may do this.",
        "只有负责层级的工作人员或反映问题的本人可以进行此操作。");

    public static readonly CaseRule ReportAlreadyClaimed = new("case.report.already-claimed",
        "The report already belongs to an account.",
        "该问题已关联到账户，不能再次认领。");

    public static readonly CaseRule SystemOnly = new("case.actor.system-only",
        "Only the system does this, automatically.",
        "此操作只能由系统自动完成。");

    public static readonly CaseRule HigherLevelOnly = new("case.actor.higher-level-only",
        "Only a level above the one that owns this case, or the system, may supervise it.",
        "只有案件负责层级的上级或系统可以督办。");

    public static readonly CaseRule SubdistrictOrDistrictOnly = new("case.actor.subdistrict-or-district-only",
        "Only the subdistrict operations centre or the district may hand a case to the district.",
        "只有街道城运中心或区级可以将案件上报区级。");

    public static readonly CaseRule AcceptOnlyWhenReported = new("case.accept.only-when-reported",
        "A case is accepted only while it is reported and not yet decided.",
        "只有待受理的案件可以立案。");

    public static readonly CaseRule RejectOnlyWhenReported = new("case.reject.only-when-reported",
        "A case is rejected only while it is reported and not yet decided.",
        "只有待受理的案件可以不予立案。");

    public static readonly CaseRule RejectReasonRequired = new("case.reject.reason-required",
        "Rejecting a case needs a reason.",
        "不予立案须说明理由。");

    public static readonly CaseRule AssignOnlyWhenAccepted = new("case.assign.only-when-accepted-or-in-work",
        "A case is assigned only once accepted and before it is handled.",
        "只有已立案、尚未处置完毕的案件可以交办。");

    public static readonly CaseRule AssignDueAfterNow = new("case.assign.due-after-now",
        "The due time of an assignment lies in the future.",
        "交办时限必须晚于当前时间。");

    public static readonly CaseRule StartHandlingOnlyWhenAssigned = new("case.start-handling.only-when-assigned",
        "Handling starts only on an assigned case.",
        "只有已交办的案件可以开始处置。");

    public static readonly CaseRule RecordHandledOnlyWhenInHandling = new("case.record-handled.only-when-in-handling",
        "A result is recorded only for a case in handling.",
        "只有处置中的案件可以反馈处置结果。");

    public static readonly CaseRule RecordHandledNoteRequired = new("case.record-handled.note-required",
        "Recording the result needs a note saying what was done.",
        "反馈处置结果须填写处置说明。");

    public static readonly CaseRule RecordHandledPhotoRequired = new("case.record-handled.photo-required",
        "Recording the result needs at least one photo.",
        "反馈处置结果须上传至少一张照片。");

    public static readonly CaseRule VerifyOnlyWhenHandled = new("case.verify.only-when-handled",
        "Only a handled case is verified.",
        "只有已处置的案件可以核查。");

    public static readonly CaseRule VerifyNotByHandler = new("case.verify.not-by-handler",
        "Whoever recorded the result does not verify it.",
        "处置人不能核查自己的处置结果。");

    public static readonly CaseRule VerifyNoteRequiredWhenFailed = new("case.verify.note-required-when-failed",
        "A failed verification needs a note saying what is still wrong.",
        "核查不通过须说明原因。");

    public static readonly CaseRule EvaluateOnlyWhenVerified = new("case.evaluate.only-when-verified",
        "Only a verified case is evaluated.",
        "只有已核查的案件可以评价。");

    public static readonly CaseRule EvaluateRatingOneToFive = new("case.evaluate.rating-1-to-5",
        "A rating is 1 to 5 stars.",
        "评价为 1 至 5 星。");

    public static readonly CaseRule AutoEvaluateOnlyWhenVerified = new("case.auto-evaluate.only-when-verified",
        "Only a verified case is evaluated automatically.",
        "只有已核查的案件可以自动评价。");

    public static readonly CaseRule AutoEvaluateOnlyAfterWaiting = new("case.auto-evaluate.only-after-waiting-period",
        "A case is evaluated automatically only after the reporter's time to evaluate it has passed.",
        "评价期限未满，不能自动评价。");

    public static readonly CaseRule CloseOnlyWhenEvaluated = new("case.close.only-when-evaluated",
        "A case closes once evaluated (or verified, when nobody reported it who could evaluate it).",
        "案件须评价后才能办结（无报告人的案件核查后即可办结）。");

    public static readonly CaseRule CloseYellowRequiresMediation = new("case.close.yellow-requires-mediation",
        "A yellow case closes only after a joint mediation is recorded.",
        "黄色案件须记录联调情况后才能办结。");

    public static readonly CaseRule CloseBlueRequiresMeetingDecision = new("case.close.blue-requires-meeting-decision",
        "A blue case closes only after a joint analysis meeting's decision is recorded.",
        "蓝色案件须记录联席会议决定后才能办结。");

    public static readonly CaseRule CloseRedRequiresDistrictRecord = new("case.close.red-requires-district-record",
        "A red case closes only after it was handed to the district.",
        "红色案件须上报区级后才能办结。");

    public static readonly CaseRule ReturnOnlyWhenAssigned = new("case.return.only-when-assigned-or-in-handling",
        "Only an assigned case, or one in handling, is returned.",
        "只有已交办或处置中的案件可以退回。");

    public static readonly CaseRule ReturnReasonRequired = new("case.return.reason-required",
        "Returning a case needs a reason.",
        "退回须说明理由。");

    public static readonly CaseRule TransferOnlyBeforeHandled = new("case.transfer.only-before-handled",
        "A case is transferred only before it is handled.",
        "只有尚未处置完毕的案件可以转办。");

    public static readonly CaseRule TransferReasonRequired = new("case.transfer.reason-required",
        "Transferring a case needs a reason.",
        "转办须说明理由。");

    public static readonly CaseRule TransferToAnotherGrid = new("case.transfer.to-another-valid-grid",
        "A case is transferred to another grid, given by a well-formed code of a community or a grid below it.",
        "转办目标须为另一个有效的社区或网格编码。");

    public static readonly CaseRule EscalateOnlyBeforeHandled = new("case.escalate.only-before-handled",
        "A case is escalated only while it is open and not yet handled.",
        "只有尚未处置完毕的在办案件可以升级。");

    public static readonly CaseRule EscalateNotBeyondRed = new("case.escalate.not-beyond-red",
        "A red case cannot be escalated further.",
        "红色案件已是最高等级，不能再升级。");

    public static readonly CaseRule EscalateReasonRequired = new("case.escalate.reason-required",
        "Escalating a case needs a reason.",
        "升级须说明理由。");

    public static readonly CaseRule EscalateAutomaticallyOnlyWhenOverdue = new("case.escalate.automatic-only-when-overdue",
        "A case is escalated automatically only when it is overdue.",
        "只有超期的案件可以自动升级。");

    public static readonly CaseRule ParkOnlyWhenInWork = new("case.park.only-when-in-work",
        "A case is parked only once accepted and before it is handled.",
        "只有已立案、尚未处置完毕的案件可以挂账。");

    public static readonly CaseRule ParkReasonRequired = new("case.park.reason-required",
        "Parking a case needs a reason.",
        "挂账须说明理由。");

    public static readonly CaseRule ParkReviewDateInFuture = new("case.park.review-date-in-future",
        "A parked case's review date lies in the future.",
        "挂账复查日期必须晚于今天。");

    public static readonly CaseRule ResumeOnlyWhenParked = new("case.resume.only-when-parked",
        "Only a parked case is resumed.",
        "只有挂账的案件可以恢复办理。");

    public static readonly CaseRule ReopenOnlyAfterHandled = new("case.reopen.only-after-handled",
        "A case is reopened only after it was handled and before it closes.",
        "只有已处置、尚未办结的案件可以返工。");

    public static readonly CaseRule ReopenReasonRequired = new("case.reopen.reason-required",
        "Reopening a case needs a reason.",
        "返工须说明理由。");

    public static readonly CaseRule MergeOnlyBeforeHandled = new("case.merge.only-before-handled",
        "A case is merged only while it is open and not yet handled.",
        "只有尚未处置完毕的在办案件可以合并。");

    public static readonly CaseRule MergeNotIntoItself = new("case.merge.into-another-case",
        "A case is merged into another case.",
        "案件只能合并到另一个案件。");

    public static readonly CaseRule MediationOnlyYellow = new("case.mediation.only-yellow",
        "A joint mediation is recorded on a yellow case.",
        "只有黄色案件记录联调。");

    public static readonly CaseRule MediationOnlyWhenOpen = new("case.mediation.only-when-open",
        "A joint mediation is recorded only on an open case.",
        "只有在办案件可以记录联调。");

    public static readonly CaseRule MediationComplete = new("case.mediation.participants-place-outcome-required",
        "A joint mediation names its participants, its place and its outcome.",
        "联调记录须包括参与人员、地点和结果。");

    public static readonly CaseRule MediationNotInFuture = new("case.mediation.not-in-future",
        "A joint mediation is recorded after it took place.",
        "联调须在举行后记录。");

    public static readonly CaseRule MeetingDecisionOnlyBlue = new("case.meeting-decision.only-blue",
        "A joint analysis meeting's decision is recorded on a blue case.",
        "只有蓝色案件记录联席会议决定。");

    public static readonly CaseRule MeetingDecisionOnlyWhenOpen = new("case.meeting-decision.only-when-open",
        "A meeting decision is recorded only on an open case.",
        "只有在办案件可以记录联席会议决定。");

    public static readonly CaseRule MeetingDecisionRequired = new("case.meeting-decision.meeting-and-decision-required",
        "A meeting decision names its meeting and says what was decided.",
        "联席会议决定须注明会议和决定内容。");

    public static readonly CaseRule HandToDistrictOnlyRed = new("case.hand-to-district.only-red",
        "Only a red case is handed to the district.",
        "只有红色案件上报区级。");

    public static readonly CaseRule HandToDistrictOnlyWhenOpen = new("case.hand-to-district.only-when-open",
        "Only an open case is handed to the district.",
        "只有在办案件可以上报区级。");

    public static readonly CaseRule HandToDistrictOnlyOnce = new("case.hand-to-district.only-once",
        "A case is handed to the district once; its outbound record tracks delivery and answer.",
        "案件已上报区级，请跟踪原上报记录。");

    public static readonly CaseRule HandToDistrictRecordRequired = new("case.hand-to-district.record-required",
        "Handing a case to the district names the outbound record.",
        "上报区级须关联上报记录。");

    public static readonly CaseRule SuperviseOnlyWhenOpen = new("case.supervise.only-when-open",
        "Only an open case is supervised.",
        "只有在办案件可以督办。");

    public static readonly CaseRule SuperviseNoteRequired = new("case.supervise.note-required",
        "Supervising a case needs a note saying what is expected.",
        "督办须填写督办意见。");

    public static readonly CaseRule SuperviseDueAfterNow = new("case.supervise.due-after-now",
        "The supervision's due time lies in the future.",
        "督办时限必须晚于当前时间。");

    public static readonly CaseRule DistrictOnly = new("case.actor.district-only",
        "Only the district records its answer to a case handed to it.",
        "只有区级部门可以登记区级答复。");

    public static readonly CaseRule DistrictAnswerOnlyAfterHandOver = new("case.district-answer.only-after-hand-over",
        "The district answers only a case that was handed to it.",
        "该案件尚未上报区级。");

    public static readonly CaseRule DistrictAnswerRequired = new("case.district-answer.outcome-and-answer-required",
        "A district answer says accepted, replied or closed, and what the district said.",
        "区级答复须注明结果（受理、答复或办结）和答复内容。");

    public static readonly CaseRule ExternalUpdateSameOrderOnly = new("case.external-update.same-order-only",
        "An external system updates only the case it filed, by its source and order number.",
        "外部工单编号与本案件不符，不能更新。");

    public static readonly CaseRule ExternalUpdateChangeRequired = new("case.external-update.change-required",
        "An external update must change the description or the contact; an unchanged order is not recorded again.",
        "外部工单内容没有变化，无需更新。");

    public static readonly CaseRule AwaitLocationOnlyWhenReported = new("case.await-location.only-when-reported",
        "Only a reported case waits for its grid to be confirmed.",
        "只有待受理的案件需要确认所属网格。");

    public static readonly CaseRule AwaitLocationCandidatesRequired = new("case.await-location.two-candidates-required",
        "Confirming a location needs at least two well-formed candidate grids, the case's own among them, and a deadline after now.",
        "确认位置须有至少两个候选网格（包括案件当前网格）和晚于当前时间的期限。");

    public static readonly CaseRule ConfirmLocationOnlyWhenPending = new("case.confirm-location.only-when-pending",
        "This case is not waiting for its location to be confirmed.",
        "该案件无需确认位置，或已由其他网格认领。");

    public static readonly CaseRule ConfirmLocationCandidateOnly = new("case.confirm-location.candidate-only",
        "A case is confirmed only for one of its candidate grids.",
        "只能认领到候选网格之一。");

    public static readonly CaseRule ConfirmLocationStaffOfCandidate = new("case.actor.staff-of-candidate-only",
        "Only staff of the candidate grid may claim this case for it.",
        "只有候选网格的工作人员可以认领该案件。");

    public static readonly CaseRule ConfirmLocationAutomaticallyOnlyWhenDue = new("case.confirm-location.automatic-only-when-due",
        "The system gives a case to its best candidate only after the confirmation deadline.",
        "确认期限届满后系统才会自动将案件交给最可能的网格。");

    public static readonly CaseRule MovePinOnlyBeforeHandled = new("case.move-pin.only-before-handled",
        "The location of a case is corrected only before it is handled.",
        "只有尚未处置完毕的案件可以修正位置。");

    public static readonly CaseRule MovePinReasonRequired = new("case.move-pin.reason-required",
        "Moving the pin of a case needs a reason.",
        "修正案件位置须说明理由。");

    public static readonly CaseRule MovePinToValidGrid = new("case.move-pin.to-valid-grid",
        "The new location must fall in a well-formed grid of community level or below.",
        "新位置必须位于社区及以下的有效网格内。");

    public static readonly CaseRule RepeatAlarmOnlyWhenOpen = new("case.repeat-alarm.only-when-open",
        "A repeated device alarm is added only to an open case; a final case gets a new one.",
        "只有在办案件可以追加设备重复报警。");

    public static readonly CaseRule RepeatAlarmOnlySensorCase = new("case.repeat-alarm.only-sensor-case",
        "A repeated device alarm is added only to a case a device reported.",
        "只有设备上报的案件可以追加设备重复报警。");

    public static readonly CaseRule RepeatAlarmDeviceRequired = new("case.repeat-alarm.device-and-type-required",
        "A repeated device alarm names its device and its alarm type.",
        "设备重复报警须注明设备编号和报警类型。");

    /// <summary>Every rule, for documentation and for clients that translate rule names.</summary>
    /// <remarks>Read on first use: the rules are spread over partial files, whose static fields initialise in no set order.</remarks>
    public static IReadOnlyList<CaseRule> All => AllRules.Value;

    private static readonly Lazy<IReadOnlyList<CaseRule>> AllRules = new(() => typeof(CaseRules).GetFields()
        .Where(f => f.FieldType == typeof(CaseRule))
        .Select(f => (CaseRule)f.GetValue(null)!)
        .ToList());

    /// <summary>
    /// The code of the territorial node that owns a case of this colour routed to <paramref name="gridCode"/>:
    /// the 3rd-level grid (a dedicated grid, or the routed code itself when it is coarser) for green, the
    /// community for yellow, the subdistrict for blue, the district for red.
    /// </summary>
    public static string OwnerCodeOf(string gridCode, CaseTier tier) => tier switch
    {
        CaseTier.Green => gridCode.Length > GridCodes.ThirdLength ? gridCode[..GridCodes.ThirdLength] : gridCode,
        CaseTier.Yellow => gridCode[..GridCodes.CommunityLength],
        CaseTier.Blue => gridCode[..GridCodes.SubdistrictLength],
        CaseTier.Red => gridCode[..GridCodes.DistrictLength],
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>True when <paramref name="actor"/> is staff of the case's owning level or of a level above it.</summary>
    public static bool IsOwnerStaff(Actor actor, Case subject) =>
        !actor.IsSystem && actor.Roles.Any(CaseWorkingRoles.Contains)
        && actor.Scope.Covers(OwnerCodeOf(subject.GridCode, subject.Tier));

    /// <summary>True when <paramref name="actor"/> is owner staff strictly above the owning level, or the system.</summary>
    public static bool IsAboveOwner(Actor actor, Case subject) =>
        actor.IsSystem
        || (IsOwnerStaff(actor, subject) && actor.Scope.Code.Length < OwnerCodeOf(subject.GridCode, subject.Tier).Length);

    /// <summary>True when <paramref name="actor"/> is the assignee, a liaison of the assigned department, or owner staff.</summary>
    public static bool IsHandler(Actor actor, Case subject) =>
        IsOwnerStaff(actor, subject)
        || (subject.AssigneeUserId is { } userId && actor.UserId == userId && !actor.IsSystem)
        || (subject.AssigneeDepartmentId is { } departmentId && actor.DepartmentId == departmentId
            && actor.HasRole(Role.DepartmentLiaison));

    /// <summary>True when <paramref name="actor"/> reported the case (anonymous reports have no reporter).</summary>
    /// <summary>
    /// True when <paramref name="actor"/> (a signed-in person) typed the case in for a caller or ever recorded a handling result
    /// of it: they may neither verify nor rate it, whatever route they take.
    /// </summary>
    public static bool EnteredOrHandled(Actor actor, Case subject) =>
        WhoEnteredOrHandled(subject).Contains(actor.UserId) && actor.UserId != Guid.Empty;

    /// <summary>The staff member who entered the case and everyone who recorded a handling result of it.</summary>
    public static IReadOnlySet<Guid> WhoEnteredOrHandled(Case subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var people = subject.Timeline.Where(e => e.Action == "record-handled").Select(e => e.ActorId).ToHashSet();
        if (subject.EnteredBy is { } enteredBy)
        {
            people.Add(enteredBy);
        }

        if (subject.HandledBy is { } handledBy)
        {
            people.Add(handledBy);
        }

        people.Remove(Guid.Empty);
        return people;
    }

    public static bool IsReporter(Actor actor, Case subject) =>
        !actor.IsSystem
        && ((subject.ReporterId is { } reporterId && actor.UserId == reporterId)
            || (subject.ReporterId is null && actor.ReporterOfCaseNumber is { } number && number == subject.Number));

    /// <summary>
    /// True when <paramref name="actor"/> is case-working staff whose scope covers the grid that would own the case
    /// if it were routed to <paramref name="gridCode"/>: who may claim an ambiguous case for that grid.
    /// </summary>
    public static bool IsStaffOfGrid(Actor actor, string gridCode, CaseTier tier) =>
        !actor.IsSystem && actor.Roles.Any(CaseWorkingRoles.Contains) && actor.Scope.Covers(OwnerCodeOf(gridCode, tier));

    /// <summary>True for the subdistrict operations centre of the case's subdistrict and for the district above it.</summary>
    public static bool MayHandToDistrict(Actor actor, Case subject) =>
        !actor.IsSystem && (actor.HasRole(Role.SubdistrictOperator) || actor.HasRole(Role.DistrictViewer))
        && actor.Scope.Covers(subject.GridCode[..GridCodes.SubdistrictLength]);
}
