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

    private static CaseSummary Summarise(Case c) => new(c.Number, c.CategoryCode, c.Title, c.GridCode, c.Tier.ToString(), c.Status.ToString(),
        c.Channel.ToString(), c.ReportedAt, c.ClosedAt, c.Location.X, c.Location.Y, Masking.Phone(c.ReporterPhone), c.Rating);
}
