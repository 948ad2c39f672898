using CivicGrid.Server.Features.Audit;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Catalogue;

/// <param name="TimeLimitUnit">
/// working-hours or working-days (counted on the work calendar), natural-hours or natural-days (round the clock, nights and
/// holidays included: for what cannot wait, such as fire, gas, flooding and public safety).
/// </param>
/// <param name="CountsNaturalTime">True for natural-hours and natural-days: the deadline runs through nights and holidays.</param>
/// <param name="IsSensitive">A case of this kind is never suggested to the public as "already reported nearby", nor shown on the public map.</param>
/// <param name="StaffOnly">Only staff and devices report this kind; residents may choose every active category where this is false.</param>
public sealed record CategoryResponse(string Code, string Name, string MajorCode, string MajorName, CaseTier DefaultTier, int TimeLimit,
    [property: ApiEnum(typeof(TimeLimitUnit))] string TimeLimitUnit, string? ResponsibleDepartmentCode, string AcceptanceCondition, string ClosingCondition,
    bool PhotoRequired, bool IsActive, bool IsSensitive, bool CountsNaturalTime, bool StaffOnly);

/// <param name="Code">Only when creating: letter E/C/G + 2-digit major + 2-digit minor, e.g. E0106.</param>
/// <param name="TimeLimitUnit">working-hours, working-days, natural-hours or natural-days (see <see cref="CategoryResponse"/>).</param>
/// <param name="IsSensitive">Left out of the public's duplicate suggestions; unchanged when absent.</param>
/// <param name="StaffOnly">Not offered to residents, refused from them; unchanged when absent.</param>
public sealed record CategoryRequest(string? Code, string? Name, string? MajorCode, string? MajorName, [property: ApiEnum(typeof(CaseTier))] string? DefaultTier, int? TimeLimit,
    [property: ApiEnum(typeof(TimeLimitUnit))] string? TimeLimitUnit, string? ResponsibleDepartmentCode, string? AcceptanceCondition,
    string? ClosingCondition, bool? PhotoRequired, bool? IsActive, bool? IsSensitive = null, bool? StaffOnly = null);

/// <summary>The case catalogue (大类/小类): read by everyone who reports, kept by the system administrator.</summary>
public static class CatalogueApi
{
    public static IEndpointRouteBuilder MapCatalogueApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/categories").WithTags("Catalogue");
        group.MapGet("/", List).AllowAnonymous().WithName("ListCategories")
            .WithSummary("The active case categories by major class (anyone may read them: the resident's report page offers them). includeRetired=true also lists retired ones.");
        group.MapPost("/", Create).RequireAuthorization(Policies.SystemAdmin).WithName("CreateCategory").WithSecurityEvent(SecurityEventKind.ConfigurationChanged, "configuration", "新增案件类别").WithSummary("Add a category (system admin).");
        group.MapPut("/{code}", Update).RequireAuthorization(Policies.SystemAdmin).WithName("UpdateCategory").WithSecurityEvent(SecurityEventKind.ConfigurationChanged, "configuration", "修改案件类别")
            .WithSummary("Change a category (system admin); isActive=false retires it for new reports, old cases keep it.");
        return routes;
    }

    public static async Task<Ok<List<CategoryResponse>>> List(bool? includeRetired, CivicGridDbContext db, CancellationToken ct)
    {
        var query = db.CaseCategories.AsNoTracking();
        if (includeRetired != true)
        {
            query = query.Where(c => c.IsActive);
        }

        var categories = await query.OrderBy(c => c.Code).ToListAsync(ct);
        return TypedResults.Ok(categories.Select(Describe).ToList());
    }

    public static async Task<Results<Created<CategoryResponse>, ProblemHttpResult>> Create(CategoryRequest request, CivicGridDbContext db, CategoryCache cache, CancellationToken ct)
    {
        var code = request.Code?.Trim() ?? string.Empty;
        if (code.Length != 5 || code[0] is not ('E' or 'C' or 'G') || !code[1..].All(char.IsAsciiDigit))
        {
            return Problems.Validation("code", "类别编码应为 E（事件）、C（部件）或 G（网格任务）加 4 位数字，如 E0106。");
        }

        if (await db.CaseCategories.AnyAsync(c => c.Code == code, ct))
        {
            return Problems.Conflict($"类别编码 {code} 已存在。");
        }

        var category = new CaseCategory(code, "?", code[..3], "?", CaseTier.Green, 1);
        if (Apply(category, request) is { } problem)
        {
            return problem;
        }

        db.CaseCategories.Add(category);
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return TypedResults.Created($"/api/categories/{code}", Describe(category));
    }

    public static async Task<Results<Ok<CategoryResponse>, ProblemHttpResult>> Update(string code, CategoryRequest request, CivicGridDbContext db, CategoryCache cache, CancellationToken ct)
    {
        var category = await db.CaseCategories.SingleOrDefaultAsync(c => c.Code == code, ct);
        if (category is null)
        {
            return Problems.NotFound($"找不到编码为 {code} 的案件类别。");
        }

        if (Apply(category, request) is { } problem)
        {
            return problem;
        }

        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return TypedResults.Ok(Describe(category));
    }

    /// <summary>Validates the request field by field (all problems at once) and applies it; null when applied.</summary>
    private static ProblemHttpResult? Apply(CaseCategory category, CategoryRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["请填写类别名称。"];
        }

        if (string.IsNullOrWhiteSpace(request.MajorCode) || !category.Code.StartsWith(request.MajorCode.Trim(), StringComparison.Ordinal) || request.MajorCode.Trim().Length != 3)
        {
            errors["majorCode"] = [$"大类编码应为类别编码的前三位（{category.Code[..3]}）。"];
        }

        if (string.IsNullOrWhiteSpace(request.MajorName))
        {
            errors["majorName"] = ["请填写大类名称。"];
        }

        if (!ApiEnums.TryParse<CaseTier>(request.DefaultTier, out var tier))
        {
            errors["defaultTier"] = [$"默认颜色应为 {ApiEnums.List<CaseTier>()} 之一。"];
        }

        if (!ApiEnums.TryParse<TimeLimitUnit>(request.TimeLimitUnit, out var unit))
        {
            errors["timeLimitUnit"] = ["时限单位应为 working-hours（工作小时）、working-days（工作日）、natural-hours（自然小时，夜间和节假日照常计时）"
                + "或 natural-days（自然日）。"];
        }
        else if (request.TimeLimit is not { } limit || limit < 1 || limit > unit.MaxLimit())
        {
            errors["timeLimit"] = [$"处置时限应为 1 到 {unit.MaxLimit()}{unit.ToChinese()}。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        category.Revise(request.Name!, request.MajorCode!, request.MajorName!, tier, request.TimeLimit!.Value, unit,
            request.ResponsibleDepartmentCode, request.AcceptanceCondition ?? string.Empty, request.ClosingCondition ?? string.Empty,
            request.PhotoRequired ?? true);
        if (request.IsSensitive is { } sensitive)
        {
            category.MarkSensitive(sensitive);
        }

        if (request.StaffOnly is { } staffOnly)
        {
            category.MarkStaffOnly(staffOnly);
        }

        if (request.IsActive == false)
        {
            category.Retire();
        }
        else
        {
            category.Reinstate();
        }

        return null;
    }

    private static CategoryResponse Describe(CaseCategory c) => new(c.Code, c.Name, c.MajorCode, c.MajorName, c.DefaultTier, c.TimeLimit,
        ApiEnums.Name(c.TimeLimitUnit), c.ResponsibleDepartmentCode, c.AcceptanceCondition,
        c.ClosingCondition, c.PhotoRequired, c.IsActive, c.IsSensitive, c.CountsNaturalTime, c.StaffOnly);
}
