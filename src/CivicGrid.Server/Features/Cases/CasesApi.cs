using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases;

/// <param name="Lon">WGS-84 longitude of the case.</param>
/// <param name="ReporterPhone">Masked (138****1234) unless the caller may reveal it.</param>
public sealed record CaseSummary(string Number, string CategoryCode, string Title, string GridCode, string Tier, string Status,
    string Channel, DateTimeOffset ReportedAt, DateTimeOffset? ClosedAt, double Lon, double Lat, string? ReporterPhone, int? Rating);

public sealed record CasePage(int Total, int Page, int PageSize, IReadOnlyList<CaseSummary> Items);

/// <summary>One step of a case's history as staff see it.</summary>
/// <param name="Action">Stable kebab-case name of the step, e.g. accept, assign, escalate.</param>
/// <param name="Text">For residents, the plain-Chinese sentence; for staff, the same sentence (the note carries the detail).</param>
public sealed record TimelineEntryResponse(int Sequence, DateTimeOffset At, string Action, string? ActorName, string? FromStatus, string ToStatus,
    string FromTier, string ToTier, string? FromGridCode, string? ToGridCode, string? Note, string Text, IReadOnlyList<Guid> AttachmentIds);

/// <param name="Intact">Whether the stored hash chain verifies (staff only; null for residents).</param>
public sealed record CaseTimelineResponse(string Number, bool? Intact, IReadOnlyList<TimelineEntryResponse> Entries);

/// <summary>
/// Read access to cases, filtered by scope: staff see their subtree, residents the cases they reported.
/// The case-workflow issue adds intake and transitions beside these.
/// </summary>
public static class CasesApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cases").WithTags("Cases");
        group.MapGet("/", ListCases).WithName("ListCases").WithSummary("Cases in the caller's scope, newest first, with filters.");
        group.MapGet("/{number}", GetCase).WithName("GetCase").WithSummary("One case by its number.");
        group.MapGet("/{number}/timeline", GetTimeline).WithName("GetCaseTimeline")
            .WithSummary("A case's history: every step for staff; for the resident who reported it, the public steps in plain Chinese without staff names.");
        return group;
    }

    /// <param name="gridCode">Only cases inside this grid's subtree.</param>
    /// <param name="status">A status name such as Closed or InHandling.</param>
    /// <param name="tier">Green, Yellow, Blue or Red.</param>
    public static async Task<Results<Ok<CasePage>, ProblemHttpResult>> ListCases(
        string? gridCode, string? status, string? tier, int? page, int? pageSize, CivicGridDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = db.Cases.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            query = query.Where(c => c.GridCode.StartsWith(gridCode));
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            if (Enum.TryParse<CaseStatus>(status, true, out var parsed) && Enum.IsDefined(parsed))
            {
                query = query.Where(c => c.Status == parsed);
            }
            else
            {
                errors["status"] = [$"未知的案件状态“{status}”。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(tier))
        {
            if (Enum.TryParse<CaseTier>(tier, true, out var parsed) && Enum.IsDefined(parsed))
            {
                query = query.Where(c => c.Tier == parsed);
            }
            else
            {
                errors["tier"] = [$"未知的案件颜色“{tier}”，可用：Green、Yellow、Blue、Red。"];
            }
        }

        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"每页条数应在 1 到 {MaxPageSize} 之间。"];
        }

        if (number < 1)
        {
            errors["page"] = ["页码从 1 开始。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(c => c.ReportedAt).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new CasePage(total, number, size, [.. items.Select(Summarise)]));
    }

    public static async Task<Results<Ok<CaseSummary>, ProblemHttpResult>> GetCase(string number, CivicGridDbContext db, CancellationToken ct)
    {
        var found = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        return found is null
            ? Problems.NotFound($"找不到编号为 {number} 的案件，或它不在您的查看范围内。")
            : TypedResults.Ok(Summarise(found));
    }

    public static async Task<Results<Ok<CaseTimelineResponse>, ProblemHttpResult>> GetTimeline(string number, CivicGridDbContext db, CancellationToken ct)
    {
        var found = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        if (found is null)
        {
            return Problems.NotFound($"找不到编号为 {number} 的案件，或它不在您的查看范围内。");
        }

        if (db.Scope.OwnRecordsOnly)
        {
            // Residents see what happened, not who on the staff did it, nor internal notes.
            return TypedResults.Ok(new CaseTimelineResponse(found.Number, null, [.. found.Timeline.Where(e => e.IsPublic).Select(e =>
                new TimelineEntryResponse(e.Sequence, e.At, e.Action, null, e.FromStatus?.ToString(), e.ToStatus.ToString(), e.FromTier.ToString(),
                    e.ToTier.ToString(), null, null, null, e.PublicText, []))]));
        }

        return TypedResults.Ok(new CaseTimelineResponse(found.Number, found.VerifyTimeline() is null, [.. found.Timeline.Select(e =>
            new TimelineEntryResponse(e.Sequence, e.At, e.Action, e.ActorName, e.FromStatus?.ToString(), e.ToStatus.ToString(), e.FromTier.ToString(),
                e.ToTier.ToString(), e.FromGridCode, e.ToGridCode, e.Note, e.PublicText, e.AttachmentIds))]));
    }

    private static CaseSummary Summarise(Case c) => new(c.Number, c.CategoryCode, c.Title, c.GridCode, c.Tier.ToString(), c.Status.ToString(),
        c.Channel.ToString(), c.ReportedAt, c.ClosedAt, c.Location.X, c.Location.Y, Masking.Phone(c.ReporterPhone), c.Rating);
}
