using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Grids;

public sealed record GridSummary(string Code, string Name, [property: ApiValues(typeof(GridLevelNames), nameof(GridLevelNames.All))] string Level, string LevelName, string Kind, string? ParentCode, int? Households);

/// <param name="Bbox">[minLon, minLat, maxLon, maxLat], WGS-84 degrees.</param>
public sealed record GridDetail(string Code, string Name, [property: ApiValues(typeof(GridLevelNames), nameof(GridLevelNames.All))] string Level, string LevelName, string Kind, string? ParentCode, int? Households,
    double[] Bbox, IReadOnlyList<GridSummary> Children, int CompoundCount, int BuildingCount);

public sealed record CompoundSummary(string Code, string Name, string Address, string GridCode, int BuildingCount, bool HasPropertyCompany);

/// <param name="Lon">Main entrance, WGS-84 longitude.</param>
public sealed record BuildingSummary(string Code, string Name, string Address, string GridCode, double Lon, double Lat, int Floors, int Households);

/// <summary>A compound or building found by its name or address: where a caller's problem is.</summary>
/// <param name="Kind">compound or building.</param>
/// <param name="Lon">WGS-84 longitude: the building's point, or the centre of the compound's boundary.</param>
/// <param name="CompoundCode">The compound a building belongs to; for a compound, its own code.</param>
public sealed record PlaceMatch(string Kind, string Code, string Name, string Address, string GridCode, string? CompoundCode, double Lon, double Lat);

/// <param name="Claims">The claims in force today of this compound (an ownerless compound claimed by a red property company or a
/// public unit): who, since, until, what they committed to and the fulfilments; empty for administrators (business content).</param>
public sealed record CompoundDetail(string Code, string Name, string Address, string GridCode, string? PropertyCompany, IReadOnlyList<BuildingSummary> Buildings,
    IReadOnlyList<ClaimResponse> Claims);

/// <summary>The territorial tree, compounds and buildings, as far as the caller's scope reaches.</summary>
public static class GridsApi
{
    public static RouteGroupBuilder MapGridsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Grids").RequireAuthorization(Policies.Staff);
        group.MapGet("/grids", ListGrids).WithName("ListGrids")
            .WithSummary("Grids in the caller's scope, optionally the children of one parent or one level.");
        group.MapGet("/grids/{code}", GetGrid).WithName("GetGrid").WithSummary("One grid with its children and counts.");
        group.MapGet("/grids/{code}/compounds", ListCompounds).WithName("ListGridCompounds").WithSummary("Compounds inside a grid's subtree.");
        group.MapGet("/places", SearchPlaces).WithName("SearchPlaces")
            .WithSummary("Compounds and buildings in the caller's scope whose name or address holds the text (at most 20, compounds first).");
        group.MapGet("/compounds/{code}", GetCompound).WithName("GetCompound").WithSummary("One compound with its buildings.");
        return group;
    }

    public static async Task<Results<Ok<List<GridSummary>>, ProblemHttpResult>> ListGrids(string? parentCode, [ApiValues(typeof(GridLevelNames), nameof(GridLevelNames.All))] string? level, CivicGridDbContext db, CancellationToken ct)
    {
        var query = db.Grids.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(parentCode))
        {
            query = query.Where(g => g.ParentCode == parentCode);
        }

        if (!string.IsNullOrWhiteSpace(level))
        {
            if (!GridLevelNames.TryParse(level, out var parsed))
            {
                return Problems.Validation("level", $"未知的网格层级“{level}”，可用：{string.Join("、", GridLevelNames.All)}。");
            }

            query = query.Where(g => g.Level == parsed);
        }

        var grids = await query.OrderBy(g => g.Code).ToListAsync(ct);
        return TypedResults.Ok(grids.Select(Summarise).ToList());
    }

    public static async Task<Results<Ok<GridDetail>, ProblemHttpResult>> GetGrid(string code, CivicGridDbContext db, CancellationToken ct)
    {
        var grid = await db.Grids.AsNoTracking().SingleOrDefaultAsync(g => g.Code == code, ct);
        if (grid is null)
        {
            return GridNotFound(code);
        }

        var children = await db.Grids.AsNoTracking().Where(g => g.ParentCode == code).OrderBy(g => g.Code).ToListAsync(ct);
        var compounds = await db.Compounds.CountAsync(c => c.GridCode.StartsWith(code), ct);
        var buildings = await db.Buildings.CountAsync(b => b.GridCode.StartsWith(code), ct);
        return TypedResults.Ok(new GridDetail(grid.Code, grid.Name, grid.Level.ToApiName(), grid.Level.ToChinese(), grid.Kind.ToApiName(),
            grid.ParentCode, grid.Households, [grid.MinLon, grid.MinLat, grid.MaxLon, grid.MaxLat],
            [.. children.Select(Summarise)], compounds, buildings));
    }

    public static async Task<Results<Ok<List<CompoundSummary>>, ProblemHttpResult>> ListCompounds(string code, CivicGridDbContext db, CancellationToken ct)
    {
        if (!await db.Grids.AnyAsync(g => g.Code == code, ct))
        {
            return GridNotFound(code);
        }

        var compounds = await db.Compounds.AsNoTracking().Where(c => c.GridCode.StartsWith(code)).OrderBy(c => c.Code)
            .Select(c => new CompoundSummary(c.Code, c.Name, c.Address, c.GridCode,
                db.Buildings.Count(b => b.CompoundId == c.Id), c.PropertyCompanyId != null))
            .ToListAsync(ct);
        return TypedResults.Ok(compounds);
    }

    public static async Task<Results<Ok<CompoundDetail>, ProblemHttpResult>> GetCompound(string code, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var compound = await db.Compounds.AsNoTracking().SingleOrDefaultAsync(c => c.Code == code, ct);
        if (compound is null)
        {
            return Problems.NotFound($"找不到编号为 {code} 的院落，或它不在您的管辖范围内。");
        }

        var company = compound.PropertyCompanyId is { } companyId
            ? await db.Organisations.IgnoreQueryFilters().Where(o => o.Id == companyId).Select(o => o.Name).SingleOrDefaultAsync(ct)
            : null;
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.CompoundId == compound.Id).OrderBy(b => b.Code).ToListAsync(ct);
        var claims = caller.GetRoles().Any(Roles.Administrators.Contains) ? null
            : (await ClaimsApi.CurrentAsync(db, ClaimTarget.Compound, [compound.Code], GridAffairsRules.Today(time), await geography.GetAsync(ct), ct))
                .GetValueOrDefault(compound.Code);
        return TypedResults.Ok(new CompoundDetail(compound.Code, compound.Name, compound.Address, compound.GridCode, company,
            [.. buildings.Select(b => new BuildingSummary(b.Code, b.Name, b.Address, b.GridCode, b.Location.X, b.Location.Y, b.Floors, b.Households))],
            claims ?? []));
    }

    public const int MaxPlaces = 20;

    /// <param name="text">Part of a name or an address, 1–50 characters (e.g. 和平小区, 3号楼, 东大街12号).</param>
    public static async Task<Results<Ok<List<PlaceMatch>>, ProblemHttpResult>> SearchPlaces(string? text, CivicGridDbContext db, CancellationToken ct)
    {
        var wanted = text?.Trim();
        if (string.IsNullOrEmpty(wanted) || wanted.Length > 50)
        {
            return Problems.Validation("text", "请输入要查找的院落、楼栋名称或地址（1–50 个字）。");
        }

        var compounds = await db.Compounds.AsNoTracking().Where(c => c.Name.Contains(wanted) || c.Address.Contains(wanted))
            .OrderBy(c => c.Code).Take(MaxPlaces).ToListAsync(ct);
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.Name.Contains(wanted) || b.Address.Contains(wanted))
            .OrderBy(b => b.Code).Take(MaxPlaces).ToListAsync(ct);
        var compoundIds = buildings.Where(b => b.CompoundId != null).Select(b => b.CompoundId!.Value).Distinct().ToList();
        var compoundCodes = await db.Compounds.AsNoTracking().Where(c => compoundIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        var found = compounds.Select(c => new PlaceMatch("compound", c.Code, c.Name, c.Address, c.GridCode, c.Code,
                Math.Round(c.Boundary.InteriorPoint.X, 7), Math.Round(c.Boundary.InteriorPoint.Y, 7)))
            .Concat(buildings.Select(b => new PlaceMatch("building", b.Code, b.Name, b.Address, b.GridCode,
                b.CompoundId is { } id ? compoundCodes.GetValueOrDefault(id) : null, Math.Round(b.Location.X, 7), Math.Round(b.Location.Y, 7))))
            .Take(MaxPlaces).ToList();
        return TypedResults.Ok(found);
    }

    private static GridSummary Summarise(Grid g) =>
        new(g.Code, g.Name, g.Level.ToApiName(), g.Level.ToChinese(), g.Kind.ToApiName(), g.ParentCode, g.Households);

    private static ProblemHttpResult GridNotFound(string code) => Problems.NotFound($"找不到编号为 {code} 的网格，或它不在您的管辖范围内。");
}
