using System.Globalization;
using System.Text.RegularExpressions;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>
/// The filters of the case list, the inboxes and the Excel export, typed as the OpenAPI document describes them
/// (<see cref="Infrastructure.Http.TypedQueryAttribute"/>). They are read by <see cref="BindAsync"/> rather than by the
/// framework, whose binding stops at the first bad value with a bare 400: every value that does not read is kept in
/// <see cref="BindingErrors"/>, and <see cref="CaseFilter.ParseAsync"/> reports them together with its own checks, at once, in Chinese.
/// </summary>
[Infrastructure.Http.TypedQuery]
public sealed class CaseQuery
{
    /// <summary>One or more statuses (reported, accepted, in-handling…): repeat the parameter or separate with commas.</summary>
    [FromQuery(Name = "status")]
    public IReadOnlyList<CaseStatus>? Status { get; init; }

    /// <summary>green, yellow, blue or red; several separated by commas.</summary>
    [FromQuery(Name = "tier")]
    public IReadOnlyList<CaseTier>? Tier { get; init; }

    /// <summary>A subcategory code (E0101) or a major category code (E01) for all its subcategories.</summary>
    [FromQuery(Name = "category")]
    public string? Category { get; init; }

    /// <summary>Only cases inside this grid's subtree (a code prefix).</summary>
    [FromQuery(Name = "gridCode")]
    public string? GridCode { get; init; }

    /// <summary>resident-app, grid-patrol, property-staff, staff-entry, sensor, hotline12345, open311; several separated by commas.</summary>
    [FromQuery(Name = "channel")]
    public IReadOnlyList<CaseChannel>? Channel { get; init; }

    /// <summary>Reported at or after: a Beijing date (2026-11-01, from its start) or an ISO instant with an offset.</summary>
    [FromQuery(Name = "reportedFrom")]
    public string? ReportedFrom { get; init; }

    /// <summary>Reported at or before: a Beijing date (2026-11-30, to its end) or an ISO instant with an offset.</summary>
    [FromQuery(Name = "reportedTo")]
    public string? ReportedTo { get; init; }

    /// <summary>Text found in the number, the title or the description.</summary>
    [FromQuery(Name = "text")]
    public string? Text { get; init; }

    /// <summary>true: only overdue cases (assigned or in handling past the due time); false: none of them.</summary>
    [FromQuery(Name = "overdue")]
    public bool? Overdue { get; init; }

    /// <summary>true: only open cases under supervision (督办); false: open or not, none under supervision.</summary>
    [FromQuery(Name = "supervised")]
    public bool? Supervised { get; init; }

    /// <summary>true: only cases assigned to the caller (or, for a liaison, to their department).</summary>
    [FromQuery(Name = "assignedToMe")]
    public bool? AssignedToMe { get; init; }

    /// <summary>true: only open cases (neither rejected, closed nor merged); false: only those.</summary>
    [FromQuery(Name = "open")]
    public bool? Open { get; init; }

    /// <summary>newest (default: latest report first) or due (soonest due first, cases without a due time last).</summary>
    [FromQuery(Name = "sort")]
    public CaseSort? Sort { get; init; }

    /// <summary>Page number from 1 (list and inboxes).</summary>
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    /// <summary>Items per page, 1–200 (list and inboxes).</summary>
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    /// <summary>The values that did not read, per parameter (Chinese); not a parameter itself.</summary>
    internal IReadOnlyDictionary<string, string[]> BindingErrors { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Reads every parameter; never fails, so that the errors of all of them can be answered together.</summary>
    public static ValueTask<CaseQuery?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;

        return ValueTask.FromResult<CaseQuery?>(new CaseQuery
        {
            Status = Infrastructure.Http.QueryValues.Enums<CaseStatus>(query["status"], "status", errors,
                bad => $"未知的案件状态“{bad}”，可用：{Infrastructure.Http.ApiEnums.List<CaseStatus>()}。"),
            Tier = Infrastructure.Http.QueryValues.Enums<CaseTier>(query["tier"], "tier", errors,
                bad => $"未知的案件颜色“{bad}”，可用：{Infrastructure.Http.ApiEnums.List<CaseTier>()}。"),
            Category = Text("category"),
            GridCode = Text("gridCode"),
            Channel = Infrastructure.Http.QueryValues.Enums<CaseChannel>(query["channel"], "channel", errors,
                bad => $"未知的上报渠道“{bad}”，可用：{Infrastructure.Http.ApiEnums.List<CaseChannel>()}。"),
            ReportedFrom = Text("reportedFrom"),
            ReportedTo = Text("reportedTo"),
            Text = Text("text"),
            Overdue = Infrastructure.Http.QueryValues.Bool(Text("overdue"), "overdue", "是否超期", errors),
            Supervised = Infrastructure.Http.QueryValues.Bool(Text("supervised"), "supervised", "是否督办", errors),
            AssignedToMe = Infrastructure.Http.QueryValues.Bool(Text("assignedToMe"), "assignedToMe", "是否只看交办给我的", errors),
            Open = Infrastructure.Http.QueryValues.Bool(Text("open"), "open", "是否只看未办结的", errors),
            Sort = Infrastructure.Http.QueryValues.Enum<CaseSort>(Text("sort"), "sort", errors,
                bad => $"未知的排序方式“{bad}”，可用：newest（最新上报在前）、due（临近期限在前）。"),
            Page = Infrastructure.Http.QueryValues.Int(Text("page"), "page", 1, int.MaxValue / CaseFilter.MaxPageSize, "页码从 1 开始。", errors),
            PageSize = Infrastructure.Http.QueryValues.Int(Text("pageSize"), "pageSize", 1, CaseFilter.MaxPageSize, $"每页条数应在 1 到 {CaseFilter.MaxPageSize} 之间。", errors),
            BindingErrors = errors,
        });
    }
}

/// <summary>How a case list is ordered.</summary>
public enum CaseSort
{
    Newest = 1,

    /// <summary>Soonest due first; <c>due</c> in the API.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("due")]
    DueSoonest = 2,
}

/// <summary>
/// A parsed, valid <see cref="CaseQuery"/>: the one place the list, the inboxes and the export turn query parameters
/// into a query. Scope is not part of it; the context's filter applies to whatever this narrows.
/// </summary>
public sealed partial record CaseFilter
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxTextLength = 100;

    /// <summary>Beijing time: dates in filters are calendar days in China (UTC+8, no daylight saving).</summary>
    public static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public IReadOnlyList<CaseStatus> Statuses { get; init; } = [];

    public IReadOnlyList<CaseTier> Tiers { get; init; } = [];

    /// <summary>The subcategory codes the category parameter stands for; null when not filtered.</summary>
    public IReadOnlyList<string>? CategoryCodes { get; init; }

    public string? GridCode { get; init; }

    public IReadOnlyList<CaseChannel> Channels { get; init; } = [];

    public DateTimeOffset? ReportedFrom { get; init; }

    /// <summary>Exclusive upper bound.</summary>
    public DateTimeOffset? ReportedBefore { get; init; }

    public string? Text { get; init; }

    /// <summary>
    /// The blind index of <see cref="Text"/> read as a phone number, when it looks like one: the caller's phone is sealed at
    /// rest, so a case is found by its reporter's exact number through the index, never by a part of it.
    /// </summary>
    public string? TextPhoneIndex { get; init; }

    public bool? Overdue { get; init; }

    public bool? Supervised { get; init; }

    public bool AssignedToMe { get; init; }

    public bool? Open { get; init; }

    public CaseSort? Sort { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>No filter at all (sort and paging aside): the selection is every case of the caller's scope.</summary>
    public bool SelectsEverything => Statuses.Count == 0 && Tiers.Count == 0 && CategoryCodes is null && GridCode is null && Channels.Count == 0
        && ReportedFrom is null && ReportedBefore is null && Text is null && Overdue is null && Supervised is null && !AssignedToMe && Open is null;

    /// <summary>Parses every parameter; returns the filter, or the errors per field (Chinese) when any is wrong.</summary>
    /// <summary>
    /// What every filtered read starts with (list, inboxes, export): the parsed filter and the caller, or the problem to
    /// answer instead — every bad parameter at once, or 401 for a caller whose account is gone.
    /// </summary>
    public static async Task<(CaseFilter? Filter, CaseCaller? Caller, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)> PrepareAsync(
        CaseQuery query, System.Security.Claims.ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        var (filter, errors) = await ParseAsync(query, db, ct);
        if (filter is null)
        {
            return (null, null, Infrastructure.Http.Problems.Validation(errors));
        }

        var caller = await CaseCaller.LoadAsync(principal, db, ct);
        return caller is null
            ? (null, null, Infrastructure.Http.Problems.Create(StatusCodes.Status401Unauthorized, Infrastructure.Http.Problems.UnauthorizedType,
                "Authentication is required.", "请先登录，或登录已过期，请重新登录。"))
            : (filter, caller, null);
    }

    public static async Task<(CaseFilter? Filter, Dictionary<string, string[]> Errors)> ParseAsync(CaseQuery query, CivicGridDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(query.BindingErrors);

        List<string>? categories = null;
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            var code = query.Category.Trim();
            categories = code.Length > 16
                ? []
                : await db.CaseCategories.AsNoTracking().Where(c => c.Code == code || c.MajorCode == code).Select(c => c.Code).ToListAsync(ct);
            if (categories.Count == 0)
            {
                errors["category"] = [$"未知的事件类别“{code}”：请填写小类编码（如 E0101）或大类编码（如 E01）。"];
            }
        }

        string? grid = null;
        if (!string.IsNullOrWhiteSpace(query.GridCode))
        {
            grid = query.GridCode.Trim();
            if (grid.Length > GridCodes.MicroLength || !grid.All(char.IsAsciiDigit))
            {
                errors["gridCode"] = [$"网格编码“{grid}”格式不正确，应为不超过 {GridCodes.MicroLength} 位的数字。"];
            }
        }

        var from = ParseTime(query.ReportedFrom, "reportedFrom", "上报起始时间", endOfDay: false, errors);
        var before = ParseTime(query.ReportedTo, "reportedTo", "上报截止时间", endOfDay: true, errors);
        if (from is { } f && before is { } b && b <= f)
        {
            errors["reportedTo"] = ["上报截止时间应晚于起始时间。"];
        }

        string? text = null;
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            text = query.Text.Trim();
            if (text.Length > MaxTextLength)
            {
                errors["text"] = [$"搜索内容不能超过 {MaxTextLength} 个字。"];
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CaseFilter
        {
            Statuses = [.. (query.Status ?? []).Distinct()],
            Tiers = [.. (query.Tier ?? []).Distinct()],
            CategoryCodes = categories,
            GridCode = grid,
            Channels = [.. (query.Channel ?? []).Distinct()],
            ReportedFrom = from,
            ReportedBefore = before,
            Text = text,
            TextPhoneIndex = text is not null && Intake.IntakeApi.TryNormalizePhone(text, out var phone) ? db.BlindIndex(FieldVault.PhoneField, phone) : null,
            Overdue = query.Overdue,
            Supervised = query.Supervised,
            AssignedToMe = query.AssignedToMe == true,
            Open = query.Open,
            Sort = query.Sort,
            Page = query.Page ?? 1,
            PageSize = query.PageSize ?? DefaultPageSize,
        }, errors);
    }

    /// <summary>Narrows <paramref name="cases"/> (already scope-filtered by the context) by every filter given.</summary>
    public IQueryable<Case> Apply(IQueryable<Case> cases, CaseCaller caller, DateTimeOffset now)
    {
        var query = cases;
        if (Statuses.Count > 0)
        {
            var statuses = Statuses.ToList();
            query = query.Where(c => statuses.Contains(c.Status));
        }

        if (Tiers.Count > 0)
        {
            var tiers = Tiers.ToList();
            query = query.Where(c => tiers.Contains(c.Tier));
        }

        if (Channels.Count > 0)
        {
            var channels = Channels.ToList();
            query = query.Where(c => channels.Contains(c.Channel));
        }

        if (CategoryCodes is { } codes)
        {
            var list = codes.ToList();
            query = query.Where(c => list.Contains(c.CategoryCode));
        }

        if (GridCode is { } grid)
        {
            query = query.Where(c => c.GridCode.StartsWith(grid));
        }

        if (ReportedFrom is { } from)
        {
            query = query.Where(c => c.ReportedAt >= from);
        }

        if (ReportedBefore is { } before)
        {
            query = query.Where(c => c.ReportedAt < before);
        }

        if (Text is { } text)
        {
            var phone = TextPhoneIndex;
            query = phone is null
                ? query.Where(c => c.Number.Contains(text) || c.Title.Contains(text) || c.Description.Contains(text))
                : query.Where(c => c.Number.Contains(text) || c.Title.Contains(text) || c.Description.Contains(text)
                    || EF.Property<string?>(c, CaseConfiguration.ReporterPhoneIndexProperty) == phone);
        }

        if (Overdue is { } overdue)
        {
            query = overdue ? query.Where(IsOverdue(now)) : query.Where(Not(IsOverdue(now)));
        }

        if (Supervised is { } supervised)
        {
            query = supervised ? query.Where(IsSupervised()) : query.Where(c => c.SupervisionDueAt == null);
        }

        if (AssignedToMe)
        {
            query = query.Where(caller.AssignedToMe());
        }

        if (Open is { } open)
        {
            query = open ? query.Where(IsOpen()) : query.Where(Not(IsOpen()));
        }

        return query;
    }

    /// <summary>
    /// Orders by <see cref="Sort"/>, or <paramref name="fallback"/> when none was asked for; the number breaks ties.
    /// Soonest due first follows <see cref="CaseDeadline"/> as far as SQL can: a case in work by its due time (or its
    /// supervision's), a reported case by when it was reported — its acceptance deadline is its report time plus the
    /// acceptance time on the work calendar, which keeps their order among themselves but not against due times. The list
    /// and the inboxes order selections of up to 20 000 cases exactly in memory instead (CasesApi.ByDeadlineAsync); this
    /// order serves larger ones. Cases whose stage has no deadline (and parked ones, reviewed on a date) come last, newest first.
    /// </summary>
    public IQueryable<Case> Order(IQueryable<Case> cases, CaseSort fallback = CaseSort.Newest) => (Sort ?? fallback) switch
    {
        CaseSort.DueSoonest => cases.OrderBy(DeadlineKey).ThenByDescending(c => c.ReportedAt).ThenBy(c => c.Number),
        _ => cases.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Number),
    };

    /// <summary>The deadline sort's key in SQL: cases without a deadline get the largest instant, so they sort last on both databases.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Case, DateTimeOffset>> DeadlineKey = c =>
        c.Status == CaseStatus.Reported ? c.ReportedAt
        : (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.DueAt != null ? c.DueAt.Value
        : (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.SupervisionDueAt != null ? c.SupervisionDueAt.Value
        : NoDeadline;

    /// <summary>Later than any deadline (year 9000), within both databases' range.</summary>
    private static readonly DateTimeOffset NoDeadline = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Assigned or in handling past the assignment's due time (<see cref="Case.IsOverdue"/> in SQL).</summary>
    public static System.Linq.Expressions.Expression<Func<Case, bool>> IsOverdue(DateTimeOffset now) =>
        c => (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.DueAt != null && c.DueAt < now;

    /// <summary>Open (not rejected, closed or merged) with a supervision deadline set.</summary>
    public static System.Linq.Expressions.Expression<Func<Case, bool>> IsSupervised() => SupervisedOpenCase;

    /// <summary>
    /// Not rejected, closed or merged: written as "status IN (every open status)", not "status NOT IN (the final ones)",
    /// so both databases seek the few open cases in the (status, due, …) index instead of reading every case of a scope.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<Case, bool>> IsOpen() => OpenCase;

    private static readonly System.Linq.Expressions.Expression<Func<Case, bool>> OpenCase = OpenStatusPredicate(supervised: false);

    private static readonly System.Linq.Expressions.Expression<Func<Case, bool>> SupervisedOpenCase = OpenStatusPredicate(supervised: true);

    /// <summary>c.Status == s1 || c.Status == s2 … over the statuses that are not final (SQL: IN with constants), and a supervision when asked.</summary>
    private static System.Linq.Expressions.Expression<Func<Case, bool>> OpenStatusPredicate(bool supervised)
    {
        var c = System.Linq.Expressions.Expression.Parameter(typeof(Case), "c");
        var status = System.Linq.Expressions.Expression.Property(c, nameof(Case.Status));
        var body = Enum.GetValues<CaseStatus>().Where(s => !s.IsFinal())
            .Select(s => (System.Linq.Expressions.Expression)System.Linq.Expressions.Expression.Equal(status, System.Linq.Expressions.Expression.Constant(s)))
            .Aggregate(System.Linq.Expressions.Expression.OrElse);
        if (supervised)
        {
            body = System.Linq.Expressions.Expression.AndAlso(body, System.Linq.Expressions.Expression.NotEqual(
                System.Linq.Expressions.Expression.Property(c, nameof(Case.SupervisionDueAt)), System.Linq.Expressions.Expression.Constant(null, typeof(DateTimeOffset?))));
        }

        return System.Linq.Expressions.Expression.Lambda<Func<Case, bool>>(body, c);
    }

    private static System.Linq.Expressions.Expression<Func<Case, bool>> Not(System.Linq.Expressions.Expression<Func<Case, bool>> predicate) =>
        System.Linq.Expressions.Expression.Lambda<Func<Case, bool>>(System.Linq.Expressions.Expression.Not(predicate.Body), predicate.Parameters);

    private static DateTimeOffset? ParseTime(string? text, string field, string nameZh, bool endOfDay, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var day = endOfDay ? date.AddDays(1) : date;
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), BeijingOffset).ToUniversalTime();
        }

        if (OffsetAtEnd().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            // An instant bound is inclusive: "to 10:00" keeps a case reported at 10:00 (times are stored to the millisecond
            // on SQLite). PostgreSQL takes only UTC for timestamptz parameters.
            return (endOfDay ? instant.AddMilliseconds(1) : instant).ToUniversalTime();
        }

        errors[field] = [$"{nameZh}（{field}）格式不正确，收到“{value}”：请填写北京时间日期（如 2026-11-27）或带时区的时间（如 2026-11-27T08:00:00+08:00）。"];
        return null;
    }

    [GeneratedRegex(@"T.*(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OffsetAtEnd();
}
