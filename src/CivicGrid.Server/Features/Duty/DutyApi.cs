using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases.Queries;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Duty;

public sealed record DutyPostResponse(Guid Id, string SubdistrictCode, string Name, DutyPostKind Kind);

public sealed record CreateDutyPostRequest(string? Name, DutyPostKind? Kind);

/// <summary>A staff member who may take shifts: a user of the subdistrict or one of its communities.</summary>
public sealed record DutyPersonResponse(Guid UserId, string Name, string ScopeCode, string Roles);

/// <summary>A shift with its post and person; <paramref name="Period"/> is day, night, full-day or other (by its Beijing times).</summary>
public sealed record DutyShiftResponse(Guid Id, Guid PostId, string PostName, DutyPostKind PostKind, Guid UserId, string Name, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, string Period, int Version);

/// <summary>A day of the roster: whether it is a working day and the holiday's name (the roster staffs every day alike).</summary>
public sealed record DutyDayResponse(DateOnly Date, bool IsWorkingDay, string? HolidayName);

public sealed record DutyRosterResponse(string SubdistrictCode, DateOnly From, DateOnly To, IReadOnlyList<DutyDayResponse> Days,
    IReadOnlyList<DutyShiftResponse> Shifts, bool MayManage);

public sealed record CreateShiftRequest(Guid? PostId, Guid? UserId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);

public sealed record ChangeShiftRequest(Guid? UserId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int? ExpectedVersion);

public sealed record CancelShiftRequest(string? Reason, int? ExpectedVersion);

/// <param name="From">First Beijing date planned.</param>
/// <param name="To">Last Beijing date planned (at most 92 days after <paramref name="From"/>).</param>
/// <param name="People">The people in turn, in order.</param>
public sealed record GenerateShiftsRequest(Guid? PostId, DateOnly? From, DateOnly? To, IReadOnlyList<Guid>? People, ShiftPattern? Pattern);

/// <param name="Phone">The person's phone, masked (<c>138****1234</c>): the big screen shows it to a room; the full number is in the staff directory.</param>
public sealed record OnDutyResponse(Guid ShiftId, string PostName, DutyPostKind Kind, Guid UserId, string Name, string? Phone, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt);

/// <param name="OnDutyMyself">True when the caller is on duty now (officer or leader).</param>
/// <param name="MyPendingAlerts">Alerts waiting for the caller's acknowledgement (addressed to them, or theirs as officer or leader on duty).</param>
public sealed record DutyNowResponse(string SubdistrictCode, DateTimeOffset At, IReadOnlyList<OnDutyResponse> Officers, OnDutyResponse? Leader,
    bool OnDutyMyself, int MyPendingAlerts);

public sealed record DutyAlertResponse(Guid Id, DutyAlertKind Kind, DutyAlertState State, string CaseNumber, string CaseTitle, string GridCode,
    DateTimeOffset RaisedAt, DateTimeOffset AcknowledgeBy, DutyAlertAudience Audience, string? RecipientName, string Routing, DateTimeOffset? EscalatedAt,
    string? EscalatedToName, DateTimeOffset? AcknowledgedAt, string? AcknowledgedByName, bool MayAcknowledge, int Version);

public sealed record HandoverItemInput(string? Kind, string? Reference, string? Title);

/// <param name="OutgoingUserId">The outgoing officer, who signs: must be the caller and the shift's person.</param>
/// <param name="Items">The open urgent items handed over; null takes the draft's (open red cases, pending alerts, open urgent cases).</param>
/// <param name="IncomingUserId">Who takes over, when no shift follows on the post.</param>
public sealed record RecordHandoverRequest(Guid? ShiftId, Guid? OutgoingUserId, string? Notes, IReadOnlyList<HandoverItemInput>? Items, Guid? IncomingUserId);

public sealed record HandoverResponse(Guid Id, Guid ShiftId, string PostName, DateTimeOffset ShiftStartsAt, DateTimeOffset ShiftEndsAt, Guid OutgoingUserId,
    string OutgoingName, DateTimeOffset OutgoingSignedAt, Guid? IncomingUserId, string? IncomingName, DateTimeOffset? IncomingAcceptedAt, string Notes,
    IReadOnlyList<HandoverItem> Items, bool MayAccept);

/// <summary>What the caller would hand over now: their shift on duty (or just ended) and the open urgent items.</summary>
public sealed record HandoverDraftResponse(DutyShiftResponse? Shift, IReadOnlyList<HandoverItem> Items);

/// <summary>
/// The operations centre's 7×24 duty (值班值守): posts and shifts (overlaps refused, rotations planned in one step), who is on
/// duty now, urgent alerts and their acknowledgement, and handovers. Every read is the caller's subdistrict (or, above it, the
/// one they name); the centre's staff keep the roster; the officer and leader on duty acknowledge.
/// </summary>
public static class DutyApi
{
    public const string OverlapType = "/problems/duty-shift-overlap";

    public static IEndpointRouteBuilder MapDutyApi(this IEndpointRouteBuilder routes)
    {
        var duty = routes.MapGroup("/api/duty").WithTags("Duty").RequireAuthorization(Policies.Staff, Policies.CaseContent);
        duty.MapGet("/posts", ListPosts).WithName("ListDutyPosts").WithSummary("The duty posts of the caller's subdistrict.");
        duty.MapPost("/posts", CreatePost).WithName("CreateDutyPost").WithSummary("Add a duty post (operations centre staff of the subdistrict).");
        duty.MapGet("/people", ListPeople).WithName("ListDutyPeople").WithSummary("Staff of the subdistrict and its communities who may take shifts.");
        duty.MapGet("/shifts", ListShifts).WithName("ListDutyShifts").WithSummary("The roster of a period (default this week, Beijing dates), with holidays.");
        duty.MapPost("/shifts", CreateShift).WithName("CreateDutyShift").WithSummary("Add one shift; one overlapping another of the post is refused.");
        duty.MapPost("/shifts/generate", GenerateShifts).WithName("GenerateDutyShifts")
            .WithSummary("Plan a rotation over a date range (day/night or 24-hour shifts); all shifts or none if any overlaps.");
        duty.MapPut("/shifts/{id:guid}", ChangeShift).WithName("ChangeDutyShift").WithSummary("Move a shift or give it to someone else.");
        duty.MapPost("/shifts/{id:guid}/cancel", CancelShift).WithName("CancelDutyShift").WithSummary("Cancel a shift, with a reason (kept).");
        duty.MapGet("/now", Now).WithName("GetDutyNow").WithSummary("Who is on duty now and the leader on call, and the caller's pending alerts.");
        duty.MapGet("/alerts", ListAlerts).WithName("ListDutyAlerts").WithSummary("Urgent alerts of the subdistrict, newest first; by state, or the caller's own.");
        duty.MapPost("/alerts/{id:guid}/acknowledge", Acknowledge).WithName("AcknowledgeDutyAlert")
            .WithSummary("Acknowledge an alert (the officer or leader on duty, or whom it went to); stops its escalation.");
        duty.MapGet("/handovers", ListHandovers).WithName("ListDutyHandovers").WithSummary("The handover log of the subdistrict, newest first.");
        duty.MapGet("/handovers/draft", HandoverDraft).WithName("GetDutyHandoverDraft")
            .WithSummary("The caller's shift to hand over and the open urgent items to pre-fill the handover with.");
        duty.MapPost("/handovers", RecordHandover).WithName("RecordDutyHandover").WithSummary("The outgoing officer signs a handover of their shift.");
        duty.MapPost("/handovers/{id:guid}/accept", AcceptHandover).WithName("AcceptDutyHandover").WithSummary("The incoming officer accepts a handover.");
        return routes;
    }

    public static async Task<Results<Ok<List<DutyPostResponse>>, ProblemHttpResult>> ListPosts(string? subdistrictCode, ClaimsPrincipal caller,
        CivicGridDbContext db, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var posts = await db.DutyPosts.AsNoTracking().Where(p => p.SubdistrictCode == subdistrict).OrderBy(p => p.Kind).ThenBy(p => p.Name).ToListAsync(ct);
        return TypedResults.Ok(posts.Select(p => new DutyPostResponse(p.Id, p.SubdistrictCode, p.Name, p.Kind)).ToList());
    }

    public static async Task<Results<Created<DutyPostResponse>, ProblemHttpResult>> CreatePost(CreateDutyPostRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ManagedSubdistrict(caller) is not { } subdistrict)
        {
            return NotManager();
        }

        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > DutyPost.MaxNameLength || request.Kind is null || !Enum.IsDefined(request.Kind.Value))
        {
            return Problems.Validation("name", $"请填写岗位名称（{DutyPost.MaxNameLength} 字以内）并选择岗位类型（值班员或带班领导）。");
        }

        if (await db.DutyPosts.AnyAsync(p => p.SubdistrictCode == subdistrict && p.Name == name, ct))
        {
            return Problems.Conflict($"已有名为「{name}」的值班岗位。");
        }

        var now = time.GetUtcNow();
        var post = new DutyPost { Id = Guid.CreateVersion7(now), SubdistrictCode = subdistrict, Name = name, Kind = request.Kind.Value, CreatedAt = now };
        db.DutyPosts.Add(post);
        db.DutyLog.Add(DutyLogEntry.Of(subdistrict, now, caller.GetUserId(), "post-created", post.Id, $"新增值班岗位「{name}」"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/duty/posts/{post.Id}", new DutyPostResponse(post.Id, post.SubdistrictCode, post.Name, post.Kind));
    }

    public static async Task<Results<Ok<List<DutyPersonResponse>>, ProblemHttpResult>> ListPeople(string? subdistrictCode, ClaimsPrincipal caller,
        CivicGridDbContext db, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var people = await EligibleAsync(db, subdistrict, null, ct);
        return TypedResults.Ok(people.OrderBy(u => u.ScopeCode.Length).ThenBy(u => u.UserName, StringComparer.Ordinal)
            .Select(u => new DutyPersonResponse(u.Id, u.DisplayName, u.ScopeCode, string.Join("、", u.Roles.Select(r => r.ToChinese())))).ToList());
    }

    public static async Task<Results<Ok<DutyRosterResponse>, ProblemHttpResult>> ListShifts(DateOnly? from, DateOnly? to, string? subdistrictCode,
        ClaimsPrincipal caller, CivicGridDbContext db, WorkCalendarProvider calendars, TimeProvider time, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var today = DutyRules.DayOf(time.GetUtcNow());
        var first = from ?? today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var last = to ?? first.AddDays(6);
        if (last < first || last.DayNumber - first.DayNumber > 62)
        {
            return Problems.Validation("to", "查询的日期范围须从开始日期到结束日期，最长 62 天。");
        }

        var start = DutyRules.At(first, TimeOnly.MinValue);
        var end = DutyRules.At(last.AddDays(1), TimeOnly.MinValue);
        var shifts = await ShiftsAsync(db, db.DutyShifts.Where(s => s.SubdistrictCode == subdistrict && s.CancelledAt == null && s.StartsAt < end && s.EndsAt > start), ct);
        var calendar = await calendars.GetAsync(ct);
        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays)
            .Select(d => new DutyDayResponse(d, calendar.IsWorkingDay(d), calendar.HolidayName(d))).ToList();
        return TypedResults.Ok(new DutyRosterResponse(subdistrict, first, last, days, shifts,
            DutyDesk.ManagesRoster(caller.GetRoles(), caller.GetScope(), subdistrict)));
    }

    public static async Task<Results<Created<DutyShiftResponse>, ProblemHttpResult>> CreateShift(CreateShiftRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ManagedSubdistrict(caller) is not { } subdistrict)
        {
            return NotManager();
        }

        if (request.PostId is null || request.UserId is null || request.StartsAt is null || request.EndsAt is null)
        {
            return Problems.Validation("shift", "请选择岗位和值班人员，并填写开始和结束时间。");
        }

        var planned = new PlannedShift(request.UserId.Value, request.StartsAt.Value, request.EndsAt.Value);
        return await PlanAsync(db, caller, subdistrict, request.PostId.Value, [planned], time.GetUtcNow(), "shift-created", ct) switch
        {
            { Problem: { } problem } => problem,
            { Shifts: var created } => TypedResults.Created($"/api/duty/shifts/{created[0].Id}", created[0]),
        };
    }

    public static async Task<Results<Created<List<DutyShiftResponse>>, ProblemHttpResult>> GenerateShifts(GenerateShiftsRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ManagedSubdistrict(caller) is not { } subdistrict)
        {
            return NotManager();
        }

        if (request.PostId is null || request.From is null || request.To is null || request.Pattern is null || !Enum.IsDefined(request.Pattern.Value))
        {
            return Problems.Validation("rotation", "请选择岗位、排班方式（白班/夜班或 24 小时班），并填写开始和结束日期。");
        }

        IReadOnlyList<PlannedShift> planned;
        try
        {
            planned = DutyRules.Rotate(request.From.Value, request.To.Value, request.People ?? [], request.Pattern.Value);
        }
        catch (DutyRuleException e)
        {
            return Problems.Validation(e.Rule == DutyRuleException.NoPeople ? "people" : "to", e.Message);
        }

        return await PlanAsync(db, caller, subdistrict, request.PostId.Value, planned, time.GetUtcNow(), "shifts-generated", ct) switch
        {
            { Problem: { } problem } => problem,
            { Shifts: var created } => TypedResults.Created("/api/duty/shifts", created),
        };
    }

    public static async Task<Results<Ok<DutyShiftResponse>, ProblemHttpResult>> ChangeShift(Guid id, ChangeShiftRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ManagedSubdistrict(caller) is not { } subdistrict)
        {
            return NotManager();
        }

        var shift = await db.DutyShifts.SingleOrDefaultAsync(s => s.Id == id && s.SubdistrictCode == subdistrict, ct);
        if (shift is null)
        {
            return ShiftNotFound();
        }

        if (request.ExpectedVersion is { } expected && expected != shift.Version)
        {
            return Problems.Conflict("该班次刚刚已被他人修改，请刷新后重试。");
        }

        var userId = request.UserId ?? shift.UserId;
        var start = request.StartsAt ?? shift.StartsAt;
        var end = request.EndsAt ?? shift.EndsAt;
        if (userId != shift.UserId && (await EligibleAsync(db, subdistrict, [userId], ct)).Count == 0)
        {
            return NotEligible();
        }

        var others = await db.DutyShifts.Where(s => s.PostId == shift.PostId && s.CancelledAt == null && s.StartsAt < end && s.EndsAt > start).ToListAsync(ct);
        if (DutyRules.FirstOverlap(others, [new PlannedShift(userId, start, end)], except: shift.Id) is { } clash)
        {
            return Overlap(clash.OtherStart, clash.OtherEnd);
        }

        var now = time.GetUtcNow();
        try
        {
            shift.Change(userId, start, end);
        }
        catch (DutyRuleException e)
        {
            return Problems.Validation("shift", e.Message);
        }

        db.DutyLog.Add(DutyLogEntry.Of(subdistrict, now, caller.GetUserId(), "shift-changed", shift.Id,
            $"调整班次为 {DutyRules.Describe(start)}–{DutyRules.Describe(end)}"));
        return await SaveShiftAsync(db, shift, ct);
    }

    public static async Task<Results<Ok<DutyShiftResponse>, ProblemHttpResult>> CancelShift(Guid id, CancelShiftRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ManagedSubdistrict(caller) is not { } subdistrict)
        {
            return NotManager();
        }

        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length is 0 or > 200)
        {
            return Problems.Validation("reason", "请填写取消原因（200 字以内）。");
        }

        var shift = await db.DutyShifts.SingleOrDefaultAsync(s => s.Id == id && s.SubdistrictCode == subdistrict, ct);
        if (shift is null)
        {
            return ShiftNotFound();
        }

        if (request.ExpectedVersion is { } expected && expected != shift.Version)
        {
            return Problems.Conflict("该班次刚刚已被他人修改，请刷新后重试。");
        }

        var now = time.GetUtcNow();
        try
        {
            shift.Cancel(caller.GetUserId(), reason, now);
        }
        catch (DutyRuleException e)
        {
            return Problems.Conflict(e.Message);
        }

        db.DutyLog.Add(DutyLogEntry.Of(subdistrict, now, caller.GetUserId(), "shift-cancelled", shift.Id, $"取消班次：{reason}"));
        return await SaveShiftAsync(db, shift, ct);
    }

    public static async Task<Results<Ok<DutyNowResponse>, ProblemHttpResult>> Now(string? subdistrictCode, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var now = time.GetUtcNow();
        var onDuty = await DutyDesk.OnDutyAsync(db, subdistrict, now, ct);
        var me = caller.GetUserId() ?? Guid.Empty;
        var pending = await db.DutyAlerts.AsNoTracking().Where(a => a.SubdistrictCode == subdistrict
            && (a.State == DutyAlertState.Open || a.State == DutyAlertState.Escalated)).ToListAsync(ct);
        return TypedResults.Ok(new DutyNowResponse(subdistrict, now,
            [.. onDuty.People.Where(p => p.Kind == DutyPostKind.Officer).Select(Describe)], onDuty.Leader is { } leader ? Describe(leader) : null,
            onDuty.Includes(me), pending.Count(a => MayAcknowledge(a, me, onDuty, caller, subdistrict))));
    }

    /// <param name="state">open, acknowledged or escalated; all when empty.</param>
    public static async Task<Results<Ok<List<DutyAlertResponse>>, ProblemHttpResult>> ListAlerts(string? state, bool? mine, string? subdistrictCode,
        ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var query = db.DutyAlerts.AsNoTracking().Where(a => a.SubdistrictCode == subdistrict);
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (!ApiEnums.TryParse<DutyAlertState>(state, out var wanted))
            {
                return Problems.Validation("state", $"状态须为 {ApiEnums.List<DutyAlertState>()} 之一。");
            }

            query = query.Where(a => a.State == wanted);
        }

        var alerts = await query.OrderByDescending(a => a.RaisedAt).Take(200).ToListAsync(ct);
        var me = caller.GetUserId() ?? Guid.Empty;
        var onDuty = await DutyDesk.OnDutyAsync(db, subdistrict, time.GetUtcNow(), ct);
        if (mine == true)
        {
            alerts = [.. alerts.Where(a => a.IsPending && MayAcknowledge(a, me, onDuty, caller, subdistrict))];
        }

        var names = await NamesAsync(db, alerts.SelectMany(a => new[] { a.RecipientUserId, a.EscalatedToUserId, a.AcknowledgedBy }), ct);
        return TypedResults.Ok(alerts.Select(a => Describe(a, names, a.IsPending && MayAcknowledge(a, me, onDuty, caller, subdistrict))).ToList());
    }

    public static async Task<Results<Ok<DutyAlertResponse>, ProblemHttpResult>> Acknowledge(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        var alert = await db.DutyAlerts.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return Problems.NotFound("未找到该值班提醒，或不在您的范围内。");
        }

        var now = time.GetUtcNow();
        var me = caller.GetUserId() ?? Guid.Empty;
        var onDuty = await DutyDesk.OnDutyAsync(db, alert.SubdistrictCode, now, ct);
        if (!MayAcknowledge(alert, me, onDuty, caller, alert.SubdistrictCode))
        {
            return Problems.Forbidden("只有当班的值班员、带班领导或提醒对象可以确认该提醒。");
        }

        try
        {
            alert.Acknowledge(me, now);
        }
        catch (DutyRuleException e)
        {
            return Problems.Conflict(e.Message);
        }

        db.DutyLog.Add(DutyLogEntry.Of(alert.SubdistrictCode, now, me, "alert-acknowledged", alert.Id, $"确认案件 {alert.CaseNumber} 的值班提醒"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("该提醒刚刚已被他人确认或已升级，请刷新后重试。");
        }

        var names = await NamesAsync(db, [alert.RecipientUserId, alert.EscalatedToUserId, alert.AcknowledgedBy], ct);
        return TypedResults.Ok(Describe(alert, names, mayAcknowledge: false));
    }

    public static async Task<Results<Ok<List<HandoverResponse>>, ProblemHttpResult>> ListHandovers(string? subdistrictCode, ClaimsPrincipal caller,
        CivicGridDbContext db, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var handovers = await db.DutyHandovers.AsNoTracking().Where(h => h.SubdistrictCode == subdistrict)
            .OrderByDescending(h => h.OutgoingSignedAt).Take(100).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(db, handovers, caller.GetUserId() ?? Guid.Empty, ct));
    }

    public static async Task<Results<Ok<HandoverDraftResponse>, ProblemHttpResult>> HandoverDraft(string? subdistrictCode, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (SubdistrictOf(caller, subdistrictCode) is not { } subdistrict)
        {
            return NoSubdistrict();
        }

        var now = time.GetUtcNow();
        var me = caller.GetUserId() ?? Guid.Empty;
        // The caller's shift on duty now, or the one that ended last (within half a day) and was not handed over yet.
        var recent = now.AddHours(-12);
        var mine = await ShiftsAsync(db, db.DutyShifts.Where(s => s.SubdistrictCode == subdistrict && s.UserId == me && s.CancelledAt == null
            && s.StartsAt <= now && s.EndsAt > recent && !db.Set<DutyHandover>().Any(h => h.ShiftId == s.Id)), ct);
        return TypedResults.Ok(new HandoverDraftResponse(mine.OrderByDescending(s => s.StartsAt).FirstOrDefault(), await OpenItemsAsync(db, subdistrict, ct)));
    }

    public static async Task<Results<Created<HandoverResponse>, ProblemHttpResult>> RecordHandover(RecordHandoverRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (request.OutgoingUserId is null || request.OutgoingUserId == Guid.Empty)
        {
            return Problems.Validation("outgoingUserId", "交接班必须有交班人：请由交班值班员本人登录签字交班。");
        }

        if (request.ShiftId is null)
        {
            return Problems.Validation("shiftId", "请选择要交班的班次。");
        }

        var me = caller.GetUserId() ?? Guid.Empty;
        if (request.OutgoingUserId != me)
        {
            return Problems.Forbidden("交班签字须由交班人本人登录完成，不能代签。");
        }

        var shift = await db.DutyShifts.SingleOrDefaultAsync(s => s.Id == request.ShiftId, ct);
        if (shift is null)
        {
            return ShiftNotFound();
        }

        var now = time.GetUtcNow();
        if (shift.UserId != me || !shift.IsActive)
        {
            return Problems.Validation("shiftId", "您不是该班次的值班人员，不能为其交班。");
        }

        if (shift.StartsAt > now)
        {
            return Problems.Validation("shiftId", "该班次尚未开始，不能交班。");
        }

        if (await db.DutyHandovers.AnyAsync(h => h.ShiftId == shift.Id, ct))
        {
            return Problems.Conflict("该班次已经交班，请在交接班记录中查看。");
        }

        var notes = request.Notes?.Trim() ?? string.Empty;
        if (notes.Length > DutyHandover.MaxNotesLength)
        {
            return Problems.Validation("notes", $"交班说明不超过 {DutyHandover.MaxNotesLength} 字。");
        }

        List<HandoverItem> items;
        if (request.Items is null)
        {
            items = [.. await OpenItemsAsync(db, shift.SubdistrictCode, ct)];
        }
        else if (request.Items.Count > DutyHandover.MaxItems
            || request.Items.Any(i => string.IsNullOrWhiteSpace(i.Title) || i.Title.Length > 200 || (i.Reference?.Length ?? 0) > 32 || (i.Kind?.Length ?? 0) > 32))
        {
            return Problems.Validation("items", $"交接事项最多 {DutyHandover.MaxItems} 项，每项须有内容（200 字以内）。");
        }
        else
        {
            items = [.. request.Items.Select(i => new HandoverItem(string.IsNullOrWhiteSpace(i.Kind) ? "note" : i.Kind.Trim(), i.Reference?.Trim() ?? string.Empty,
                i.Title!.Trim()))];
        }

        var next = await db.DutyShifts.AsNoTracking().Where(s => s.PostId == shift.PostId && s.CancelledAt == null && s.StartsAt >= shift.EndsAt.AddHours(-1)
            && s.StartsAt <= shift.EndsAt.AddHours(1) && s.Id != shift.Id).OrderBy(s => s.StartsAt).Select(s => (Guid?)s.UserId).FirstOrDefaultAsync(ct);
        var incoming = next ?? request.IncomingUserId;
        if (incoming is { } named && next is null && (await EligibleAsync(db, shift.SubdistrictCode, [named], ct)).Count == 0)
        {
            return NotEligible();
        }

        var handover = new DutyHandover
        {
            Id = Guid.CreateVersion7(now), SubdistrictCode = shift.SubdistrictCode, ShiftId = shift.Id, PostId = shift.PostId, OutgoingUserId = me,
            OutgoingSignedAt = now, IncomingUserId = incoming, Notes = notes, Items = items,
        };
        db.DutyHandovers.Add(handover);
        db.DutyLog.Add(DutyLogEntry.Of(shift.SubdistrictCode, now, me, "handover-signed", handover.Id, $"交班签字，交接事项 {items.Count} 项"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Problems.Conflict("该班次已经交班，请在交接班记录中查看。");
        }

        return TypedResults.Created($"/api/duty/handovers/{handover.Id}", (await DescribeAsync(db, [handover], me, ct))[0]);
    }

    public static async Task<Results<Ok<HandoverResponse>, ProblemHttpResult>> AcceptHandover(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        var handover = await db.DutyHandovers.SingleOrDefaultAsync(h => h.Id == id, ct);
        if (handover is null)
        {
            return Problems.NotFound("未找到该交接班记录，或不在您的范围内。");
        }

        var me = caller.GetUserId() ?? Guid.Empty;
        var now = time.GetUtcNow();
        if (handover.IncomingUserId is { } incoming ? incoming != me : !(await DutyDesk.OnDutyAsync(db, handover.SubdistrictCode, now, ct)).Includes(me))
        {
            return Problems.Forbidden("只有接班人本人可以接班确认。");
        }

        if (me == handover.OutgoingUserId)
        {
            return Problems.Forbidden("交班人不能为自己接班确认。");
        }

        try
        {
            handover.Accept(me, now);
        }
        catch (DutyRuleException e)
        {
            return Problems.Conflict(e.Message);
        }

        db.DutyLog.Add(DutyLogEntry.Of(handover.SubdistrictCode, now, me, "handover-accepted", handover.Id, "接班确认"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("该交接班刚刚已被确认，请刷新后查看。");
        }

        return TypedResults.Ok((await DescribeAsync(db, [handover], me, ct))[0]);
    }

    /// <summary>The open urgent items of a subdistrict: open red cases, pending alerts, open cases counted in natural time.</summary>
    private static async Task<IReadOnlyList<HandoverItem>> OpenItemsAsync(CivicGridDbContext db, string subdistrict, CancellationToken ct)
    {
        var natural = new[] { TimeLimitUnit.NaturalHours, TimeLimitUnit.NaturalDays };
        var open = db.Cases.AsNoTracking().Where(CaseFilter.IsOpen()).Where(c => c.GridCode.StartsWith(subdistrict));
        var red = await open.Where(c => c.Tier == CaseTier.Red).OrderBy(c => c.ReportedAt).Take(30).Select(c => new { c.Number, c.Title }).ToListAsync(ct);
        var alerts = await db.DutyAlerts.AsNoTracking().Where(a => a.SubdistrictCode == subdistrict
            && (a.State == DutyAlertState.Open || a.State == DutyAlertState.Escalated)).OrderBy(a => a.RaisedAt).Take(30).ToListAsync(ct);
        var urgent = await (from c in open.Where(c => c.Tier != CaseTier.Red && c.Status != CaseStatus.Handled && c.Status != CaseStatus.Verified)
                            join k in db.CaseCategories.AsNoTracking() on c.CategoryCode equals k.Code
                            where natural.Contains(k.TimeLimitUnit)
                            orderby c.ReportedAt
                            select new { c.Number, c.Title, c.DueAt }).Take(30).ToListAsync(ct);
        return
        [
            .. red.Select(c => new HandoverItem("red-case", c.Number, $"红色案件未办结：{c.Title}")),
            .. alerts.Select(a => new HandoverItem("duty-alert", a.CaseNumber,
                $"{(a.State == DutyAlertState.Escalated ? "已升级" : "未确认")}的值班提醒（{DutyDesk.KindText(a.Kind)}）：{a.CaseTitle}")),
            .. urgent.Select(c => new HandoverItem("urgent-case", c.Number,
                $"紧急案件未办结：{c.Title}{(c.DueAt is { } due ? $"（时限 {DutyRules.Describe(due)}）" : string.Empty)}")),
        ];
    }

    private sealed record Planned(List<DutyShiftResponse> Shifts, ProblemHttpResult? Problem);

    /// <summary>Checks a post of the subdistrict, the people and every overlap, then stores all the shifts or none.</summary>
    private static async Task<Planned> PlanAsync(CivicGridDbContext db, ClaimsPrincipal caller, string subdistrict, Guid postId,
        IReadOnlyList<PlannedShift> planned, DateTimeOffset now, string action, CancellationToken ct)
    {
        var post = await db.DutyPosts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == postId && p.SubdistrictCode == subdistrict, ct);
        if (post is null)
        {
            return new([], Problems.Validation("postId", "请选择本街道的值班岗位。"));
        }

        try
        {
            foreach (var p in planned)
            {
                DutyRules.CheckTimes(p.StartsAt, p.EndsAt);
            }
        }
        catch (DutyRuleException e)
        {
            return new([], Problems.Validation("endsAt", e.Message));
        }

        var people = planned.Select(p => p.UserId).Distinct().ToList();
        if ((await EligibleAsync(db, subdistrict, people, ct)).Count != people.Count)
        {
            return new([], NotEligible());
        }

        var first = planned.Min(p => p.StartsAt);
        var last = planned.Max(p => p.EndsAt);
        var existing = await db.DutyShifts.AsNoTracking().Where(s => s.PostId == postId && s.CancelledAt == null && s.StartsAt < last && s.EndsAt > first)
            .ToListAsync(ct);
        if (DutyRules.FirstOverlap(existing, planned) is { } clash)
        {
            return new([], Overlap(clash.OtherStart, clash.OtherEnd, post.Name));
        }

        var me = caller.GetUserId();
        var shifts = planned.Select(p => new DutyShift
        {
            Id = Guid.CreateVersion7(now), PostId = postId, SubdistrictCode = subdistrict, UserId = p.UserId, StartsAt = p.StartsAt, EndsAt = p.EndsAt,
            CreatedAt = now, CreatedBy = me,
        }).ToList();
        db.DutyShifts.AddRange(shifts);
        db.DutyLog.Add(DutyLogEntry.Of(subdistrict, now, me, action, shifts[0].Id,
            $"「{post.Name}」新增 {shifts.Count} 个班次：{DutyRules.Describe(first)}–{DutyRules.Describe(last)}"));
        await db.SaveChangesAsync(ct);
        return new(await ShiftsAsync(db, db.DutyShifts.Where(s => shifts.Select(x => x.Id).Contains(s.Id)), ct), null);
    }

    private static async Task<Results<Ok<DutyShiftResponse>, ProblemHttpResult>> SaveShiftAsync(CivicGridDbContext db, DutyShift shift, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("该班次刚刚已被他人修改，请刷新后重试。");
        }

        var described = await ShiftsAsync(db, db.DutyShifts.IgnoreQueryFilters().Where(s => s.Id == shift.Id), ct);
        return TypedResults.Ok(described[0]);
    }

    private static async Task<List<DutyShiftResponse>> ShiftsAsync(CivicGridDbContext db, IQueryable<DutyShift> shifts, CancellationToken ct)
    {
        var rows = await (from s in shifts.AsNoTracking()
                          join p in db.DutyPosts.IgnoreQueryFilters().AsNoTracking() on s.PostId equals p.Id
                          join u in db.Users.IgnoreQueryFilters().AsNoTracking() on s.UserId equals u.Id
                          select new { Shift = s, PostName = p.Name, p.Kind, u.DisplayName }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Shift.StartsAt).ThenBy(r => r.Kind).Select(r => new DutyShiftResponse(r.Shift.Id, r.Shift.PostId, r.PostName, r.Kind,
            r.Shift.UserId, r.DisplayName, r.Shift.StartsAt, r.Shift.EndsAt, PeriodOf(r.Shift), r.Shift.Version))];
    }

    private static string PeriodOf(DutyShift s)
    {
        var start = TimeOnly.FromDateTime(s.StartsAt.ToOffset(DutyRules.Beijing).DateTime);
        var end = TimeOnly.FromDateTime(s.EndsAt.ToOffset(DutyRules.Beijing).DateTime);
        return (start, end, s.EndsAt - s.StartsAt) switch
        {
            var (a, b, _) when a == DutyRules.DayStart && b == DutyRules.NightStart => "day",
            var (a, b, _) when a == DutyRules.NightStart && b == DutyRules.DayStart => "night",
            var (a, _, length) when a == DutyRules.DayStart && length == TimeSpan.FromDays(1) => "full-day",
            _ => "other",
        };
    }

    private static async Task<List<HandoverResponse>> DescribeAsync(CivicGridDbContext db, IReadOnlyList<DutyHandover> handovers, Guid me, CancellationToken ct)
    {
        var shiftIds = handovers.Select(h => h.ShiftId).ToList();
        var shifts = await (from s in db.DutyShifts.IgnoreQueryFilters().AsNoTracking()
                            join p in db.DutyPosts.IgnoreQueryFilters().AsNoTracking() on s.PostId equals p.Id
                            where shiftIds.Contains(s.Id)
                            select new { s.Id, s.StartsAt, s.EndsAt, p.Name }).ToDictionaryAsync(s => s.Id, ct);
        var names = await NamesAsync(db, handovers.SelectMany(h => new Guid?[] { h.OutgoingUserId, h.IncomingUserId }), ct);
        return [.. handovers.Select(h => new HandoverResponse(h.Id, h.ShiftId, shifts[h.ShiftId].Name, shifts[h.ShiftId].StartsAt, shifts[h.ShiftId].EndsAt,
            h.OutgoingUserId, names.GetValueOrDefault(h.OutgoingUserId, "?"), h.OutgoingSignedAt, h.IncomingUserId,
            h.IncomingUserId is { } i ? names.GetValueOrDefault(i) : null, h.IncomingAcceptedAt, h.Notes, h.Items,
            h.IncomingAcceptedAt is null && h.IncomingUserId == me))];
    }

    private static async Task<Dictionary<Guid, string>> NamesAsync(CivicGridDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.Where(i => i is not null).Select(i => i!.Value).Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    /// <summary>
    /// Who may take shifts: active operations-centre staff of the subdistrict and community staff of its communities (not the
    /// liaisons sunk into it nor property staff, who work for others); all of them, or those of <paramref name="ids"/>.
    /// </summary>
    private static async Task<List<UserAccount>> EligibleAsync(CivicGridDbContext db, string subdistrict, IReadOnlyList<Guid>? ids, CancellationToken ct)
    {
        var query = db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.IsActive && u.ScopeCode.StartsWith(subdistrict)
            && u.ScopeCode.Length <= GridCodes.SubdistrictLength + 3);
        if (ids is not null)
        {
            query = query.Where(u => ids.Contains(u.Id));
        }

        var users = await query.ToListAsync(ct);
        return [.. users.Where(u => u.Roles.Any(r => r is Role.SubdistrictOperator or Role.CommunityStaff))];
    }

    private static bool MayAcknowledge(DutyAlert alert, Guid me, OnDuty onDuty, ClaimsPrincipal caller, string subdistrict) =>
        me != Guid.Empty && (alert.RecipientUserId == me || alert.EscalatedToUserId == me || onDuty.Includes(me)
            || ((alert.Audience == DutyAlertAudience.OpsStaff || alert.EscalatedTo == DutyAlertAudience.OpsStaff)
                && DutyDesk.ManagesRoster(caller.GetRoles(), caller.GetScope(), subdistrict)));

    private static DutyAlertResponse Describe(DutyAlert a, Dictionary<Guid, string> names, bool mayAcknowledge) =>
        new(a.Id, a.Kind, a.State, a.CaseNumber, a.CaseTitle, a.GridCode, a.RaisedAt, a.AcknowledgeBy, a.Audience,
            a.RecipientUserId is { } r ? names.GetValueOrDefault(r) : null, a.Routing, a.EscalatedAt,
            a.EscalatedToUserId is { } e ? names.GetValueOrDefault(e) : null, a.AcknowledgedAt,
            a.AcknowledgedBy is { } b ? names.GetValueOrDefault(b) : null, mayAcknowledge, a.Version);

    private static OnDutyResponse Describe(OnDutyPerson p) => new(p.ShiftId, p.PostName, p.Kind, p.UserId, p.Name, Masking.Phone(p.PhoneNumber), p.StartsAt, p.EndsAt);

    /// <summary>
    /// The subdistrict a read is about: the caller's own (their scope is the subdistrict or inside it), or, for a caller above
    /// subdistricts (the district), the one they name inside their scope; null when neither.
    /// </summary>
    private static string? SubdistrictOf(ClaimsPrincipal caller, string? requested)
    {
        var scope = caller.GetScope();
        if (scope.OwnRecordsOnly)
        {
            return null;
        }

        if (scope.Code.Length >= GridCodes.SubdistrictLength)
        {
            return scope.Code[..GridCodes.SubdistrictLength];
        }

        return requested is { Length: GridCodes.SubdistrictLength } && scope.Covers(requested) && requested.All(char.IsAsciiDigit) ? requested : null;
    }

    private static string? ManagedSubdistrict(ClaimsPrincipal caller)
    {
        var scope = caller.GetScope();
        return scope.Code.Length == GridCodes.SubdistrictLength && DutyDesk.ManagesRoster(caller.GetRoles(), scope, scope.Code) ? scope.Code : null;
    }

    private static ProblemHttpResult NoSubdistrict() => Problems.Validation("subdistrictCode", "请指定要查看的街道（9 位街道代码）。");

    private static ProblemHttpResult NotManager() => Problems.Forbidden("只有本街道城运中心的工作人员可以管理值班岗位和排班。");

    private static ProblemHttpResult NotEligible() => Problems.Validation("userId", "值班人员须是本街道或其社区在岗的工作人员。");

    private static ProblemHttpResult ShiftNotFound() => Problems.NotFound("未找到该班次，或不在您的范围内。");

    private static ProblemHttpResult Overlap(DateTimeOffset otherStart, DateTimeOffset otherEnd, string? post = null) =>
        Problems.Create(StatusCodes.Status409Conflict, OverlapType, "The shift overlaps another shift of the same post.",
            $"{(post is null ? "该岗位" : $"岗位「{post}」")}在 {DutyRules.Describe(otherStart)}–{DutyRules.Describe(otherEnd)} 已有班次，与新排的班次时间重叠；请调整时间或先取消原班次。",
            new Dictionary<string, object?> { ["otherStartsAt"] = otherStart, ["otherEndsAt"] = otherEnd });
}
