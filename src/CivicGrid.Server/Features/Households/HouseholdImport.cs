using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Households;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Hotline;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Households;

/// <summary>One field of one row at fault: the row as the spreadsheet numbers it (header = 1), the column's header, a Chinese message.</summary>
public sealed record HouseholdImportRowError(int Row, string Column, string Message);

/// <param name="Stored">False when nothing was written (a bad row without partial=true).</param>
public sealed record HouseholdImportReport(int Rows, int HouseholdsCreated, int HouseholdsUpdated, int ResidentsAdded, int ResidentsUnchanged, int Failed,
    bool Stored, IReadOnlyList<HouseholdImportRowError> Errors);

/// <summary>
/// The register's Excel import and export. One resident a row (a row without a name registers an empty dwelling); rows of the
/// same building, unit and room make one household. Every row is checked with the API's rules (room in the building's
/// register, GB 11643 ID check digit, phone, care flags with a basis); with a bad row nothing is stored unless
/// <c>partial=true</c>. A resident already in the household (same ID number, or same name when neither has one) is left as is.
/// </summary>
public static class HouseholdImport
{
    public const string RowsType = "/problems/household-rows";
    public const string FileType = "/problems/household-file";
    private const long MaxFileBytes = 10 * 1024 * 1024;
    private const int MaxExportRows = 50_000;

    public const string BuildingColumn = "楼栋编码";
    public const string UnitColumn = "单元";
    public const string RoomColumn = "房号";
    public const string OccupancyColumn = "居住状态";
    public const string NameColumn = "姓名";
    public const string IdNumberColumn = "身份证号";
    public const string PhoneColumn = "联系电话";
    public const string CareColumn = "关爱类别";
    public const string BasisColumn = "认定依据";
    public const string NotesColumn = "备注";

    private static readonly string[] Required = [BuildingColumn, UnitColumn, RoomColumn, OccupancyColumn, NameColumn];

    private static readonly Dictionary<string, string> ColumnOfField = new(StringComparer.Ordinal)
    {
        ["name"] = NameColumn, ["idNumber"] = IdNumberColumn, ["phone"] = PhoneColumn, ["care"] = CareColumn,
    };

    private sealed record GoodRow(int Row, string BuildingCode, int Unit, string Room, Occupancy Occupancy, string? Notes, ResidentDraft? Resident);

    public static async Task<Results<Ok<HouseholdImportReport>, ProblemHttpResult>> Import(IFormFile? file, bool? partial, ClaimsPrincipal principal,
        CivicGridDbContext db, FieldVault vault, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.Validation("file", "请上传住户登记表（.xlsx，可先下载导入模板）。");
        }

        if (file.Length > MaxFileBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The file is too large.", "文件过大（上限 10 MB）。");
        }

        var (rows, unreadable) = await HotlineSheet.ReadAsync(file, ct);
        if (rows is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, FileType, "The household file cannot be read.", unreadable!);
        }

        var present = rows.SelectMany(r => r.Cells.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = Required.Where(c => !present.Contains(c)).ToList();
        if (rows.Count == 0 || missing.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, FileType, "The file lacks the template's columns.",
                rows.Count == 0 ? "文件中没有住户。" : $"文件缺少模板要求的列：{string.Join("、", missing)}。请使用导入模板。",
                new Dictionary<string, object?> { ["missingColumns"] = missing });
        }

        var today = HouseholdChecks.Today(time);
        var codes = rows.Select(r => r.Cell(BuildingColumn)).Distinct().ToList();
        var buildings = await db.Buildings.AsNoTracking().Where(b => codes.Contains(b.Code)).ToDictionaryAsync(b => b.Code, ct);
        var errors = new List<HouseholdImportRowError>();
        var good = new List<GoodRow>();
        var occupancyOf = new Dictionary<(string, int, string), (Occupancy Occupancy, int Row)>();
        foreach (var row in rows)
        {
            var rowErrors = new List<HouseholdImportRowError>();
            var code = row.Cell(BuildingColumn);
            var building = buildings.GetValueOrDefault(code);
            if (building is null)
            {
                rowErrors.Add(new(row.Row, BuildingColumn, code.Length == 0 ? "请填写楼栋编码。" : $"您的管辖范围内没有楼栋 {code}。"));
            }

            if (!int.TryParse(row.Cell(UnitColumn).Replace("单元", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var unit))
            {
                rowErrors.Add(new(row.Row, UnitColumn, "单元应为数字，如 1。"));
            }

            var room = row.Cell(RoomColumn);
            if (building is not null && unit > 0 && HouseholdChecks.CheckRoom(building, unit, room) is { } wrongRoom)
            {
                rowErrors.Add(new(row.Row, RoomColumn, $"{building.Name}：{wrongRoom}"));
            }

            if (!HouseholdChecks.TryParseOccupancy(row.Cell(OccupancyColumn), out var occupancy))
            {
                rowErrors.Add(new(row.Row, OccupancyColumn, "居住状态应为 自住、出租 或 空置。"));
            }
            else if (rowErrors.Count == 0 && occupancyOf.TryGetValue((code, unit, room), out var first) && first.Occupancy != occupancy)
            {
                rowErrors.Add(new(row.Row, OccupancyColumn, $"与第 {first.Row} 行同一房间的居住状态不同。"));
            }

            ResidentDraft? resident = null;
            if (row.Cell(NameColumn).Length > 0 || row.Cell(IdNumberColumn).Length > 0 || row.Cell(PhoneColumn).Length > 0)
            {
                var fieldErrors = new Dictionary<string, string>();
                var basis = row.Cell(BasisColumn);
                var care = row.Cell(CareColumn).Split(['、', ',', '，', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(k => ((string?)k, (string?)basis));
                resident = HouseholdChecks.CheckResident(row.Cell(NameColumn), row.Cell(IdNumberColumn), row.Cell(PhoneColumn), care, today, fieldErrors);
                rowErrors.AddRange(fieldErrors.Select(e => new HouseholdImportRowError(row.Row, ColumnOfField.GetValueOrDefault(e.Key, e.Key), e.Value)));
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }

            occupancyOf.TryAdd((code, unit, room), (occupancy, row.Row));
            var notes = row.Cell(NotesColumn);
            good.Add(new GoodRow(row.Row, code, unit, room, occupancy, notes.Length is > 0 and <= Household.MaxNotesLength ? notes : null, resident));
        }

        var failed = errors.Select(e => e.Row).Distinct().Count();
        if (failed > 0 && partial != true)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, RowsType, "Some rows are invalid; nothing was imported.",
                $"{failed} 行有误，未导入任何住户。请修改后重新导入，或选择只导入正确的行。",
                new Dictionary<string, object?> { ["report"] = new HouseholdImportReport(rows.Count, 0, 0, 0, 0, failed, false, errors) });
        }

        var now = time.GetUtcNow();
        int created = 0, updated = 0, added = 0, unchanged = 0;
        var compoundCodes = await db.Compounds.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        foreach (var group in good.GroupBy(g => (g.BuildingCode, g.Unit, g.Room)))
        {
            var first = group.First();
            var household = await db.Households.Include(h => h.Residents)
                .SingleOrDefaultAsync(h => h.BuildingCode == first.BuildingCode && h.Unit == first.Unit && h.Room == first.Room, ct);
            if (household is null)
            {
                var building = buildings[first.BuildingCode];
                household = new Household(building.Code, building.CompoundId is { } c ? compoundCodes.GetValueOrDefault(c) : null, building.GridCode,
                    first.Unit, first.Room, first.Occupancy, first.Notes, now);
                db.Households.Add(household);
                created++;
            }
            else
            {
                household.Revise(first.Occupancy, first.Notes ?? household.Notes, now);
                updated++;
            }

            foreach (var draft in group.Select(g => g.Resident).OfType<ResidentDraft>())
            {
                var idIndex = draft.Identity.IdNumber is null ? null : vault.Index(FieldVault.IdNumberField, draft.Identity.IdNumber);
                var nameIndex = vault.Index(FieldVault.NameField, draft.Identity.Name);
                if (household.Residents.Any(r => idIndex is not null ? r.IdNumberIndex == idIndex : r.IdNumberIndex is null && r.NameIndex == nameIndex))
                {
                    unchanged++;
                    continue;
                }

                household.Residents.Add(HouseholdChecks.Seal(vault, household, draft, now));
                added++;
            }
        }

        var report = new HouseholdImportReport(rows.Count, created, updated, added, unchanged, failed, true, [.. errors.OrderBy(e => e.Row)]);
        audit.Record(db, SecurityEventKind.Imported, new SecuritySubject("household-import", null, file.FileName, principal.GetScope().Code),
            $"住户导入：共 {report.Rows} 行，新建住户 {created}，更新住户 {updated}，新增居民 {added}，已有居民 {unchanged}，有误未导入 {failed} 行");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(report);
    }

    /// <summary>The Excel template: the headers in order and two example rows (fake ID numbers with a correct check digit).</summary>
    public static FileContentHttpResult Template()
    {
        var rows = new[]
        {
            Row("（楼栋编码）", "1", "302", "出租", "张建华", "610103195803120016", "13800001234", "独居老人", "2026年走访核实", ""),
            Row("（楼栋编码）", "1", "302", "出租", "李秀兰", "", "", "", "", "空置房屋请只填前四列"),
        };
        return Workbook(rows, "住户导入模板.xlsx");
    }

    /// <summary>The list's selection, one resident a row, masked as the caller sees it; no person columns in the rooms-only view.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string? compound, string? building,
        [ApiEnum(typeof(Occupancy))] string? occupancy, [ApiEnum(typeof(CareKind))] string? care, string? q, ClaimsPrincipal principal,
        CivicGridDbContext db, FieldVault vault, TimeProvider time, CancellationToken ct)
    {
        var caller = await RegisterCaller.OfAsync(principal, db, ct);
        var (query, refused) = HouseholdsApi.Filter(caller, caller.Households(db).AsNoTracking(), compound, building, occupancy, care, q, vault);
        if (refused is not null)
        {
            return refused;
        }

        var households = await query.OrderBy(h => h.BuildingCode).ThenBy(h => h.Unit).ThenBy(h => h.Room).Take(MaxExportRows)
            .Include(h => h.Residents).AsSplitQuery().ToListAsync(ct);
        var places = await Places.LoadAsync(db, households, ct);
        var today = HouseholdChecks.Today(time);
        var rows = new List<Dictionary<string, object>>();
        foreach (var described in households.Select(h => HouseholdsApi.Describe(h, caller.View, vault, places, today)))
        {
            var residents = described.Residents is { Count: > 0 } list ? list.Cast<ResidentResponse?>().ToList() : [default(ResidentResponse)];
            foreach (var r in residents)
            {
                var row = new Dictionary<string, object>
                {
                    ["楼栋"] = described.BuildingName, [BuildingColumn] = described.BuildingCode, ["小区"] = described.CompoundName ?? string.Empty,
                    [UnitColumn] = described.Unit, [RoomColumn] = described.Room, [OccupancyColumn] = described.Occupancy.ToChinese(),
                };
                if (caller.View != HouseholdView.RoomsOnly)
                {
                    row[NameColumn] = r?.Name ?? string.Empty;
                    if (caller.View == HouseholdView.Masked)
                    {
                        row[IdNumberColumn] = r?.IdNumber ?? string.Empty;
                    }

                    row[PhoneColumn] = r?.Phone ?? string.Empty;
                    row[CareColumn] = r is null ? string.Empty : string.Join("、", r.Care.Select(c => c.Kind.ToChinese()));
                    row[BasisColumn] = r is null ? string.Empty : string.Join("；", r.Care.Select(c => c.Basis));
                }

                rows.Add(row);
            }
        }

        return Workbook(rows, $"住户登记_{today:yyyyMMdd}.xlsx");
    }

    private static Dictionary<string, object> Row(string building, string unit, string room, string occupancy, string name, string id, string phone, string care,
        string basis, string notes) => new()
        {
            [BuildingColumn] = building, [UnitColumn] = unit, [RoomColumn] = room, [OccupancyColumn] = occupancy, [NameColumn] = name, [IdNumberColumn] = id,
            [PhoneColumn] = phone, [CareColumn] = care, [BasisColumn] = basis, [NotesColumn] = notes,
        };

    private static FileContentHttpResult Workbook(IEnumerable<Dictionary<string, object>> rows, string fileName)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);
    }
}
