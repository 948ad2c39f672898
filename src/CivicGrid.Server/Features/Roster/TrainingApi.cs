using System.Security.Claims;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Roster;

/// <param name="ScopeName">The subdistrict or community that runs the course.</param>
public sealed record CourseResponse(Guid Id, CourseKind Kind, string Title, decimal Hours, int PassMark, bool RequiredForWorkId, string ScopeCode, string ScopeName);

/// <param name="Kind">policy, platform-use or safety.</param>
/// <param name="PassMark">The lowest passing score, 0–100.</param>
public sealed record CreateCourseRequest([property: ApiEnum(typeof(CourseKind))] string? Kind, string? Title, decimal? Hours, int? PassMark, bool? RequiredForWorkId);

public sealed record CourseRequiredRequest(bool Required);

/// <param name="Passed">Attendees who attended and reached the course's pass mark.</param>
public sealed record SessionResponse(Guid Id, Guid CourseId, string CourseTitle, DateOnly HeldOn, string Place, string Trainer, string ScopeCode, string ScopeName,
    int Attendees, int Passed);

/// <summary>A session with its attendance list (the attendees the caller may see).</summary>
public sealed record SessionDetailResponse(SessionResponse Session, int PassMark, IReadOnlyList<AttendanceResponse> Attendance);

public sealed record AttendanceResponse(Guid MemberId, string MemberName, MemberKind Kind, string CommunityName, bool Attended, int? Score, bool Passed);

public sealed record CreateSessionRequest(Guid? CourseId, DateOnly? HeldOn, string? Place, string? Trainer);

/// <param name="Score">0–100; null before the test.</param>
public sealed record AttendanceEntry(Guid MemberId, bool Attended, int? Score);

public sealed record RecordAttendanceRequest(IReadOnlyList<AttendanceEntry>? Entries);

/// <summary>An active member with whether they may be issued a work ID now.</summary>
/// <param name="Missing">Titles of the required courses not yet passed.</param>
/// <param name="HasValidWorkId">True when a work ID of theirs is valid today (revoke it before issuing another).</param>
public sealed record EligibilityResponse(Guid MemberId, string Name, MemberKind Kind, string CommunityName, bool Eligible, IReadOnlyList<string> Missing,
    bool HasValidWorkId);

/// <summary>Training (培训): courses of the subdistrict or a community, sessions with attendance and test scores.</summary>
public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder routes)
    {
        var training = routes.MapGroup("/api/training").WithTags("Training").RequireAuthorization(p => p.RequireRole(RosterRules.Trainers));
        training.MapGet("/courses", ListCourses).WithName("ListCourses").WithSummary("Courses run in or above the caller's scope.");
        training.MapPost("/courses", CreateCourse).WithIdempotency().WithName("CreateCourse").WithSummary("A course run by the caller's unit (subdistrict or community).");
        training.MapPut("/courses/{id:guid}/required", SetRequired).WithName("SetCourseRequired")
            .WithSummary("Whether passing the course is required before a work ID is issued (the unit that runs it).");
        training.MapGet("/sessions", ListSessions).WithName("ListTrainingSessions").WithSummary("Sessions in or above the caller's scope, newest first.");
        training.MapPost("/sessions", CreateSession).WithIdempotency().WithName("CreateTrainingSession").WithSummary("Schedule a session of a course.");
        training.MapGet("/sessions/{id:guid}", GetSession).WithName("GetTrainingSession").WithSummary("A session with the attendance and scores of the members the caller sees.");
        training.MapPut("/sessions/{id:guid}/attendance", RecordAttendance).WithName("RecordTrainingAttendance")
            .WithSummary("Record attendance and test scores of members of the caller's scope (replaces each listed member's entry).");
        training.MapGet("/eligibility", ListEligibility).WithName("ListWorkIdEligibility")
            .WithSummary("Active members of the caller's scope and whether they passed every course required for a work ID.");
        return routes;
    }

    public static async Task<Ok<List<CourseResponse>>> ListCourses(CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        var courses = await db.Courses.AsNoTracking().OrderBy(c => c.Kind).ThenBy(c => c.Title).ToListAsync(ct);
        return TypedResults.Ok(courses.Select(c => Describe(c, snapshot)).ToList());
    }

    public static async Task<Results<Created<CourseResponse>, ProblemHttpResult>> CreateCourse(CreateCourseRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ApiEnums.TryParse<CourseKind>(request.Kind, out var kind))
        {
            errors["kind"] = ["请选择课程类别：政策、平台使用或安全。"];
        }

        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > Course.MaxTitleLength)
        {
            errors["title"] = [$"请填写课程名称（{Course.MaxTitleLength} 字以内）。"];
        }

        if (request.Hours is not (> 0 and <= 100))
        {
            errors["hours"] = ["学时须大于 0，不超过 100。"];
        }

        if (request.PassMark is not (>= 0 and <= 100))
        {
            errors["passMark"] = ["合格分数须在 0 到 100 之间。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var course = new Course(kind, request.Title!, request.Hours!.Value, request.PassMark!.Value, request.RequiredForWorkId ?? false, caller.GetScope().Code);
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/training/courses/{course.Id}", Describe(course, await geography.GetAsync(ct)));
    }

    public static async Task<Results<Ok<CourseResponse>, ProblemHttpResult>> SetRequired(Guid id, CourseRequiredRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var course = await db.Courses.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (course is null)
        {
            return Problems.NotFound("找不到这门课程。");
        }

        if (!caller.GetScope().Covers(course.ScopeCode))
        {
            return Problems.Forbidden("这门课程由上级单位开设，只有开设单位可以修改。");
        }

        course.RequiredForWorkId = request.Required;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(course, await geography.GetAsync(ct)));
    }

    public static async Task<Ok<List<SessionResponse>>> ListSessions(Guid? courseId, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var query = db.TrainingSessions.AsNoTracking();
        if (courseId is { } id)
        {
            query = query.Where(s => s.CourseId == id);
        }

        var sessions = await query.OrderByDescending(s => s.HeldOn).ToListAsync(ct);
        var snapshot = await geography.GetAsync(ct);
        var courses = await db.Courses.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        var ids = sessions.Select(s => s.Id).ToList();
        var attendance = await db.Attendances.AsNoTracking().Where(a => ids.Contains(a.SessionId)).ToListAsync(ct);
        return TypedResults.Ok(sessions.Where(s => courses.ContainsKey(s.CourseId))
            .Select(s => Describe(s, courses[s.CourseId], attendance.Where(a => a.SessionId == s.Id).ToList(), snapshot)).ToList());
    }

    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> CreateSession(CreateSessionRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var course = request.CourseId is { } courseId ? await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId, ct) : null;
        if (course is null)
        {
            errors["courseId"] = ["请选择课程。"];
        }

        if (request.HeldOn is null)
        {
            errors["heldOn"] = ["请填写培训日期。"];
        }

        foreach (var (field, value, label) in new[] { ("place", request.Place, "培训地点"), ("trainer", request.Trainer, "授课人") })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > RosterLimits.TextLength)
            {
                errors[field] = [$"请填写{label}（{RosterLimits.TextLength} 字以内）。"];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var session = new TrainingSession(course!.Id, request.HeldOn!.Value, request.Place!, request.Trainer!, caller.GetScope().Code);
        db.TrainingSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/training/sessions/{session.Id}", Describe(session, course, [], await geography.GetAsync(ct)));
    }

    public static async Task<Results<Ok<SessionDetailResponse>, ProblemHttpResult>> GetSession(Guid id, CivicGridDbContext db, GeographyIndex geography,
        CancellationToken ct)
    {
        var session = await db.TrainingSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        var course = session is null ? null : await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == session.CourseId, ct);
        if (session is null || course is null)
        {
            return SessionNotFound();
        }

        return TypedResults.Ok(await DetailAsync(session, course, db, await geography.GetAsync(ct), ct));
    }

    /// <summary>
    /// Replaces the listed members' entries: 404 for a member outside the caller's scope, 400 for a score outside 0–100 or
    /// a score without attendance. A session held by the subdistrict takes each community's attendees from that community.
    /// </summary>
    public static async Task<Results<Ok<SessionDetailResponse>, ProblemHttpResult>> RecordAttendance(Guid id, RecordAttendanceRequest request,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var session = await db.TrainingSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        var course = session is null ? null : await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == session.CourseId, ct);
        if (session is null || course is null)
        {
            return SessionNotFound();
        }

        var entries = request.Entries ?? [];
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Score is < 0 or > 100)
            {
                errors[$"entries[{i}].score"] = ["成绩须在 0 到 100 之间。"];
            }
            else if (entries[i].Score is not null && !entries[i].Attended)
            {
                errors[$"entries[{i}].score"] = ["未参加培训的人员不能登记成绩。"];
            }
        }

        if (entries.Count == 0)
        {
            errors["entries"] = ["请至少登记一名参训人员。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var memberIds = entries.Select(e => e.MemberId).Distinct().ToList();
        var members = await db.RosterMembers.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        if (memberIds.Any(m => !members.ContainsKey(m)))
        {
            return Problems.NotFound("名单中有人员不在您管辖范围内的网格员队伍中。");
        }

        var existing = await db.Attendances.Where(a => a.SessionId == id && memberIds.Contains(a.MemberId)).ToDictionaryAsync(a => a.MemberId, ct);
        foreach (var entry in entries)
        {
            if (existing.TryGetValue(entry.MemberId, out var row))
            {
                row.Record(entry.Attended, entry.Score);
            }
            else
            {
                existing[entry.MemberId] = db.Attendances.Add(new Attendance(id, entry.MemberId, members[entry.MemberId].CommunityCode, entry.Attended, entry.Score)).Entity;
            }
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DetailAsync(session, course, db, await geography.GetAsync(ct), ct));
    }

    public static async Task<Ok<List<EligibilityResponse>>> ListEligibility(CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        // Names are sealed at rest: ordered here, not in SQL.
        var members = (await db.RosterMembers.AsNoTracking().Where(m => m.LeftOn == null).ToListAsync(ct))
            .OrderBy(m => m.CommunityCode, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        var ids = members.Select(m => m.Id).ToList();
        var results = await ResultsAsync(db, ids, ct);
        var today = RosterRules.Today(time);
        var workIds = await db.WorkIds.AsNoTracking().Where(w => ids.Contains(w.MemberId) && w.RevokedAt == null && w.ValidUntil >= today && w.ValidFrom <= today)
            .Select(w => w.MemberId).ToListAsync(ct);
        var required = await db.Courses.AsNoTracking().Where(c => c.RequiredForWorkId).ToListAsync(ct);
        return TypedResults.Ok(members.Select(m =>
        {
            var missing = WorkIdEligibility.Missing(required, results.GetValueOrDefault(m.Id, [])).Select(c => c.Title).ToList();
            return new EligibilityResponse(m.Id, m.Name, m.Kind, RosterRules.NameOf(snapshot, m.CommunityCode), missing.Count == 0, missing, workIds.Contains(m.Id));
        }).ToList());
    }

    /// <summary>Each member's (course, attended, score) over every session they were listed on.</summary>
    internal static async Task<Dictionary<Guid, List<(Guid CourseId, bool Attended, int? Score)>>> ResultsAsync(CivicGridDbContext db, List<Guid> memberIds,
        CancellationToken ct)
    {
        var rows = await (from a in db.Attendances.AsNoTracking()
                          join s in db.TrainingSessions.IgnoreQueryFilters() on a.SessionId equals s.Id
                          where memberIds.Contains(a.MemberId)
                          select new { a.MemberId, s.CourseId, a.Attended, a.Score }).ToListAsync(ct);
        return rows.GroupBy(r => r.MemberId).ToDictionary(g => g.Key, g => g.Select(r => (r.CourseId, r.Attended, r.Score)).ToList());
    }

    private static async Task<SessionDetailResponse> DetailAsync(TrainingSession session, Course course, CivicGridDbContext db, GeographySnapshot snapshot,
        CancellationToken ct)
    {
        var rows = await db.Attendances.AsNoTracking().Where(a => a.SessionId == session.Id).ToListAsync(ct);
        var ids = rows.Select(r => r.MemberId).ToList();
        var members = await db.RosterMembers.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var attendance = rows.Where(r => members.ContainsKey(r.MemberId)).Select(r =>
        {
            var m = members[r.MemberId];
            return new AttendanceResponse(m.Id, m.Name, m.Kind, RosterRules.NameOf(snapshot, m.CommunityCode), r.Attended, r.Score, course.Passes(r.Attended, r.Score));
        }).OrderBy(a => a.CommunityName).ThenBy(a => a.MemberName).ToList();
        return new(Describe(session, course, rows, snapshot), course.PassMark, attendance);
    }

    private static CourseResponse Describe(Course c, GeographySnapshot snapshot) =>
        new(c.Id, c.Kind, c.Title, c.Hours, c.PassMark, c.RequiredForWorkId, c.ScopeCode, ScopeName(snapshot, c.ScopeCode));

    private static SessionResponse Describe(TrainingSession s, Course course, List<Attendance> attendance, GeographySnapshot snapshot) =>
        new(s.Id, s.CourseId, course.Title, s.HeldOn, s.Place, s.Trainer, s.ScopeCode, ScopeName(snapshot, s.ScopeCode), attendance.Count,
            attendance.Count(a => course.Passes(a.Attended, a.Score)));

    private static string ScopeName(GeographySnapshot snapshot, string code) => code.Length == 0 ? "全平台" : RosterRules.NameOf(snapshot, code);

    private static ProblemHttpResult SessionNotFound() => Problems.NotFound("找不到这次培训，或它不在您的管辖范围内。");
}
