using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>A place of the territory as a need, a council or a resource records it.</summary>
/// <param name="Lon">WGS-84 longitude of the building's entrance or the compound's centre; null for a bare grid.</param>
public sealed record AffairPlace(string GridCode, string? CompoundCode, string? CompoundName, string? BuildingCode, double? Lon, double? Lat,
    Guid? PropertyCompanyId);

/// <summary>Who may do what with the three lists, claims and councils, and what they share.</summary>
public static class GridAffairsRules
{
    public const string RuleType = "/problems/grid-affairs-rule";

    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Everyone who works in the grids (no administrator: content is not theirs; no resident).</summary>
    public static readonly string[] Readers =
    [
        .. new[]
        {
            Role.MicroGridWorker, Role.GridWorker, Role.GridLeader, Role.PropertyStaff, Role.CommunityStaff, Role.SubdistrictOperator,
            Role.DepartmentLiaison, Role.DistrictViewer,
        }.Select(r => r.ToClaimValue()),
    ];

    /// <summary>Who records a need: the people who meet residents (grid staff, volunteers, sunk liaisons after a door-knock, community staff).</summary>
    public static readonly string[] NeedRecorders =
    [
        .. new[] { Role.MicroGridWorker, Role.GridWorker, Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator, Role.DepartmentLiaison }
            .Select(r => r.ToClaimValue()),
    ];

    /// <summary>Who keeps the lists: matches, meets and closes needs, registers resources, plants projects and records claims.</summary>
    public static readonly string[] Keepers = [Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue()];

    /// <summary>Who records a courtyard council: community staff, grid staff and the courtyard heads among the volunteers.</summary>
    public static readonly string[] CouncilRecorders =
    [
        .. new[] { Role.MicroGridWorker, Role.GridWorker, Role.GridLeader, Role.CommunityStaff }.Select(r => r.ToClaimValue()),
    ];

    /// <summary>Midnight in Beijing of <paramref name="day"/>, in UTC (PostgreSQL stores instants with offset 0 only).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Beijing).ToUniversalTime();

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Beijing).DateTime);

    /// <summary>422 with the broken rule's name and its Chinese sentence.</summary>
    public static ProblemHttpResult Broken(CommunityRuleException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Problems.Create(StatusCodes.Status422UnprocessableEntity, RuleType, "A rule of the grid affairs lists is broken.", e.ChineseMessage,
            new Dictionary<string, object?> { ["rule"] = e.Rule.Name });
    }

    /// <summary>Reads an optional enum filter; a value that does not read adds a Chinese error under <paramref name="field"/>.</summary>
    public static T? Filter<T>(string? text, string field, string chineseName, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (ApiEnums.TryParse<T>(text, out var value))
        {
            return value;
        }

        errors[field] = [$"{chineseName}须为 {ApiEnums.List<T>()} 之一。"];
        return null;
    }

    /// <summary>Checks a from/to date pair (to not before from).</summary>
    public static void Dates(DateOnly? from, DateOnly? to, Dictionary<string, string[]> errors)
    {
        if (from is not null && to is not null && to < from)
        {
            errors["to"] = ["结束日期不能早于开始日期。"];
        }
    }

    /// <summary>
    /// Resolves where something is from the most precise code given (building, compound, grid), within the caller's scope:
    /// null with a problem when nothing is given, a code is unknown (400) or the place lies outside the scope (403).
    /// </summary>
    public static async Task<(AffairPlace? Place, ProblemHttpResult? Problem)> PlaceAsync(string? buildingCode, string? compoundCode, string? gridCode,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographySnapshot snapshot, CancellationToken ct)
    {
        AffairPlace? place = null;
        if (!string.IsNullOrWhiteSpace(buildingCode))
        {
            var code = buildingCode.Trim();
            var building = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => b.Code == code)
                .Select(b => new { b.GridCode, b.CompoundId, b.Location }).SingleOrDefaultAsync(ct);
            if (building is null)
            {
                return (null, Problems.Validation("buildingCode", "找不到这栋楼，请从列表中选择。"));
            }

            var compound = building.CompoundId is { } id
                ? await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Code, c.Name, c.PropertyCompanyId }).SingleOrDefaultAsync(ct)
                : null;
            place = new AffairPlace(building.GridCode, compound?.Code, compound?.Name, code, building.Location.X, building.Location.Y, compound?.PropertyCompanyId);
        }
        else if (!string.IsNullOrWhiteSpace(compoundCode))
        {
            var code = compoundCode.Trim();
            var compound = await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(c => c.Code == code)
                .Select(c => new { c.GridCode, c.Name, c.Boundary, c.PropertyCompanyId }).SingleOrDefaultAsync(ct);
            if (compound is null)
            {
                return (null, Problems.Validation("compoundCode", "找不到这个楼院，请从列表中选择。"));
            }

            var centre = compound.Boundary.Centroid;
            place = new AffairPlace(compound.GridCode, code, compound.Name, null, centre.X, centre.Y, compound.PropertyCompanyId);
        }
        else if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            if (!snapshot.Grids.ContainsKey(code))
            {
                return (null, Problems.Validation("gridCode", "找不到这个网格，请从网格树中选择。"));
            }

            place = new AffairPlace(code, null, null, null, null, null, null);
        }

        if (place is null)
        {
            return (null, Problems.Validation("gridCode", "请选择所在的网格、楼院或楼栋。"));
        }

        return caller.GetScope().Covers(place.GridCode) ? (place, null) : (null, Problems.Forbidden("该位置不在您的管辖范围内。"));
    }

    public static string GridName(GeographySnapshot snapshot, string code) => snapshot.Grids.TryGetValue(code, out var g) ? g.Name : code;

    /// <summary>Display names of accounts, across scopes (a name is not the account).</summary>
    public static async Task<Dictionary<Guid, string>> UserNamesAsync(CivicGridDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var list = ids.OfType<Guid>().Distinct().ToList();
        return list.Count == 0 ? [] : await db.Users.IgnoreQueryFilters().Where(u => list.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    /// <summary>Compound names by code, across scopes.</summary>
    public static async Task<Dictionary<string, string>> CompoundNamesAsync(CivicGridDbContext db, IEnumerable<string?> codes, CancellationToken ct)
    {
        var list = codes.OfType<string>().Distinct().ToList();
        return list.Count == 0 ? [] : await db.Compounds.IgnoreQueryFilters().Where(c => list.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
    }

    /// <summary>The longest export; a larger selection asks for narrower filters.</summary>
    public const int MaxExportRows = 20_000;

    /// <summary>An Excel file of <paramref name="rows"/> (Chinese headers, Beijing times), named with the sheet and the time.</summary>
    public static async Task<FileContentHttpResult> ExcelAsync(IEnumerable<Dictionary<string, object?>> rows, string sheetName, TimeProvider time, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows.ToList(), sheetName: sheetName, cancellationToken: ct);
        var stamp = time.GetUtcNow().ToOffset(Beijing).ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{sheetName}-{stamp}.xlsx");
    }

    public static string InBeijing(DateTimeOffset? at) =>
        at?.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A finest grid code cut to the level figures are grouped by (a shorter code stays as it is).</summary>
    public static string AtLevel(string code, GridLevel level)
    {
        var length = level switch
        {
            GridLevel.Community => GridCodes.CommunityLength,
            GridLevel.Second => GridCodes.SecondLength,
            GridLevel.Third => GridCodes.ThirdLength,
            _ => GridCodes.MicroLength,
        };
        return code.Length > length ? code[..length] : code;
    }
}
