using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Hotline;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Roster;

/// <summary>One field of one row at fault: the row as the spreadsheet numbers it (header = 1), the column's header, a Chinese message.</summary>
public sealed record RosterImportRowError(int Row, string Column, string Message);

/// <summary>What became of a good row: created, updated (kind, name, age band, account or a new grid) or unchanged.</summary>
public sealed record RosterImportRowResult(int Row, string Name, string Outcome, Guid? MemberId);

/// <param name="Stored">False when nothing was written (a bad row without partial=true).</param>
public sealed record RosterImportReport(int Rows, int Created, int Updated, int Unchanged, int Failed, bool Stored, IReadOnlyList<RosterImportRowResult> Results,
    IReadOnlyList<RosterImportRowError> Errors);

/// <summary>
/// The roster's Excel import: one person per row under Chinese headers. Every row is checked with the same rules as the
/// API's create; a person already on the community's roster (same phone) is updated and gets the row's grid if they do
/// not work it yet. With a bad row nothing is stored unless <c>partial=true</c>.
/// </summary>
public static class RosterImport
{
    public const string RowsType = "/problems/roster-rows";
    public const string FileType = "/problems/roster-file";
    private const long MaxFileBytes = 5 * 1024 * 1024;

    public const string NameColumn = "姓名";
    public const string KindColumn = "人员类别";
    public const string PhoneColumn = "手机号码";
    public const string AgeColumn = "年龄段";
    public const string CommunityColumn = "所属社区";
    public const string GridColumn = "网格";
    public const string JoinedColumn = "到岗日期";
    public const string AccountColumn = "登录账号";

    private static readonly string[] Required = [NameColumn, KindColumn, PhoneColumn, AgeColumn];

    private static readonly Dictionary<string, string> ColumnOfField = new(StringComparer.Ordinal)
    {
        ["name"] = NameColumn, ["kind"] = KindColumn, ["phone"] = PhoneColumn, ["ageBand"] = AgeColumn, ["communityCode"] = CommunityColumn,
        ["gridCode"] = GridColumn, ["joinedOn"] = JoinedColumn, ["userName"] = AccountColumn, ["organisationId"] = "单位",
    };

    public static async Task<Results<Ok<RosterImportReport>, ProblemHttpResult>> Import(IFormFile? file, bool? partial, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.Validation("file", "请上传网格员名单（.xlsx，可先下载导入模板）。");
        }

        if (file.Length > MaxFileBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The file is too large.", "文件过大（上限 5 MB）。");
        }

        var (rows, unreadable) = await HotlineSheet.ReadAsync(file, ct);
        if (rows is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, FileType, "The roster file cannot be read.", unreadable!);
        }

        var present = rows.SelectMany(r => r.Cells.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = Required.Where(c => !present.Contains(c)).ToList();
        if (rows.Count == 0 || missing.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, FileType, "The file lacks the template's columns.",
                rows.Count == 0 ? "文件中没有人员。" : $"文件缺少模板要求的列：{string.Join("、", missing)}。请使用导入模板。",
                new Dictionary<string, object?> { ["missingColumns"] = missing });
        }

        var snapshot = await geography.GetAsync(ct);
        var today = RosterRules.Today(time);
        var scope = caller.GetScope();
        var errors = new List<RosterImportRowError>();
        var good = new List<(HotlineRow Row, MemberDraft Draft)>();
        var seen = new Dictionary<(string, string), int>();
        foreach (var row in rows)
        {
            var (request, rowErrors) = Translate(row, snapshot, scope, today);
            var draft = await MemberDraft.CheckAsync(request, caller, db, snapshot, today, ct);
            rowErrors.AddRange(draft.Errors.Select(e => new RosterImportRowError(row.Row, ColumnOfField.GetValueOrDefault(e.Key, e.Key), e.Value[0]))
                .Where(e => !rowErrors.Any(r => r.Column == e.Column)));
            if (rowErrors.Count == 0 && !scope.Covers(draft.CommunityCode))
            {
                rowErrors.Add(new(row.Row, CommunityColumn, "只能导入您所在社区的人员。"));
            }

            if (rowErrors.Count == 0 && !seen.TryAdd((draft.CommunityCode, draft.Phone), row.Row))
            {
                rowErrors.Add(new(row.Row, PhoneColumn, $"与第 {seen[(draft.CommunityCode, draft.Phone)]} 行的手机号码重复。"));
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
            }
            else
            {
                good.Add((row, draft));
            }
        }

        if (Refusal(rows.Count, errors, partial) is { } refused)
        {
            return refused;
        }

        var results = new List<RosterImportRowResult>();
        foreach (var (row, draft) in good)
        {
            var outcome = await ApplyAsync(draft, db, ct);
            if (outcome.Error is { } error)
            {
                errors.Add(new(row.Row, GridColumn, error));
                continue;
            }

            results.Add(new(row.Row, draft.Name, outcome.Outcome!, outcome.MemberId));
        }

        if (Refusal(rows.Count, errors, partial) is { } late)
        {
            return late;
        }

        var failed = errors.Select(e => e.Row).Distinct().Count();
        var report = new RosterImportReport(rows.Count, results.Count(r => r.Outcome == "created"), results.Count(r => r.Outcome == "updated"),
            results.Count(r => r.Outcome == "unchanged"), failed, true, results, [.. errors.OrderBy(e => e.Row)]);
        audit.Record(db, SecurityEventKind.Imported, new SecuritySubject("roster-import", null, file.FileName, scope.Code),
            $"网格员名单导入：共 {report.Rows} 行，新建 {report.Created}，更新 {report.Updated}，未变 {report.Unchanged}，有误未导入 {report.Failed}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(report);
    }

    /// <summary>422 with every row's errors when a row is bad and the caller did not ask for the good rows only; else null.</summary>
    private static ProblemHttpResult? Refusal(int rows, List<RosterImportRowError> errors, bool? partial)
    {
        var failed = errors.Select(e => e.Row).Distinct().Count();
        return failed == 0 || partial == true
            ? null
            : Problems.Create(StatusCodes.Status422UnprocessableEntity, RowsType, "Some rows are invalid; nothing was imported.",
                $"{failed} 行有误，未导入任何人员。请修改后重新导入，或选择只导入正确的行。",
                new Dictionary<string, object?> { ["report"] = new RosterImportReport(rows, 0, 0, 0, failed, false, [], errors) });
    }

    /// <summary>The Excel template: the headers in order and one example row.</summary>
    public static FileContentHttpResult Template()
    {
        var example = new Dictionary<string, object>
        {
            [NameColumn] = "张建华", [KindColumn] = "微网格员", [PhoneColumn] = "13800001234", [AgeColumn] = "60-69岁", [CommunityColumn] = "（社区名称）",
            [GridColumn] = "（网格名称）", [JoinedColumn] = "2026-01-05", [AccountColumn] = "",
        };
        using var stream = new MemoryStream();
        stream.SaveAs(new[] { example }, excelType: ExcelType.XLSX);
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "网格员导入模板.xlsx");
    }

    /// <summary>Adds the member or updates the one with the same phone in the community; the outcome, or the reason the row cannot be applied.</summary>
    private static async Task<(string? Outcome, Guid? MemberId, string? Error)> ApplyAsync(MemberDraft draft, CivicGridDbContext db, CancellationToken ct)
    {
        var phoneIndex = db.BlindIndex(FieldVault.PhoneField, draft.Phone);
        var existing = db.RosterMembers.Local.SingleOrDefault(m => m.CommunityCode == draft.CommunityCode && m.Phone == draft.Phone)
            ?? await db.RosterMembers.Include(m => m.Assignments).SingleOrDefaultAsync(
                m => m.CommunityCode == draft.CommunityCode && EF.Property<string>(m, RosterMemberConfiguration.PhoneIndexProperty) == phoneIndex, ct);
        try
        {
            if (existing is null)
            {
                var member = draft.ToMember();
                if (draft.Grid is { } grid)
                {
                    member.Assign(grid.Code, grid.Level, draft.JoinedOn);
                }

                db.RosterMembers.Add(member);
                return ("created", member.Id, null);
            }

            if (!existing.IsActive)
            {
                return (null, null, RosterRules.Chinese(RosterRuleException.MemberHasLeft, draft.Kind));
            }

            var changed = existing.Kind != draft.Kind || existing.Name != draft.Name || existing.AgeBand != draft.AgeBand
                || (draft.UserId is not null && existing.UserId != draft.UserId);
            existing.Kind = draft.Kind;
            existing.Name = draft.Name;
            existing.AgeBand = draft.AgeBand;
            existing.UserId = draft.UserId ?? existing.UserId;
            if (draft.Grid is { } newGrid && !existing.OpenAssignments.Any(a => a.GridCode == newGrid.Code))
            {
                existing.Assign(newGrid.Code, newGrid.Level, draft.JoinedOn);
                changed = true;
            }

            return (changed ? "updated" : "unchanged", existing.Id, null);
        }
        catch (RosterRuleException e)
        {
            return (null, null, RosterRules.Chinese(e.Rule, draft.Kind));
        }
    }

    /// <summary>A row's cells as the API's create request: Chinese kind and age band names, community and grid by name (or code).</summary>
    private static (CreateRosterMemberRequest Request, List<RosterImportRowError> Errors) Translate(HotlineRow row, GeographySnapshot snapshot,
        Domain.Accounts.Scope scope, DateOnly today)
    {
        var errors = new List<RosterImportRowError>();
        var kindText = row.Cell(KindColumn);
        var kind = Enum.GetValues<MemberKind>().Where(k => k.ToChinese() == kindText).Select(ApiEnums.Name).FirstOrDefault() ?? kindText;
        var ageText = row.Cell(AgeColumn);
        var age = Enum.GetValues<AgeBand>().Where(b => b.ToChinese() == ageText).Select(ApiEnums.Name).FirstOrDefault()
            ?? (int.TryParse(ageText, NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years is >= 16 and <= 100 ? ApiEnums.Name(BandOf(years)) : ageText);

        string? community = null;
        var communityText = row.Cell(CommunityColumn);
        if (communityText.Length > 0)
        {
            var matches = snapshot.Grids.Values.Where(g => g.Level == GridLevel.Community && (g.Code == communityText || g.Name == communityText) && scope.Covers(g.Code)).ToList();
            if (matches.Count == 1)
            {
                community = matches[0].Code;
            }
            else
            {
                errors.Add(new(row.Row, CommunityColumn, $"您的管辖范围内没有名为“{communityText}”的社区。"));
            }
        }

        string? grid = null;
        var gridText = row.Cell(GridColumn);
        if (gridText.Length > 0)
        {
            var within = community ?? (scope.Code.Length >= GridCodes.CommunityLength ? scope.Code[..GridCodes.CommunityLength] : scope.Code);
            var matches = snapshot.Grids.Values.Where(g => g.Level >= GridLevel.Community && (g.Code == gridText || g.Name == gridText)
                && GridCodes.IsWithin(g.Code, within) && scope.Covers(g.Code)).ToList();
            if (matches.Count == 1)
            {
                grid = matches[0].Code;
            }
            else
            {
                errors.Add(new(row.Row, GridColumn, matches.Count == 0 ? $"所属社区内没有名为“{gridText}”的网格。" : $"“{gridText}”对应多个网格，请填写网格编码。"));
            }
        }

        DateOnly? joined = null;
        var joinedText = row.Cell(JoinedColumn);
        if (joinedText.Length > 0)
        {
            if (DateTime.TryParse(joinedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                joined = DateOnly.FromDateTime(at);
            }
            else
            {
                errors.Add(new(row.Row, JoinedColumn, "到岗日期格式应为 2026-01-05。"));
            }
        }

        var account = row.Cell(AccountColumn);
        return (new CreateRosterMemberRequest(kind, row.Cell(NameColumn), row.Cell(PhoneColumn), age, community, joined ?? today, account.Length > 0 ? account : null,
            null, grid), errors);
    }

    private static AgeBand BandOf(int years) => years switch
    {
        < 40 => AgeBand.Under40,
        < 60 => AgeBand.From40To59,
        < 70 => AgeBand.From60To69,
        _ => AgeBand.From70,
    };
}
