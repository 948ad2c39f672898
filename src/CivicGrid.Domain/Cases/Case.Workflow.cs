using System.Globalization;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// The workflow's verbs. Each one, in this order: refuses a stale <c>expectedVersion</c> with
/// <see cref="CaseConcurrencyException"/>; checks who acts, then the status, then its arguments, refusing with
/// <see cref="CaseRuleException"/> naming the rule (see <see cref="CaseRules"/>); then changes the case, appends
/// one timeline entry and increments <see cref="Version"/>. A refused verb changes nothing.
/// <c>now</c> is the time of the act (the server passes its TimeProvider's time); the case never reads a clock.
/// </summary>
public sealed partial class Case
{
    /// <summary>Dates such as a review date are calendar dates in China (UTC+8, no daylight saving).</summary>
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>立案: Reported → Accepted, by owner staff.</summary>
    public void Accept(Actor actor, int expectedVersion, DateTimeOffset now)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status == CaseStatus.Reported, CaseRules.AcceptOnlyWhenReported);
        Record(actor, now, "accept", CaseStatus.Accepted, true, $"您反映的问题已立案受理，由{Tier.OwnerToChinese()}负责办理。");
    }

    /// <summary>不予立案: Reported → Rejected (final), by owner staff, with a reason the reporter sees.</summary>
    public void Reject(Actor actor, int expectedVersion, DateTimeOffset now, string reason)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status == CaseStatus.Reported, CaseRules.RejectOnlyWhenReported);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.RejectReasonRequired);
        ClosedAt = now;
        Record(actor, now, "reject", CaseStatus.Rejected, true, $"您反映的问题不予立案，原因：{reason.Trim()}", reason.Trim());
    }

    /// <summary>
    /// 交办: Accepted, Assigned or InHandling → Assigned, by owner staff, to a person or a department with a due time
    /// after <paramref name="now"/>. Assigning again replaces the assignee (re-dispatch).
    /// </summary>
    public void Assign(Actor actor, int expectedVersion, DateTimeOffset now, CaseAssignee assignee, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(assignee);
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status is CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling, CaseRules.AssignOnlyWhenAccepted);
        Require(due > now, CaseRules.AssignDueAfterNow);
        AssigneeUserId = assignee.UserId;
        AssigneeDepartmentId = assignee.DepartmentId;
        AssigneeName = assignee.Name;
        DueAt = CaseTimeline.Normalise(due);
        var details = Facts(
            (assignee.UserId is null ? "assignee-department" : "assignee-user", (assignee.UserId ?? assignee.DepartmentId)!.Value.ToString("D")),
            ("assignee-name", assignee.Name),
            ("due", Time(DueAt.Value)));
        var text = assignee.DepartmentId is null
            ? $"您反映的问题已交由{Tier.OwnerToChinese()}处理。"
            : $"您反映的问题已交由{assignee.Name}处理。";
        Record(actor, now, "assign", CaseStatus.Assigned, true, text, details: details);
    }

    /// <summary>处置: Assigned → InHandling, by a handler (the assignee, a liaison of the assigned department, or owner staff).</summary>
    public void StartHandling(Actor actor, int expectedVersion, DateTimeOffset now)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsHandler(actor, this), CaseRules.HandlerOnly);
        Require(Status == CaseStatus.Assigned, CaseRules.StartHandlingOnlyWhenAssigned);
        Record(actor, now, "start-handling", CaseStatus.InHandling, true, "工作人员已开始处理您反映的问题。");
    }

    /// <summary>反馈: InHandling → Handled, by a handler, with a note and at least one photo.</summary>
    public void RecordHandled(Actor actor, int expectedVersion, DateTimeOffset now, string note, IReadOnlyCollection<Guid> photoIds)
    {
        ArgumentNullException.ThrowIfNull(photoIds);
        Begin(actor, expectedVersion);
        Require(CaseRules.IsHandler(actor, this), CaseRules.HandlerOnly);
        Require(Status == CaseStatus.InHandling, CaseRules.RecordHandledOnlyWhenInHandling);
        Require(!string.IsNullOrWhiteSpace(note), CaseRules.RecordHandledNoteRequired);
        Require(photoIds.Any(id => id != Guid.Empty), CaseRules.RecordHandledPhotoRequired);
        HandledBy = actor.UserId;
        HandledAt = now;
        Record(actor, now, "record-handled", CaseStatus.Handled, true, "您反映的问题已处理完毕，正在核查处理结果。",
            note.Trim(), attachmentIds: photoIds.Where(id => id != Guid.Empty).Distinct());
    }

    /// <summary>
    /// 核查: Handled → Verified when <paramref name="passed"/>, else back to InHandling for more work (返工, action
    /// <c>verify-failed</c>, a note required). By owner staff (the community's check) or the reporter, never by
    /// whoever recorded the result.
    /// </summary>
    public void Verify(Actor actor, int expectedVersion, DateTimeOffset now, bool passed, string? note)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this) || CaseRules.IsReporter(actor, this), CaseRules.OwnerStaffOrReporterOnly);
        Require(Status == CaseStatus.Handled, CaseRules.VerifyOnlyWhenHandled);
        Require(HandledBy != actor.UserId, CaseRules.VerifyNotByHandler);
        Require(!CaseRules.EnteredOrHandled(actor, this), CaseRules.NotByWhoEnteredOrHandled);
        Require(passed || !string.IsNullOrWhiteSpace(note), CaseRules.VerifyNoteRequiredWhenFailed);
        if (passed)
        {
            VerifiedAt = now;
            Record(actor, now, "verify", CaseStatus.Verified, true, "处理结果已核查通过，欢迎您对办理情况作出评价。", note?.Trim());
            return;
        }

        SendBackForMoreWork();
        Record(actor, now, "verify-failed", CaseStatus.InHandling, true, "处理结果核查未通过，已安排返工。", note!.Trim());
    }

    /// <summary>评价: Verified → Evaluated, by the reporter, 1–5 stars and an optional comment.</summary>
    public void Evaluate(Actor actor, int expectedVersion, DateTimeOffset now, int rating, string? comment)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsReporter(actor, this), CaseRules.ReporterOnly);
        Require(!CaseRules.EnteredOrHandled(actor, this), CaseRules.NotByWhoEnteredOrHandled);
        Require(Status == CaseStatus.Verified, CaseRules.EvaluateOnlyWhenVerified);
        Require(rating is >= 1 and <= 5, CaseRules.EvaluateRatingOneToFive);
        Rating = rating;
        EvaluationComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        Record(actor, now, "evaluate", CaseStatus.Evaluated, true, $"感谢您的评价（{rating} 星）。", EvaluationComment,
            details: Facts(("rating", Invariant(rating))));
    }

    /// <summary>
    /// Automatic evaluation: Verified → Evaluated by the system once <paramref name="waitingPeriod"/> (configured by
    /// the server) has passed since verification without an evaluation. No rating is invented:
    /// <see cref="Rating"/> stays null and <see cref="EvaluatedAutomatically"/> is set; how assessment counts it is
    /// assessment's policy.
    /// </summary>
    public void AutoEvaluate(Actor actor, int expectedVersion, DateTimeOffset now, TimeSpan waitingPeriod)
    {
        Begin(actor, expectedVersion);
        Require(actor.IsSystem, CaseRules.SystemOnly);
        Require(Status == CaseStatus.Verified, CaseRules.AutoEvaluateOnlyWhenVerified);
        Require(now >= (VerifiedAt ?? ReportedAt) + waitingPeriod, CaseRules.AutoEvaluateOnlyAfterWaiting);
        EvaluatedAutomatically = true;
        Record(actor, now, "auto-evaluate", CaseStatus.Evaluated, true, "您未在规定时间内评价，系统已自动完成评价。",
            details: Facts(("waiting-period", waitingPeriod.ToString("c", CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// 办结: Evaluated → Closed (final), by owner staff; a verified case with no reporter to evaluate it closes too.
    /// Yellow needs a recorded mediation, blue a meeting decision, red the district hand-over.
    /// </summary>
    public void Close(Actor actor, int expectedVersion, DateTimeOffset now)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status == CaseStatus.Evaluated || (Status == CaseStatus.Verified && ReporterId is null), CaseRules.CloseOnlyWhenEvaluated);
        Require(Tier != CaseTier.Yellow || _mediations.Count > 0, CaseRules.CloseYellowRequiresMediation);
        Require(Tier != CaseTier.Blue || _meetingDecisions.Count > 0, CaseRules.CloseBlueRequiresMeetingDecision);
        Require(Tier != CaseTier.Red || DistrictRecordId is not null, CaseRules.CloseRedRequiresDistrictRecord);
        ClosedAt = now;
        Record(actor, now, "close", CaseStatus.Closed, true, "您反映的问题已办结，感谢您的支持。");
    }

    /// <summary>
    /// 退回: Assigned or InHandling → Accepted, by a handler saying "not ours", with a reason. The assignment is
    /// cleared; the owner re-routes it (<see cref="Assign"/> again or <see cref="Transfer"/>). Staff only.
    /// </summary>
    public void Return(Actor actor, int expectedVersion, DateTimeOffset now, string reason)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsHandler(actor, this), CaseRules.HandlerOnly);
        Require(Status is CaseStatus.Assigned or CaseStatus.InHandling, CaseRules.ReturnOnlyWhenAssigned);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.ReturnReasonRequired);
        var details = Facts(("returned-by-assignee", AssigneeName ?? string.Empty));
        ClearAssignment();
        Record(actor, now, "return", CaseStatus.Accepted, false, "您反映的问题正在重新安排处理。", reason.Trim(), details: details);
    }

    /// <summary>
    /// 转办: Reported, Accepted, Assigned or InHandling → Reported in another grid (a sibling, or one in a neighbouring
    /// subdistrict), by owner staff, with a reason. The new grid must accept it; the assignment is cleared. The
    /// entry's from/to grid codes are what the server's router learns from.
    /// </summary>
    public void Transfer(Actor actor, int expectedVersion, DateTimeOffset now, string toGridCode, string reason)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling,
            CaseRules.TransferOnlyBeforeHandled);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.TransferReasonRequired);
        Require(IsRoutableCode(toGridCode) && toGridCode != GridCode, CaseRules.TransferToAnotherGrid);
        ClearAssignment();
        Record(actor, now, "transfer", CaseStatus.Reported, true, "您反映的问题已转交所属网格办理。", reason.Trim(), toGridCode: toGridCode);
    }

    /// <summary>
    /// 升级: one colour up, green → yellow → blue → red, never beyond red. Allowed while Reported, Accepted, Assigned,
    /// InHandling or Parked. By owner staff with a reason, or, when <paramref name="automatic"/>, by the system on an
    /// overdue case. The new owner decides anew: a reported case stays reported, any other becomes Accepted with no
    /// assignment.
    /// </summary>
    public void Escalate(Actor actor, int expectedVersion, DateTimeOffset now, string reason, bool automatic)
    {
        Begin(actor, expectedVersion);
        Require(automatic ? actor.IsSystem : CaseRules.IsOwnerStaff(actor, this), automatic ? CaseRules.SystemOnly : CaseRules.OwnerStaffOnly);
        Require(Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling or CaseStatus.Parked,
            CaseRules.EscalateOnlyBeforeHandled);
        Require(Tier != CaseTier.Red, CaseRules.EscalateNotBeyondRed);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.EscalateReasonRequired);
        Require(!automatic || IsOverdue(now), CaseRules.EscalateAutomaticallyOnlyWhenOverdue);
        var to = Tier + 1;
        var toStatus = Status == CaseStatus.Reported ? CaseStatus.Reported : CaseStatus.Accepted;
        ClearAssignment();
        ParkedUntil = null;
        StatusBeforeParking = null;
        Record(actor, now, "escalate", toStatus, true, $"您反映的问题已提交{to.OwnerToChinese()}协调处理。", reason.Trim(), toTier: to,
            details: Facts(("automatic", automatic ? "true" : "false")));
    }

    /// <summary>
    /// 挂账: Accepted, Assigned or InHandling → Parked, by owner staff, with a reason and a review date after today
    /// (China's calendar). <see cref="Resume"/> returns it to where it was.
    /// </summary>
    public void Park(Actor actor, int expectedVersion, DateTimeOffset now, string reason, DateOnly reviewOn)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status is CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling, CaseRules.ParkOnlyWhenInWork);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.ParkReasonRequired);
        Require(reviewOn > DateOnly.FromDateTime(now.ToOffset(ChinaOffset).DateTime), CaseRules.ParkReviewDateInFuture);
        StatusBeforeParking = Status;
        ParkedUntil = reviewOn;
        Record(actor, now, "park", CaseStatus.Parked, true,
            $"您反映的问题暂时无法解决，已挂账跟踪，计划于{reviewOn.Year}年{reviewOn.Month}月{reviewOn.Day}日复查。原因：{reason.Trim()}",
            reason.Trim(), details: Facts(("review-on", reviewOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
    }

    /// <summary>恢复办理: Parked → the status it was parked from, by owner staff.</summary>
    public void Resume(Actor actor, int expectedVersion, DateTimeOffset now)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status == CaseStatus.Parked, CaseRules.ResumeOnlyWhenParked);
        var to = StatusBeforeParking ?? CaseStatus.Accepted;
        StatusBeforeParking = null;
        ParkedUntil = null;
        Record(actor, now, "resume", to, true, "您反映的问题已恢复办理。");
    }

    /// <summary>
    /// 返工: Handled, Verified or Evaluated → InHandling, by the reporter ("it is not fixed") or owner staff, with a
    /// reason. The assignee keeps the case; the verification and any evaluation are void.
    /// </summary>
    public void Reopen(Actor actor, int expectedVersion, DateTimeOffset now, string reason)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this) || CaseRules.IsReporter(actor, this), CaseRules.OwnerStaffOrReporterOnly);
        Require(Status is CaseStatus.Handled or CaseStatus.Verified or CaseStatus.Evaluated, CaseRules.ReopenOnlyAfterHandled);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.ReopenReasonRequired);
        SendBackForMoreWork();
        Record(actor, now, "reopen", CaseStatus.InHandling, true, "您反映的问题已安排返工。", reason.Trim());
    }

    /// <summary>
    /// 合并: Reported, Accepted, Assigned, InHandling or Parked → Merged (final), by owner staff, as a duplicate of
    /// another case, which carries the work. Whether that case exists is the caller's check.
    /// </summary>
    public void MergeInto(Actor actor, int expectedVersion, DateTimeOffset now, string otherCaseNumber)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling or CaseStatus.Parked,
            CaseRules.MergeOnlyBeforeHandled);
        Require(!string.IsNullOrWhiteSpace(otherCaseNumber) && otherCaseNumber.Trim() != Number, CaseRules.MergeNotIntoItself);
        MergedIntoNumber = otherCaseNumber.Trim();
        ClearAssignment();
        ParkedUntil = null;
        StatusBeforeParking = null;
        ClosedAt = now;
        Record(actor, now, "merge", CaseStatus.Merged, true,
            $"您反映的问题与案件 {MergedIntoNumber} 反映的是同一问题，已合并办理，请关注该案件的进展。",
            details: Facts(("merged-into", MergedIntoNumber)));
    }

    /// <summary>
    /// 联调: records a joint mediation on an open yellow case, by owner staff (the community or above); status
    /// unchanged. A yellow case needs one before it closes. Participants' names stay off the public text.
    /// </summary>
    public void RecordMediation(Actor actor, int expectedVersion, DateTimeOffset now,
        IReadOnlyList<string> participants, DateTimeOffset heldOn, string place, string outcome)
    {
        ArgumentNullException.ThrowIfNull(participants);
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(!Status.IsFinal(), CaseRules.MediationOnlyWhenOpen);
        Require(Tier == CaseTier.Yellow, CaseRules.MediationOnlyYellow);
        var names = participants.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
        Require(names.Count > 0 && !string.IsNullOrWhiteSpace(place) && !string.IsNullOrWhiteSpace(outcome), CaseRules.MediationComplete);
        Require(heldOn <= now, CaseRules.MediationNotInFuture);
        var held = CaseTimeline.Normalise(heldOn);
        _mediations.Add(new CaseMediation(names, held, place.Trim(), outcome.Trim(), actor.UserId));
        Record(actor, now, "record-mediation", Status, true, "社区已组织相关方对您反映的问题进行联合调解。", outcome.Trim(),
            details: Facts(("participants", string.Join("、", names)), ("held-on", Time(held)), ("place", place.Trim())));
    }

    /// <summary>
    /// 联席会议: records a joint analysis meeting's decision on an open blue case, by owner staff (the subdistrict or
    /// above); status unchanged. A blue case needs one before it closes.
    /// </summary>
    public void RecordMeetingDecision(Actor actor, int expectedVersion, DateTimeOffset now, Guid meetingId, string decision)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(!Status.IsFinal(), CaseRules.MeetingDecisionOnlyWhenOpen);
        Require(Tier == CaseTier.Blue, CaseRules.MeetingDecisionOnlyBlue);
        Require(meetingId != Guid.Empty && !string.IsNullOrWhiteSpace(decision), CaseRules.MeetingDecisionRequired);
        _meetingDecisions.Add(new CaseMeetingDecision(meetingId, decision.Trim(), CaseTimeline.Normalise(now), actor.UserId));
        Record(actor, now, "record-meeting-decision", Status, true, "街道已召开联席会议研究您反映的问题。", decision.Trim(),
            details: Facts(("meeting", meetingId.ToString("D"))));
    }

    /// <summary>
    /// 上报区级: links an open red case to the outbound record that reports it to the district (the record tracks
    /// delivery and answer), once; by the subdistrict operations centre or the district. Status unchanged.
    /// </summary>
    public void HandToDistrict(Actor actor, int expectedVersion, DateTimeOffset now, Guid recordId)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.MayHandToDistrict(actor, this), CaseRules.SubdistrictOrDistrictOnly);
        Require(!Status.IsFinal(), CaseRules.HandToDistrictOnlyWhenOpen);
        Require(Tier == CaseTier.Red, CaseRules.HandToDistrictOnlyRed);
        Require(DistrictRecordId is null, CaseRules.HandToDistrictOnlyOnce);
        Require(recordId != Guid.Empty, CaseRules.HandToDistrictRecordRequired);
        DistrictRecordId = recordId;
        Record(actor, now, "hand-to-district", Status, true, "您反映的问题已上报区级部门办理。",
            details: Facts(("district-record", recordId.ToString("D"))));
    }

    /// <summary>
    /// 督办: a level above the owner (or the system, for overdue cases) presses for progress on an open case with a
    /// note and a deadline after <paramref name="now"/>. Status unchanged; staff only.
    /// </summary>
    public void Supervise(Actor actor, int expectedVersion, DateTimeOffset now, string note, DateTimeOffset due)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsAboveOwner(actor, this), CaseRules.HigherLevelOnly);
        Require(!Status.IsFinal(), CaseRules.SuperviseOnlyWhenOpen);
        Require(!string.IsNullOrWhiteSpace(note), CaseRules.SuperviseNoteRequired);
        Require(due > now, CaseRules.SuperviseDueAfterNow);
        SupervisionCount++;
        SupervisionDueAt = CaseTimeline.Normalise(due);
        Record(actor, now, "supervise", Status, false, "上级部门已督办您反映的问题。", note.Trim(),
            details: Facts(("due", Time(SupervisionDueAt.Value))));
    }

    /// <summary>
    /// 区级答复: records the district's answer to the report of a red case (accepted, replied or closed on its side), by a
    /// district user covering the case or, for answers arriving from the district's system, the system. Status unchanged;
    /// the reporter sees that the district answered.
    /// </summary>
    public void RecordDistrictAnswer(Actor actor, int expectedVersion, DateTimeOffset now, string outcome, string answer)
    {
        Begin(actor, expectedVersion);
        Require(actor.IsSystem || (actor.HasRole(Accounts.Role.DistrictViewer) && CaseRules.IsOwnerStaff(actor, this)), CaseRules.DistrictOnly);
        Require(DistrictRecordId is not null, CaseRules.DistrictAnswerOnlyAfterHandOver);
        Require(outcome is "accepted" or "replied" or "closed" && !string.IsNullOrWhiteSpace(answer), CaseRules.DistrictAnswerRequired);
        var text = outcome switch
        {
            "accepted" => "区级部门已受理您反映的问题。",
            "replied" => "区级部门已答复您反映的问题。",
            _ => "区级部门已办结其负责的部分。",
        };
        Record(actor, now, "district-answer", Status, true, text, answer.Trim(),
            details: Facts(("district-record", DistrictRecordId!.Value.ToString("D")), ("outcome", outcome)));
    }

    /// <summary>
    /// 确认位置: puts a reported case whose position lies near a boundary in the "confirm location" queue of its
    /// candidate grids, by the system at intake. The case stays in its current grid (the router's best candidate,
    /// which must be among the candidates) and goes there at <paramref name="due"/> if nobody claims it first.
    /// </summary>
    public void AwaitLocationConfirmation(Actor actor, int expectedVersion, DateTimeOffset now, IReadOnlyList<string> candidates, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        Begin(actor, expectedVersion);
        Require(actor.IsSystem, CaseRules.SystemOnly);
        Require(Status == CaseStatus.Reported, CaseRules.AwaitLocationOnlyWhenReported);
        var codes = candidates.Distinct(StringComparer.Ordinal).ToList();
        Require(codes.Count >= 2 && codes.All(IsRoutableCode) && codes.Contains(GridCode) && due > now, CaseRules.AwaitLocationCandidatesRequired);
        codes.Remove(GridCode);
        codes.Insert(0, GridCode);
        LocationCandidates = codes;
        LocationConfirmDueAt = CaseTimeline.Normalise(due);
        Record(actor, now, "await-location", Status, false, "正在确认您反映问题所属的网格。",
            details: Facts(("candidates", string.Join(",", codes)), ("due", Time(LocationConfirmDueAt.Value))));
    }

    /// <summary>
    /// 认领: a candidate grid's staff take a case waiting for its location to be confirmed (the first claim wins;
    /// the others see it leave their queue), or, when <paramref name="automatic"/>, the system gives it to the best
    /// candidate once the deadline has passed. The case moves to the chosen grid and stays Reported.
    /// </summary>
    public void ConfirmLocation(Actor actor, int expectedVersion, DateTimeOffset now, string gridCode, bool automatic)
    {
        Begin(actor, expectedVersion);
        Require(automatic ? actor.IsSystem : CaseRules.IsStaffOfGrid(actor, gridCode ?? string.Empty, Tier),
            automatic ? CaseRules.SystemOnly : CaseRules.ConfirmLocationStaffOfCandidate);
        Require(IsLocationPending && Status == CaseStatus.Reported, CaseRules.ConfirmLocationOnlyWhenPending);
        Require(gridCode is not null && LocationCandidates.Contains(gridCode), CaseRules.ConfirmLocationCandidateOnly);
        Require(!automatic || now >= LocationConfirmDueAt, CaseRules.ConfirmLocationAutomaticallyOnlyWhenDue);
        var candidates = string.Join(",", LocationCandidates);
        LocationCandidates = [];
        LocationConfirmDueAt = null;
        Record(actor, now, "confirm-location", Status, true, "已确认您反映问题所属的网格。",
            toGridCode: gridCode == GridCode ? null : gridCode,
            details: Facts(("automatic", automatic ? "true" : "false"), ("candidates", candidates), ("grid", gridCode!)));
    }

    /// <summary>
    /// 修正位置: staff of the owning level move the pin of a case whose position was wrong, with a reason; the server
    /// routes the new position and passes its grid. A move into another grid re-routes the case like a transfer
    /// (Reported there, unassigned); a move inside the grid only corrects the position.
    /// </summary>
    public void MovePin(Actor actor, int expectedVersion, DateTimeOffset now, NetTopologySuite.Geometries.Point location, string toGridCode, string reason)
    {
        ArgumentNullException.ThrowIfNull(location);
        Begin(actor, expectedVersion);
        Require(CaseRules.IsOwnerStaff(actor, this), CaseRules.OwnerStaffOnly);
        Require(Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling or CaseStatus.Parked,
            CaseRules.MovePinOnlyBeforeHandled);
        Require(!string.IsNullOrWhiteSpace(reason), CaseRules.MovePinReasonRequired);
        Require(IsRoutableCode(toGridCode) && !location.IsEmpty, CaseRules.MovePinToValidGrid);
        var details = Facts(
            ("from", string.Create(CultureInfo.InvariantCulture, $"{Location.X:F7},{Location.Y:F7}")),
            ("to", string.Create(CultureInfo.InvariantCulture, $"{location.X:F7},{location.Y:F7}")));
        var moved = new NetTopologySuite.Geometries.Point(location.X, location.Y) { SRID = 4326 };
        Location = moved;
        LocationCandidates = [];
        LocationConfirmDueAt = null;
        if (toGridCode == GridCode)
        {
            Record(actor, now, "move-pin", Status, false, "工作人员已修正问题位置。", reason.Trim(), details: details);
            return;
        }

        ClearAssignment();
        ParkedUntil = null;
        StatusBeforeParking = null;
        Record(actor, now, "move-pin", CaseStatus.Reported, true, "工作人员已修正问题位置，并转交所属网格办理。", reason.Trim(),
            toGridCode: toGridCode, details: details);
    }

    /// <summary>
    /// 重复报警: a device that reported this case alarms again while the case is open; the alarm is added to the case's
    /// timeline (action <c>repeat-alarm</c>, staff only) instead of opening another case. Status, colour and grid are
    /// unchanged. Only the system records it (the server, after verifying the device's signature); a final case is
    /// refused with <see cref="CaseRules.RepeatAlarmOnlyWhenOpen"/>, and the caller opens a new case instead.
    /// </summary>
    /// <param name="deviceCode">The device's registry code, e.g. <c>SMK-0001</c>.</param>
    /// <param name="alarmType">The device's alarm type, e.g. <c>smoke</c>.</param>
    /// <param name="message">What the device said, if anything; kept as the entry's note.</param>
    /// <param name="notifyEvery">
    /// How often repeats are news: the entry carries <c>notify=true</c> (the assignee hears of it) when it is the first
    /// repeat to do so, or the last repeat that did is at least this old; a sensor firing every few seconds then tells
    /// its assignee once, not a hundred times. Null: no repeat is news.
    /// </param>
    public void RecordRepeatAlarm(Actor actor, int expectedVersion, DateTimeOffset now, string deviceCode, string alarmType, string? message,
        TimeSpan? notifyEvery = null)
    {
        Begin(actor, expectedVersion);
        Require(actor.IsSystem, CaseRules.SystemOnly);
        Require(Channel == CaseChannel.Sensor, CaseRules.RepeatAlarmOnlySensorCase);
        Require(!Status.IsFinal(), CaseRules.RepeatAlarmOnlyWhenOpen);
        Require(!string.IsNullOrWhiteSpace(deviceCode) && !string.IsNullOrWhiteSpace(alarmType), CaseRules.RepeatAlarmDeviceRequired);
        var repeats = _timeline.Count(e => e.Action == "repeat-alarm") + 1;
        var lastNotified = _timeline.LastOrDefault(e => e.Action == "repeat-alarm" && e.Details.GetValueOrDefault("notify") == "true");
        var notify = notifyEvery is { } every && (lastNotified is null || now - lastNotified.At >= every);
        (string, string)[] facts = [("device", deviceCode.Trim()), ("alarm-type", alarmType.Trim()), ("repeat", Invariant(repeats))];
        Record(actor, now, "repeat-alarm", Status, false, "设备再次报警，已追加到本案件。",
            string.IsNullOrWhiteSpace(message) ? null : message.Trim(),
            details: Facts(notify ? [.. facts, ("notify", "true")] : facts));
    }

    /// <summary>
    /// 认领: the anonymous reporter, who proved it with the case's follow token and has since signed in (by WeChat), takes the
    /// report into their account; from then on they follow it there. A case that already has a reporter account stays theirs.
    /// Not public (nothing changed for anyone else) and no status change.
    /// </summary>
    public void ClaimReport(Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Require(!actor.IsSystem && actor.UserId != Guid.Empty, CaseRules.ReporterOnly);
        Require(ReporterId is null, CaseRules.ReportAlreadyClaimed);
        ReporterId = actor.UserId;
        Record(actor, now, "claim-report", Status, false, "您此前匿名反映的问题已关联到您的账户。");
    }

    private void Begin(Actor actor, int expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (expectedVersion != Version)
        {
            throw new CaseConcurrencyException(Number, expectedVersion, Version, Status);
        }
    }

    private static void Require(bool satisfied, CaseRule rule)
    {
        if (!satisfied)
        {
            throw new CaseRuleException(rule);
        }
    }

    private void ClearAssignment()
    {
        AssigneeUserId = null;
        AssigneeDepartmentId = null;
        AssigneeName = null;
        DueAt = null;
    }

    private void SendBackForMoreWork()
    {
        ReopenCount++;
        HandledBy = null;
        HandledAt = null;
        VerifiedAt = null;
        Rating = null;
        EvaluationComment = null;
        EvaluatedAutomatically = false;
    }

    private static bool IsRoutableCode(string? code) =>
        code is { Length: GridCodes.CommunityLength or GridCodes.SecondLength or GridCodes.DedicatedLength or GridCodes.ThirdLength or GridCodes.MicroLength }
        && code.All(char.IsAsciiDigit);

    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
