using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Households;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Households;

public sealed record CareResponse(CareKind Kind, string Basis);

/// <summary>A resident as the caller may see them: always masked; no ID number at all for property, grid workers and leaders.</summary>
/// <param name="Name">Masked (张*).</param>
/// <param name="IdNumber">Masked (610***********123X); null when the caller's view has no ID numbers, or none is on file.</param>
/// <param name="Phone">Masked (138****1234).</param>
/// <param name="Age">From the ID number's birth date; only in the community's masked view.</param>
public sealed record ResidentResponse(Guid Id, string Name, string? IdNumber, string? Phone, int? Age, IReadOnlyList<CareResponse> Care);

/// <summary>A dwelling of the register.</summary>
/// <param name="Residents">Null in the rooms-only view (volunteers, department liaisons): rooms, not names.</param>
/// <param name="ResidentCount">Null in the rooms-only view.</param>
/// <param name="CareKinds">The household's special-care flags; empty in the rooms-only view.</param>
public sealed record HouseholdResponse(Guid Id, string BuildingCode, string BuildingName, string Address, string? CompoundCode, string? CompoundName,
    string GridCode, int Unit, string Room, Occupancy Occupancy, string? Notes, int? ResidentCount, IReadOnlyList<CareKind> CareKinds,
    IReadOnlyList<ResidentResponse>? Residents, DateTimeOffset UpdatedAt);

/// <param name="View">What the caller sees: rooms-only, without-id-numbers or masked.</param>
/// <param name="MayReveal">True for community staff and the operations centre (reveal one resident with a reason).</param>
public sealed record HouseholdPage(int Total, int Page, int PageSize, HouseholdView View, bool MayReveal, bool MayEdit, IReadOnlyList<HouseholdResponse> Items);

/// <param name="Kind">living-alone-elderly, disabled, low-income, destitute, left-behind-child or seriously-ill.</param>
/// <param name="Basis">Why the flag is held: a certificate number, a civil-affairs list, a visit (up to 200 characters).</param>
public sealed record CareRequest([property: ApiEnum(typeof(CareKind))] string? Kind, string? Basis);

/// <param name="IdNumber">18 characters, GB 11643 check digit; optional.</param>
/// <param name="Phone">A mobile (11 digits) or a landline with area code; optional.</param>
public sealed record ResidentRequest(string? Name, string? IdNumber, string? Phone, IReadOnlyList<CareRequest>? Care);

/// <param name="Room">Floor then two-digit door, e.g. 302; must exist in the building's register.</param>
/// <param name="Occupancy">owner-occupied, rented or vacant.</param>
public sealed record CreateHouseholdRequest(string? BuildingCode, int? Unit, string? Room, [property: ApiEnum(typeof(Occupancy))] string? Occupancy,
    string? Notes, IReadOnlyList<ResidentRequest>? Residents);

public sealed record UpdateHouseholdRequest([property: ApiEnum(typeof(Occupancy))] string? Occupancy, string? Notes);

/// <param name="Reason">Why the caller needs the data in full (required, kept in the security audit trail), e.g. 核实低保申请.</param>
public sealed record RevealResidentRequest(string? Reason);

/// <summary>One resident in full, answered once and audited.</summary>
public sealed record ResidentPersonalDataResponse(Guid ResidentId, string Name, string? IdNumber, string? Phone, DateTimeOffset RevealedAt);

/// <summary>A building of the caller's sight, for picking a door: how many households the register has in it.</summary>
/// <param name="CompoundCode">The compound the building belongs to (its detail, with the compound's claims: <c>GET /api/compounds/{code}</c>).</param>
public sealed record RegisterBuildingResponse(string Code, string Name, string Address, string? CompoundName, string GridCode, int Households,
    string? CompoundCode = null);

public sealed record RoomResponse(Guid HouseholdId, int Unit, string Room, Occupancy Occupancy);

/// <summary>A building's register by room (no names), for the phone's building → unit → room picker.</summary>
/// <param name="Lon">The entrance, WGS-84.</param>
public sealed record BuildingRoomsResponse(string Code, string Name, string Address, int Floors, int Units, int RoomsPerFloor, double Lon, double Lat,
    IReadOnlyList<RoomResponse> Households);

/// <summary>
/// The household register (人地事物组织): households per building unit and room, with residents whose personal data is sealed
/// at rest, masked on every answer, revealed one resident at a time with a reason and an audit entry, and shown only to the
/// roles that need it (<see cref="HouseholdAccess"/>).
/// </summary>
public static class HouseholdsApi
{
    public const string RoomType = "/problems/room-not-in-building";
    public const string DuplicateType = "/problems/household-exists";
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapHouseholdsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/households").WithTags("Households").RequireAuthorization(Policies.CaseContent)
            .AddEndpointFilter(async (context, next) =>
                HouseholdAccess.ViewFor(context.HttpContext.User.GetRoles()) == HouseholdView.None
                    ? Problems.Forbidden("您的角色不能查看住户信息。")
                    : await next(context));
        var keepers = HouseholdAccess.Keepers.Select(r => r.ToClaimValue()).ToArray();
        group.MapGet("/", List).WithName("ListHouseholds")
            .WithSummary("Households of the caller's sight (compound, building, occupancy, care filters; exact name or phone search), residents masked or absent by role.");
        group.MapGet("/{id:guid}", Get).WithName("GetHousehold").WithSummary("One household as the caller may see it.");
        group.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(keepers)).WithIdempotency().WithName("CreateHousehold")
            .WithSummary("Register a household at a room of a building's register, with its residents (community staff, operations centre).");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(p => p.RequireRole(keepers)).WithName("UpdateHousehold")
            .WithSummary("Change a household's occupancy and notes.");
        group.MapPost("/{id:guid}/residents", AddResident).RequireAuthorization(p => p.RequireRole(keepers)).WithName("AddResident")
            .WithSummary("Add a resident to a household.");
        group.MapPut("/{id:guid}/residents/{residentId:guid}", UpdateResident).RequireAuthorization(p => p.RequireRole(keepers)).WithName("UpdateResident")
            .WithSummary("Replace a resident's name, ID number, phone and care flags.");
        group.MapDelete("/{id:guid}/residents/{residentId:guid}", RemoveResident).RequireAuthorization(p => p.RequireRole(keepers)).WithName("RemoveResident")
            .WithSummary("Remove a resident who moved out.");
        group.MapPost("/{id:guid}/residents/{residentId:guid}/personal-data", Reveal).WithName("RevealResident")
            .WithSummary("One resident's name, ID number and phone in full, with a reason (community staff, operations centre); every view and refusal is audited.");
        group.MapGet("/buildings", Buildings).WithName("ListRegisterBuildings")
            .WithSummary("The buildings the caller may visit or keep, with the register's household count.");
        group.MapGet("/buildings/{code}/rooms", Rooms).WithName("GetBuildingRooms")
            .WithSummary("A building's register by unit and room, no names: the door-knock picker.");
        group.MapPost("/imports", HouseholdImport.Import).RequireAuthorization(p => p.RequireRole(keepers)).DisableAntiforgery().WithName("ImportHouseholds")
            .WithSummary("Households and residents from Excel (one resident a row); every bad row's errors, nothing stored unless partial=true.");
        group.MapGet("/import-template.xlsx", HouseholdImport.Template).RequireAuthorization(p => p.RequireRole(keepers)).WithName("GetHouseholdImportTemplate")
            .WithSummary("The Excel template of the household import.");
        group.MapGet("/export.xlsx", HouseholdImport.Export).WithName("ExportHouseholds").WithSecurityEvent(SecurityEventKind.Exported, "export", "导出住户登记")
            .WithSummary("The list's selection as Excel, masked as the caller sees it (no persons in the rooms-only view).");
        return routes;
    }

    /// <param name="compound">A compound code: only its households.</param>
    /// <param name="building">A building code: only its households.</param>
    /// <param name="occupancy">owner-occupied, rented or vacant.</param>
    /// <param name="care">Only households with a resident holding this care flag.</param>
    /// <param name="q">An exact name, phone or (community staff) ID number: found by blind index, never by decrypting.</param>
    public static async Task<Results<Ok<HouseholdPage>, ProblemHttpResult>> List(string? compound, string? building,
        [ApiEnum(typeof(Occupancy))] string? occupancy, [ApiEnum(typeof(CareKind))] string? care, string? q, int? page, int? pageSize,
        ClaimsPrincipal principal, CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        var (query, refused) = Filter(caller, caller.Households(db).AsNoTracking(), compound, building, occupancy, care, q, vault);
        if (refused is not null)
        {
            return refused;
        }

        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (size is < 1 or > MaxPageSize || number < 1)
        {
            return Problems.Validation("pageSize", $"页码从 1 开始，每页 1 到 {MaxPageSize} 条。");
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(h => h.BuildingCode).ThenBy(h => h.Unit).ThenBy(h => h.Room).Skip((number - 1) * size).Take(size)
            .Include(h => h.Residents).AsSplitQuery().ToListAsync(ct);
        var places = await Places.LoadAsync(db, rows, ct);
        var today = HouseholdChecks.Today(time);
        return TypedResults.Ok(new HouseholdPage(total, number, size, caller.View, caller.IsKeeper, caller.IsKeeper,
            [.. rows.Select(h => Describe(h, caller.View, vault, places, today))]));
    }

    /// <summary>The list's filters on the caller's households; a refusal for a bad value or a search the view does not allow.</summary>
    public static (IQueryable<Household> Query, ProblemHttpResult? Refused) Filter(RegisterCaller caller, IQueryable<Household> query, string? compound,
        string? building, string? occupancy, string? care, string? q, FieldVault vault)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(compound))
        {
            query = query.Where(h => h.CompoundCode == compound.Trim());
        }

        if (!string.IsNullOrWhiteSpace(building))
        {
            query = query.InBuilding(building.Trim());
        }

        if (!string.IsNullOrWhiteSpace(occupancy))
        {
            if (HouseholdChecks.TryParseOccupancy(occupancy, out var o))
            {
                query = query.Where(h => h.Occupancy == o);
            }
            else
            {
                errors["occupancy"] = [$"居住状态须为 {ApiEnums.List<Occupancy>()} 之一。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(care))
        {
            if (caller.View == HouseholdView.RoomsOnly)
            {
                return (query, Problems.Forbidden("您的角色只能按房间查看住户，不能按关爱类别筛选。"));
            }

            if (HouseholdChecks.TryParseCare(care, out var kind))
            {
                query = query.Where(h => h.Residents.Any(r => r.Care.Any(c => c.Kind == kind)));
            }
            else
            {
                errors["care"] = [$"关爱类别须为 {ApiEnums.List<CareKind>()} 之一。"];
            }
        }

        if (errors.Count > 0)
        {
            return (query, Problems.Validation(errors));
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            if (caller.View == HouseholdView.RoomsOnly)
            {
                return (query, Problems.Forbidden("您的角色只能按房间查看住户，不能按姓名或电话查找。"));
            }

            var name = vault.Index(FieldVault.NameField, q);
            var phone = vault.Index(FieldVault.PhoneField, q);
            var id = caller.View == HouseholdView.Masked ? vault.Index(FieldVault.IdNumberField, q) : "-";
            query = query.Where(h => h.Residents.Any(r => r.NameIndex == name || r.PhoneIndex == phone || r.IdNumberIndex == id));
        }

        return (query, null);
    }

    public static async Task<Results<Ok<HouseholdResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal principal, CivicGridDbContext db, FieldVault vault,
        TimeProvider time, CancellationToken ct)
    {
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        var household = await caller.Households(db).AsNoTracking().Include(h => h.Residents).SingleOrDefaultAsync(h => h.Id == id, ct);
        return household is null
            ? NotFound()
            : TypedResults.Ok(Describe(household, caller.View, vault, await Places.LoadAsync(db, [household], ct), HouseholdChecks.Today(time)));
    }

    public static async Task<Results<Created<HouseholdResponse>, ProblemHttpResult>> Create(CreateHouseholdRequest request, ClaimsPrincipal principal,
        CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var today = HouseholdChecks.Today(time);
        var errors = new Dictionary<string, string>();
        if (!HouseholdChecks.TryParseOccupancy(request.Occupancy, out var occupancy))
        {
            errors["occupancy"] = $"居住状态须为 {ApiEnums.List<Occupancy>()} 之一。";
        }

        if (request.Notes is { Length: > Household.MaxNotesLength })
        {
            errors["notes"] = $"备注不超过 {Household.MaxNotesLength} 字。";
        }

        var drafts = CheckResidents(request.Residents ?? [], today, errors);
        if (request.Unit is null || string.IsNullOrWhiteSpace(request.Room) || !HouseholdChecks.IsBuildingCode(request.BuildingCode))
        {
            errors["room"] = "请选择楼栋（楼栋编码）、单元和房号。";
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var building = await db.Buildings.AsNoTracking().SingleOrDefaultAsync(b => b.Code == request.BuildingCode, ct);
        if (building is null)
        {
            return Problems.NotFound($"找不到楼栋 {request.BuildingCode}，或它不在您的管辖范围内。");
        }

        var room = request.Room!.Trim();
        if (HouseholdChecks.CheckRoom(building, request.Unit!.Value, room) is { } wrongRoom)
        {
            return RoomRefused(building.Name, wrongRoom);
        }

        if (await db.Households.IgnoreQueryFilters().AnyAsync(h => h.BuildingCode == building.Code && h.Unit == request.Unit && h.Room == room, ct))
        {
            return Problems.Create(StatusCodes.Status409Conflict, DuplicateType, "The household is already registered.",
                $"{building.Name}{request.Unit}单元{room}已登记，请在原记录上修改。");
        }

        var compoundCode = building.CompoundId is { } compoundId
            ? await db.Compounds.AsNoTracking().Where(c => c.Id == compoundId).Select(c => c.Code).SingleOrDefaultAsync(ct)
            : null;
        var now = time.GetUtcNow();
        var household = new Household(building.Code, compoundCode, building.GridCode, request.Unit.Value, room, occupancy, Clean(request.Notes), now);
        household.Residents.AddRange(drafts.Select(d => HouseholdChecks.Seal(vault, household, d, now)));
        db.Households.Add(household);
        await db.SaveChangesAsync(ct);
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        return TypedResults.Created($"/api/households/{household.Id}",
            Describe(household, caller.View, vault, await Places.LoadAsync(db, [household], ct), today));
    }

    public static async Task<Results<Ok<HouseholdResponse>, ProblemHttpResult>> Update(Guid id, UpdateHouseholdRequest request, ClaimsPrincipal principal,
        CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        if (!HouseholdChecks.TryParseOccupancy(request.Occupancy, out var occupancy))
        {
            return Problems.Validation("occupancy", $"居住状态须为 {ApiEnums.List<Occupancy>()} 之一。");
        }

        if (request.Notes is { Length: > Household.MaxNotesLength })
        {
            return Problems.Validation("notes", $"备注不超过 {Household.MaxNotesLength} 字。");
        }

        var household = await db.Households.Include(h => h.Residents).SingleOrDefaultAsync(h => h.Id == id, ct);
        if (household is null)
        {
            return NotFound();
        }

        household.Revise(occupancy, Clean(request.Notes), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await AnswerAsync(household, principal, db, vault, time, ct);
    }

    public static async Task<Results<Ok<HouseholdResponse>, ProblemHttpResult>> AddResident(Guid id, ResidentRequest request, ClaimsPrincipal principal,
        CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var drafts = CheckResidents([request], HouseholdChecks.Today(time), errors, single: true);
        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var household = await db.Households.Include(h => h.Residents).SingleOrDefaultAsync(h => h.Id == id, ct);
        if (household is null)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var resident = HouseholdChecks.Seal(vault, household, drafts[0], now);
        db.Residents.Add(resident);
        household.Touch(now);
        await db.SaveChangesAsync(ct);
        return await AnswerAsync(household, principal, db, vault, time, ct);
    }

    public static async Task<Results<Ok<HouseholdResponse>, ProblemHttpResult>> UpdateResident(Guid id, Guid residentId, ResidentRequest request,
        ClaimsPrincipal principal, CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var drafts = CheckResidents([request], HouseholdChecks.Today(time), errors, single: true);
        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var household = await db.Households.Include(h => h.Residents).SingleOrDefaultAsync(h => h.Id == id, ct);
        if (household?.Residents.SingleOrDefault(r => r.Id == residentId) is not { } resident)
        {
            return NotFound();
        }

        var s = vault.SealAll(drafts[0].Identity);
        resident.Seal(s.Name, s.NameIndex, s.IdNumber, s.IdNumberIndex, s.Phone, s.PhoneIndex);
        resident.ReplaceCare(drafts[0].Care);
        household.Touch(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await AnswerAsync(household, principal, db, vault, time, ct);
    }

    public static async Task<Results<Ok<HouseholdResponse>, ProblemHttpResult>> RemoveResident(Guid id, Guid residentId, ClaimsPrincipal principal,
        CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var household = await db.Households.Include(h => h.Residents).SingleOrDefaultAsync(h => h.Id == id, ct);
        if (household?.Residents.SingleOrDefault(r => r.Id == residentId) is not { } resident)
        {
            return NotFound();
        }

        household.Residents.Remove(resident);
        household.Touch(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await AnswerAsync(household, principal, db, vault, time, ct);
    }

    /// <summary>
    /// One resident in full for community staff and the operations centre, with a reason; the view is written to the security
    /// audit trail in the same transaction. Any other role is refused (403) and the attempt is recorded too, for a resident
    /// the caller can see.
    /// </summary>
    public static async Task<Results<Ok<ResidentPersonalDataResponse>, ProblemHttpResult>> Reveal(Guid id, Guid residentId, RevealResidentRequest? request,
        ClaimsPrincipal principal, CivicGridDbContext db, FieldVault vault, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim() ?? string.Empty;
        if (reason.Length is < 2 or > 200)
        {
            return Problems.Validation("reason", "请填写查看完整信息的理由（2–200 字），如“核实低保申请”。理由将记入安全审计。");
        }

        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        var household = await caller.Households(db).AsNoTracking().Include(h => h.Residents).SingleOrDefaultAsync(h => h.Id == id, ct);
        var resident = household?.Residents.SingleOrDefault(r => r.Id == residentId);
        if (resident is null)
        {
            return NotFound();
        }

        var subject = new SecuritySubject("resident", resident.Id.ToString(), $"{household!.BuildingCode} {household.Unit}单元{household.Room}", household.GridCode);
        if (!caller.IsKeeper)
        {
            audit.Record(db, SecurityEventKind.PersonalDataRefused, subject, $"居民个人信息：无权查看；理由：{reason}", SecurityOutcome.Refused);
            await db.SaveChangesAsync(ct);
            return Problems.Forbidden("您的角色无权查看居民的完整个人信息，请联系社区工作人员。");
        }

        var identity = vault.OpenAll(resident);
        var fields = new List<string> { FieldVault.NameField };
        fields.AddRange(identity.IdNumber is null ? [] : [FieldVault.IdNumberField]);
        fields.AddRange(identity.Phone is null ? [] : [FieldVault.PhoneField]);
        audit.Record(db, SecurityEventKind.PersonalDataRevealed, subject, $"居民个人信息字段：{string.Join(',', fields)}；理由：{reason}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ResidentPersonalDataResponse(resident.Id, identity.Name, identity.IdNumber, identity.Phone, time.GetUtcNow()));
    }

    public static async Task<Ok<List<RegisterBuildingResponse>>> Buildings(string? compound, ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        var buildings = caller.Buildings(db).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(compound))
        {
            var compoundId = db.Compounds.Where(c => c.Code == compound.Trim()).Select(c => c.Id);
            buildings = buildings.Where(b => b.CompoundId != null && compoundId.Contains(b.CompoundId.Value));
        }

        var counts = await caller.Households(db).GroupBy(h => h.BuildingCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var rows = await buildings.OrderBy(b => b.Code).Take(5000).Select(b => new { b.Code, b.Name, b.Address, b.GridCode, b.CompoundId }).ToListAsync(ct);
        var compoundIds = rows.Where(b => b.CompoundId != null).Select(b => b.CompoundId!.Value).Distinct().ToList();
        var compounds = await db.Compounds.AsNoTracking().Where(c => compoundIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => (c.Name, c.Code), ct);
        return TypedResults.Ok(rows.Where(b => caller.IsKeeper || counts.ContainsKey(b.Code))
            .Select(b =>
            {
                var compound = b.CompoundId is { } c && compounds.TryGetValue(c, out var found) ? found : ((string Name, string Code)?)null;
                return new RegisterBuildingResponse(b.Code, b.Name, b.Address, compound?.Name, b.GridCode, counts.GetValueOrDefault(b.Code), compound?.Code);
            })
            .ToList());
    }

    public static async Task<Results<Ok<BuildingRoomsResponse>, ProblemHttpResult>> Rooms(string code, ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        var building = await caller.Buildings(db).AsNoTracking().SingleOrDefaultAsync(b => b.Code == code, ct);
        if (building is null)
        {
            return Problems.NotFound($"找不到楼栋 {code}，或它不在您的范围内。");
        }

        var layout = BuildingRooms.Of(building.Floors, building.Households);
        var rooms = await caller.Households(db).AsNoTracking().InBuilding(code).OrderBy(h => h.Unit).ThenBy(h => h.Room)
            .Select(h => new RoomResponse(h.Id, h.Unit, h.Room, h.Occupancy)).ToListAsync(ct);
        return TypedResults.Ok(new BuildingRoomsResponse(building.Code, building.Name, building.Address, layout.Floors, layout.Units, layout.RoomsPerFloor,
            building.Location.X, building.Location.Y, rooms));
    }

    /// <summary>The household as the caller sees it; the view decides what of the residents is in it.</summary>
    public static HouseholdResponse Describe(Household h, HouseholdView view, FieldVault vault, Places places, DateOnly today)
    {
        var building = places.Buildings.GetValueOrDefault(h.BuildingCode);
        var compound = h.CompoundCode is null ? null : places.Compounds.GetValueOrDefault(h.CompoundCode);
        var roomsOnly = view == HouseholdView.RoomsOnly;
        return new HouseholdResponse(h.Id, h.BuildingCode, building.Name ?? h.BuildingCode, building.Address ?? string.Empty, h.CompoundCode, compound,
            h.GridCode, h.Unit, h.Room, h.Occupancy, roomsOnly ? null : h.Notes, roomsOnly ? null : h.Residents.Count,
            roomsOnly ? [] : [.. h.Residents.SelectMany(r => r.Care).Select(c => c.Kind).Distinct().Order()],
            roomsOnly ? null : [.. h.Residents.OrderBy(r => r.CreatedAt).Select(r => DescribeResident(r, view, vault, today))], h.UpdatedAt);
    }

    private static ResidentResponse DescribeResident(Resident r, HouseholdView view, FieldVault vault, DateOnly today)
    {
        var identity = vault.OpenAll(r);
        var masked = view == HouseholdView.Masked;
        var born = identity.IdNumber is null ? null : IdNumber.BirthDate(identity.IdNumber);
        return new ResidentResponse(r.Id, Masking.PersonName(identity.Name)!, masked ? Masking.IdNumber(identity.IdNumber) : null, Masking.Phone(identity.Phone),
            masked && born is { } b ? HouseholdChecks.Age(b, today) : null, [.. r.Care.Select(c => new CareResponse(c.Kind, c.Basis))]);
    }

    /// <summary>Checks residents; errors of a household's list are keyed <c>residents[i].field</c>, of a single resident by field.</summary>
    private static List<ResidentDraft> CheckResidents(IReadOnlyList<ResidentRequest> residents, DateOnly today, Dictionary<string, string> errors, bool single = false)
    {
        var drafts = new List<ResidentDraft>();
        for (var i = 0; i < residents.Count; i++)
        {
            var r = residents[i];
            var prefix = single ? string.Empty : $"residents[{i}].";
            if (HouseholdChecks.CheckResident(r.Name, r.IdNumber, r.Phone, (r.Care ?? []).Select(c => (c.Kind, c.Basis)), today, errors, prefix) is { } draft)
            {
                drafts.Add(draft);
            }
        }

        return drafts;
    }

    private static async Task<Results<Ok<HouseholdResponse>, ProblemHttpResult>> AnswerAsync(Household household, ClaimsPrincipal principal, CivicGridDbContext db,
        FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        return TypedResults.Ok(Describe(household, caller.View, vault, await Places.LoadAsync(db, [household], ct), HouseholdChecks.Today(time)));
    }

    public static ProblemHttpResult RoomRefused(string buildingName, string reason) =>
        Problems.Create(StatusCodes.Status422UnprocessableEntity, RoomType, "The room is not in the building's register.", $"{buildingName}：{reason}");

    private static ProblemHttpResult Validation(Dictionary<string, string> errors) =>
        Problems.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到该住户，或它不在您的查看范围内。");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>Names and addresses of the buildings and compounds of some households, loaded once per answer.</summary>
public sealed record Places(IReadOnlyDictionary<string, (string? Name, string? Address)> Buildings, IReadOnlyDictionary<string, string> Compounds)
{
    public static async Task<Places> LoadAsync(CivicGridDbContext db, IReadOnlyCollection<Household> households, CancellationToken ct)
    {
        var buildingCodes = households.Select(h => h.BuildingCode).Distinct().ToList();
        var compoundCodes = households.Where(h => h.CompoundCode != null).Select(h => h.CompoundCode!).Distinct().ToList();
        var buildings = await db.Buildings.AsNoTracking().Where(b => buildingCodes.Contains(b.Code)).Select(b => new { b.Code, b.Name, b.Address }).ToListAsync(ct);
        var compounds = await db.Compounds.AsNoTracking().Where(c => compoundCodes.Contains(c.Code)).Select(c => new { c.Code, c.Name }).ToListAsync(ct);
        return new Places(buildings.ToDictionary(b => b.Code, b => ((string?)b.Name, (string?)b.Address)), compounds.ToDictionary(c => c.Code, c => c.Name));
    }
}
