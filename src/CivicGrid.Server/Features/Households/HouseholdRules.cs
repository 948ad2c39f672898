using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Households;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Households;

/// <summary>The caller as the register sees them: what they may see, and for a property company which compounds.</summary>
/// <param name="PropertyCompanyId">Set when the caller sees only the compounds of their property company.</param>
public sealed record RegisterCaller(Guid UserId, string DisplayName, IReadOnlyList<Role> Roles, HouseholdView View, Guid? PropertyCompanyId)
{
    public bool IsKeeper => Roles.Any(HouseholdAccess.Keepers.Contains);

    /// <summary>Property staff holding no other role that sees the register see their company's compounds only.</summary>
    public static async Task<RegisterCaller> OfAsync(ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        var roles = principal.GetRoles();
        var view = HouseholdAccess.ViewFor(roles);
        var userId = principal.GetUserId() ?? Guid.Empty;
        Guid? company = null;
        if (roles.Contains(Role.PropertyStaff) && !roles.Any(r => r is Role.CommunityStaff or Role.SubdistrictOperator or Role.GridWorker or Role.GridLeader))
        {
            company = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleOrDefaultAsync(ct) ?? Guid.Empty;
        }

        return new RegisterCaller(userId, principal.FindFirstValue(CivicGridClaims.DisplayName) ?? principal.Identity?.Name ?? "?", roles, view, company);
    }

    /// <summary>The households this caller may see: the scope filter, narrowed to the company's compounds for property staff.</summary>
    public IQueryable<Household> Households(CivicGridDbContext db)
    {
        var query = db.Households.AsQueryable();
        if (PropertyCompanyId is { } company)
        {
            var compounds = db.Compounds.Where(c => c.PropertyCompanyId == company).Select(c => c.Code);
            query = query.Where(h => h.CompoundCode != null && compounds.Contains(h.CompoundCode));
        }

        return query;
    }

    /// <summary>The buildings this caller may pick from: in scope, and for property staff in their compounds.</summary>
    public IQueryable<Building> Buildings(CivicGridDbContext db)
    {
        var query = db.Buildings.AsQueryable();
        if (PropertyCompanyId is { } company)
        {
            var compounds = db.Compounds.Where(c => c.PropertyCompanyId == company).Select(c => c.Id);
            query = query.Where(b => b.CompoundId != null && compounds.Contains(b.CompoundId.Value));
        }

        return query;
    }
}

/// <summary>A resident as typed or imported, checked: clear fields (in memory only) and the care flags.</summary>
public sealed record ResidentDraft(ResidentIdentity Identity, IReadOnlyList<ResidentCare> Care);

/// <summary>The checks a household and its residents pass, shared by the API and the Excel import; every message in Chinese.</summary>
public static class HouseholdChecks
{
    public const int MaxNameLength = 50;

    /// <summary>Reads an occupancy by its API name or its Chinese name (自住, 出租, 空置).</summary>
    public static bool TryParseOccupancy(string? text, out Occupancy occupancy)
    {
        if (ApiEnums.TryParse(text, out occupancy))
        {
            return true;
        }

        var match = Enum.GetValues<Occupancy>().Where(o => o.ToChinese() == text?.Trim()).ToList();
        occupancy = match.FirstOrDefault();
        return match.Count == 1;
    }

    /// <summary>Reads a care kind by its API name or Chinese name.</summary>
    public static bool TryParseCare(string? text, out CareKind kind)
    {
        if (ApiEnums.TryParse(text, out kind))
        {
            return true;
        }

        var match = Enum.GetValues<CareKind>().Where(k => k.ToChinese() == text?.Trim()).ToList();
        kind = match.FirstOrDefault();
        return match.Count == 1;
    }

    /// <summary>
    /// Checks one resident: a name, an ID number with a valid GB 11643 check digit and birth date (optional: children and
    /// foreigners may have none on file), a phone, and each care flag with its basis. Errors are keyed by field.
    /// </summary>
    public static ResidentDraft? CheckResident(string? name, string? idNumber, string? phone, IEnumerable<(string? Kind, string? Basis)> care, DateOnly today,
        Dictionary<string, string> errors, string prefix = "")
    {
        var cleanName = name?.Trim() ?? string.Empty;
        if (cleanName.Length is 0 or > MaxNameLength)
        {
            errors[prefix + "name"] = $"请填写居民姓名（{MaxNameLength} 字以内）。";
        }

        string? id = null;
        if (!string.IsNullOrWhiteSpace(idNumber))
        {
            id = IdNumber.Normalize(idNumber);
            if (IdNumber.Check(id, today) is { } problem)
            {
                errors[prefix + "idNumber"] = problem.ToChinese();
            }
        }

        string? cleanPhone = null;
        if (!string.IsNullOrWhiteSpace(phone) && !IntakeApi.TryNormalizePhone(phone, out cleanPhone))
        {
            errors[prefix + "phone"] = IntakeApi.PhoneMessage;
        }

        var flags = new List<ResidentCare>();
        foreach (var (kindText, basis) in care)
        {
            if (!TryParseCare(kindText, out var kind))
            {
                errors[prefix + "care"] = $"关爱类别“{kindText}”不存在，可选：{string.Join("、", Enum.GetValues<CareKind>().Select(k => k.ToChinese()))}。";
            }
            else if (string.IsNullOrWhiteSpace(basis) || basis.Trim().Length > ResidentCare.MaxBasisLength)
            {
                errors[prefix + "care"] = $"“{kind.ToChinese()}”须写明认定依据（如证件号、民政名单、走访核实，{ResidentCare.MaxBasisLength} 字以内）。";
            }
            else if (flags.All(f => f.Kind != kind))
            {
                flags.Add(new ResidentCare(kind, basis.Trim()));
            }
        }

        return errors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)) ? null : new ResidentDraft(new ResidentIdentity(cleanName, id, cleanPhone), flags);
    }

    /// <summary>The building's room register check: null when the unit and room exist, else the Chinese reason.</summary>
    public static string? CheckRoom(Building building, int unit, string room) => BuildingRooms.Of(building.Floors, building.Households).Check(unit, room);

    /// <summary>Seals a checked resident into a row of <paramref name="household"/>.</summary>
    public static Resident Seal(FieldVault vault, Household household, ResidentDraft draft, DateTimeOffset at)
    {
        var s = vault.SealAll(draft.Identity);
        return new Resident(household.Id, household.GridCode, s.Name, s.NameIndex, s.IdNumber, s.IdNumberIndex, s.Phone, s.PhoneIndex, draft.Care, at);
    }

    /// <summary>Beijing's date today.</summary>
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>Whole years from <paramref name="born"/> to <paramref name="today"/>.</summary>
    public static int Age(DateOnly born, DateOnly today) => today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0);

    /// <summary>Dwellings in the caller's sight, first a building's households.</summary>
    public static IQueryable<Household> InBuilding(this IQueryable<Household> households, string buildingCode) =>
        households.Where(h => h.BuildingCode == buildingCode);

    /// <summary>True when <paramref name="code"/> is a building code of the caller's scope (well-formed).</summary>
    public static bool IsBuildingCode(string? code) => code is { Length: GridCodes.CommunityLength + 5 } && code.All(char.IsAsciiDigit);
}
