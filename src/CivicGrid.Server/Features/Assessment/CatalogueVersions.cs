using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// The catalogue version in force for a period, read from <c>assessment_catalogue_versions</c>: the latest version whose
/// first period starts on or before the period's first day. Until a subdistrict changes anything the table is empty and
/// the seed (version 1) is in force. Versions are installation-wide (docs/adr/0021-assessment-runs.md).
/// </summary>
public static class AssessmentCatalogues
{
    /// <summary>The seed, for code that has no database (documentation, tests of pure rules). Everything else uses <see cref="ForAsync"/>.</summary>
    public static IndicatorCatalogue For(AssessmentPeriod period) => IndicatorCatalogue.Seed;

    public static async Task<IndicatorCatalogue> ForAsync(CivicGridDbContext db, AssessmentPeriod period, CancellationToken ct)
    {
        var row = await db.AssessmentCatalogueVersions.AsNoTracking().Where(v => v.EffectiveFromDay <= period.From)
            .OrderByDescending(v => v.EffectiveFromDay).FirstOrDefaultAsync(ct);
        return row is null ? IndicatorCatalogue.Seed : Read(row);
    }

    /// <summary>One version, or null when it does not exist.</summary>
    public static async Task<IndicatorCatalogue?> VersionAsync(CivicGridDbContext db, int version, CancellationToken ct)
    {
        var row = await db.AssessmentCatalogueVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == version, ct);
        return row is not null ? Read(row) : version == IndicatorCatalogue.Seed.Version ? IndicatorCatalogue.Seed : null;
    }

    /// <summary>Every version, oldest first; the seed's row is made up when it has not been written yet.</summary>
    public static async Task<List<AssessmentCatalogueVersion>> AllAsync(CivicGridDbContext db, CancellationToken ct)
    {
        var rows = await db.AssessmentCatalogueVersions.AsNoTracking().OrderBy(v => v.Version).ToListAsync(ct);
        if (rows.All(r => r.Version != IndicatorCatalogue.Seed.Version))
        {
            rows.Insert(0, SeedRow());
        }

        return rows;
    }

    public static IndicatorCatalogue Read(AssessmentCatalogueVersion row) =>
        StoredCatalogue.Read(row.Version, AssessmentPeriod.Parse(row.EffectiveFrom), row.Definition);

    public static AssessmentCatalogueVersion SeedRow() => new()
    {
        Version = IndicatorCatalogue.Seed.Version, EffectiveFrom = IndicatorCatalogue.Seed.EffectiveFrom.ToString(),
        EffectiveFromDay = IndicatorCatalogue.Seed.EffectiveFrom.From, Definition = StoredCatalogue.Write(IndicatorCatalogue.Seed), Changes = [],
        Note = "初始指标体系（五星支部 27 项）", CreatedByName = "系统", CreatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Each difference between two versions in Chinese, indicator by indicator, then the thresholds and council rules.</summary>
    public static List<string> Changes(IndicatorCatalogue before, IndicatorCatalogue after)
    {
        static string N(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        var changes = new List<string>();
        foreach (var now in after.Indicators)
        {
            if (before.Find(now.Code) is not { } was)
            {
                changes.Add($"新增指标 {now.Name}");
                continue;
            }

            if (was.Weight != now.Weight)
            {
                changes.Add($"{now.Name}：权重 {N(was.Weight)} → {N(now.Weight)}");
            }

            if (was.Target != now.Target)
            {
                changes.Add($"{now.Name}：目标值 {N(was.Target)} → {N(now.Target)}");
            }

            if (was.ZeroAt != now.ZeroAt)
            {
                changes.Add($"{now.Name}：零分值 {N(was.ZeroAt)} → {N(now.ZeroAt)}");
            }
        }

        if (before.Stars != after.Stars)
        {
            changes.Add($"星级分数线 {N(before.Stars.TwoStars)}/{N(before.Stars.ThreeStars)}/{N(before.Stars.FourStars)}/{N(before.Stars.FiveStars)}"
                + $" → {N(after.Stars.TwoStars)}/{N(after.Stars.ThreeStars)}/{N(after.Stars.FourStars)}/{N(after.Stars.FiveStars)}；"
                + $"参评最低适用权重 {N(before.Stars.MinimumApplicableWeightShare)} → {N(after.Stars.MinimumApplicableWeightShare)}");
        }

        if (before.Council != after.Council)
        {
            changes.Add($"议事会评议：法定人数 {before.Council.Quorum} → {after.Council.Quorum}，去极值比例 {N(before.Council.TrimShare)} → {N(after.Council.TrimShare)}");
        }

        return changes;
    }
}

/// <summary>One indicator's new target, zero point or weight (absent: unchanged).</summary>
public sealed record IndicatorChange(string? Code, double? Target, double? ZeroAt, double? Weight);

/// <summary>A new catalogue version, based on the latest: only the values given change.</summary>
/// <param name="EffectiveFrom">The first period it applies to (2026-07, 2026-Q3, 2026); after every published period.</param>
/// <param name="StarThresholds">Scores at which 2, 3, 4 and 5 stars begin (four numbers), when they change.</param>
public sealed record NewCatalogueVersionRequest(string? EffectiveFrom, IReadOnlyList<IndicatorChange>? Indicators, IReadOnlyList<double>? StarThresholds,
    double? MinimumApplicableWeightShare, int? CouncilQuorum, double? CouncilTrimShare, string? Note);

/// <summary>A catalogue version in the list: when it applies, who made it and what it changed.</summary>
/// <param name="InForce">True for the version in force this month.</param>
public sealed record CatalogueVersionSummary(int Version, string EffectiveFrom, string Label, bool InForce, string CreatedByName, DateTimeOffset CreatedAt,
    IReadOnlyList<string> Changes, string Note);

public sealed record CatalogueVersionResponse(CatalogueVersionSummary Summary, CatalogueResponse Catalogue);

/// <summary>The stored catalogue versions: list, read, and add one effective from a later period (subdistrict operators).</summary>
public static class CatalogueVersionsApi
{
    public const string RuleType = "/problems/catalogue-version-rule";

    public static RouteGroupBuilder MapCatalogueVersions(this RouteGroupBuilder group)
    {
        group.MapGet("/catalogue/versions", List).WithName("ListAssessmentCatalogueVersions")
            .WithSummary("Every version of the indicator catalogue, oldest first: the period it applies from, who made it and what it changed.");
        group.MapGet("/catalogue/versions/{version:int}", Get).WithName("GetAssessmentCatalogueVersion")
            .WithSummary("One version of the indicator catalogue with every indicator, the star thresholds and the council's rules.");
        group.MapPost("/catalogue/versions", Add).WithName("AddAssessmentCatalogueVersion").WithIdempotency()
            .WithSummary("A new version (subdistrict operators): weights, targets, thresholds or council rules changed, from a period after every published one.");
        return group;
    }

    public static async Task<Ok<List<CatalogueVersionSummary>>> List(CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var rows = await AssessmentCatalogues.AllAsync(db, ct);
        var inForce = InForce(rows, time);
        return TypedResults.Ok(rows.Select(r => Summary(r, inForce)).ToList());
    }

    public static async Task<Results<Ok<CatalogueVersionResponse>, ProblemHttpResult>> Get(int version, CivicGridDbContext db, AssessmentCalculator calculator,
        TimeProvider time, CancellationToken ct)
    {
        var rows = await AssessmentCatalogues.AllAsync(db, ct);
        if (rows.FirstOrDefault(r => r.Version == version) is not { } row)
        {
            return Problems.NotFound($"指标体系没有第 {version} 版。");
        }

        return TypedResults.Ok(new CatalogueVersionResponse(Summary(row, InForce(rows, time)),
            AssessmentApi.Describe(AssessmentCatalogues.Read(row), calculator.ComputedCodes)));
    }

    public static async Task<Results<Created<CatalogueVersionResponse>, ProblemHttpResult>> Add(NewCatalogueVersionRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, AssessmentCalculator calculator, TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Contains(Role.SubdistrictOperator))
        {
            return Problems.Forbidden("只有街道城运中心可以调整考核指标体系。");
        }

        var rows = await AssessmentCatalogues.AllAsync(db, ct);
        var latestRow = rows[^1];
        var latest = AssessmentCatalogues.Read(latestRow);
        var errors = new Dictionary<string, string[]>();
        if (!AssessmentPeriod.TryParse(request.EffectiveFrom, out var from))
        {
            errors["effectiveFrom"] = ["请填写生效考核期，如 2026-07（月）、2026-Q3（季度）或 2026（年度）。"];
        }

        var indicators = latest.Indicators.ToList();
        foreach (var change in request.Indicators ?? [])
        {
            var index = indicators.FindIndex(i => i.Code == change.Code);
            if (index < 0)
            {
                errors["indicators"] = [$"指标体系中没有编码为“{change.Code}”的指标；新版本只能调整现有指标的目标值、零分值和权重。"];
                continue;
            }

            var was = indicators[index];
            indicators[index] = was with { Target = change.Target ?? was.Target, ZeroAt = change.ZeroAt ?? was.ZeroAt, Weight = change.Weight ?? was.Weight };
        }

        var stars = latest.Stars;
        if (request.StarThresholds is { } thresholds)
        {
            if (thresholds.Count != 4)
            {
                errors["starThresholds"] = ["星级分数线须为四个数：二星、三星、四星、五星的起点分。"];
            }
            else
            {
                stars = stars with { TwoStars = thresholds[0], ThreeStars = thresholds[1], FourStars = thresholds[2], FiveStars = thresholds[3] };
            }
        }

        stars = stars with { MinimumApplicableWeightShare = request.MinimumApplicableWeightShare ?? stars.MinimumApplicableWeightShare };
        var council = new CouncilRules(request.CouncilQuorum ?? latest.Council.Quorum, request.CouncilTrimShare ?? latest.Council.TrimShare);
        if (request.Note is { Length: > 1000 })
        {
            errors["note"] = ["说明不超过 1000 字。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var next = new IndicatorCatalogue(latest.Version + 1, from, indicators, stars, council);
        if (next.Problems() is { Count: > 0 } problems)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["catalogue"] = [.. problems] });
        }

        var changes = AssessmentCatalogues.Changes(latest, next);
        if (changes.Count == 0)
        {
            return Problems.Validation("indicators", "新版本与现行版本没有任何不同，请至少调整一项权重、目标值、分数线或评议规则。");
        }

        var published = (await db.AssessmentRuns.IgnoreQueryFilters().AsNoTracking().Where(r => r.Status == RunStatus.Published)
            .Select(r => r.Period).Distinct().ToListAsync(ct)).Select(AssessmentPeriod.Parse);
        if (IndicatorCatalogue.MayTakeEffect(from, latest, published) is { } refusal)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, RuleType, "The version may not take effect from that period.", refusal);
        }

        if (latestRow.CreatedAt == DateTimeOffset.UnixEpoch && !await db.AssessmentCatalogueVersions.AnyAsync(ct))
        {
            db.AssessmentCatalogueVersions.Add(latestRow);
        }

        var row = new AssessmentCatalogueVersion
        {
            Version = next.Version, EffectiveFrom = from.ToString(), EffectiveFromDay = from.From, Definition = StoredCatalogue.Write(next), Changes = changes,
            Note = request.Note?.Trim() ?? string.Empty, CreatedBy = caller.GetUserId(),
            CreatedByName = caller.FindFirst(CivicGridClaims.DisplayName)?.Value ?? "街道城运中心", CreatedAt = time.GetUtcNow(),
        };
        db.AssessmentCatalogueVersions.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("刚刚有人添加了新的指标体系版本，请刷新后重试。");
        }

        rows.Add(row);
        return TypedResults.Created($"/api/assessment/catalogue/versions/{row.Version}",
            new CatalogueVersionResponse(Summary(row, InForce(rows, time)), AssessmentApi.Describe(next, calculator.ComputedCodes)));
    }

    private static int InForce(List<AssessmentCatalogueVersion> rows, TimeProvider time)
    {
        var month = AssessmentPeriod.Containing(PeriodKind.Month, PatrolTracks.BeijingDay(time.GetUtcNow()));
        return rows.Where(r => r.EffectiveFromDay <= month.From).Select(r => r.Version).DefaultIfEmpty(1).Max();
    }

    private static CatalogueVersionSummary Summary(AssessmentCatalogueVersion row, int inForce) =>
        new(row.Version, row.EffectiveFrom, AssessmentPeriod.Parse(row.EffectiveFrom).Label, row.Version == inForce, row.CreatedByName, row.CreatedAt,
            row.Changes, row.Note);
}
