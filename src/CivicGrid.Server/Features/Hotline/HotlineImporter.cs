using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Routing;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using CivicGrid.Server.Features.Cases.Intake;

namespace CivicGrid.Server.Features.Hotline;

/// <summary>One problem of one row: the spreadsheet row number, the field (our name) and what is wrong, in Chinese.</summary>
public sealed record HotlineRowError(int Row, string? OrderNumber, string Field, string Message);

/// <summary>What became of one row: created, updated, unchanged or failed, with the case number when there is one.</summary>
public sealed record HotlineRowResult(int Row, string OrderNumber, string Outcome, string? CaseNumber);

/// <param name="Stored">False when nothing was stored because a row was bad and the import was all or nothing.</param>
public sealed record HotlineImportReport(string Mapping, int Rows, int Created, int Updated, int Unchanged, int Failed, bool Stored,
    IReadOnlyList<HotlineRowResult> Results, IReadOnlyList<HotlineRowError> Errors);

/// <summary>
/// Imports 12345 work orders: every row is checked and placed first (order number, content, address the router can
/// place, category through the mapping, phone); then new orders go through <see cref="CaseIntake.ReportAsync"/> like
/// any report (channel <see cref="CaseChannel.Hotline12345"/>, numbered, routed by the matched building or compound),
/// and orders already imported take their changes through <see cref="Case.RecordExternalUpdate"/>, never a second case.
/// All or nothing by default: one bad row and nothing is stored; with <c>partial</c> the good rows are stored. Storing
/// runs in one transaction with the category check inside it, so a category retired during the import cannot leave
/// the rows before it stored.
/// </summary>
public sealed class HotlineImporter(CaseIntake intake, GeographyIndex geography, Catalogue.CategoryCache categories, TimeProvider time)
{
    private sealed record CheckedRow(HotlineRow Row, string OrderNumber, string Content, string Address, string CategoryCode, string? CallerName,
        string? Phone, RoutingAnswer Routing, Point Position);

    public async Task<HotlineImportReport> ImportAsync(IReadOnlyList<HotlineRow> rows, HotlineMapping mapping, bool partial, Guid importedBy,
        CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(db);
        var errors = new List<HotlineRowError>();
        var good = new List<CheckedRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var rowErrors = new List<HotlineRowError>();
            var checkedRow = await CheckAsync(row, mapping, seen, rowErrors, db, ct);
            errors.AddRange(rowErrors);
            if (checkedRow is not null && rowErrors.Count == 0)
            {
                good.Add(checkedRow);
            }
        }

        var failedRows = errors.Select(e => e.Row).Distinct().Count();
        var results = errors.GroupBy(e => e.Row).Select(g => new HotlineRowResult(g.Key, g.First().OrderNumber ?? string.Empty, "failed", null)).ToList();
        if (errors.Count > 0 && !partial)
        {
            return new HotlineImportReport(mapping.Name, rows.Count, 0, 0, 0, failedRows, false, results, errors);
        }

        if (BeforeStoring is { } seam)
        {
            await seam();
        }

        // Stored in one transaction, the category check inside it: a category retired after the rows were checked either
        // retired before this check (the rows fail, and in all-or-nothing mode nothing is stored) or waits for the
        // commit (PostgreSQL: the active categories are locked FOR SHARE; SQLite: the transaction holds the write lock).
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var retired = await RetiredCategoriesAsync(db, [.. good.Select(r => r.CategoryCode).Distinct()], ct);
        int created = 0, updated = 0, unchanged = 0;
        var stored = new List<HotlineRowResult>();
        foreach (var row in good)
        {
            void Failed(string field, string message)
            {
                errors.Add(new HotlineRowError(row.Row.Row, row.OrderNumber, field, message));
                results.Add(new HotlineRowResult(row.Row.Row, row.OrderNumber, "failed", null));
                failedRows++;
            }

            if (retired.Contains(row.CategoryCode))
            {
                Failed("category", $"诉求类别“{row.Row.Cell(mapping.CategoryColumn)}”对应的事件小类 {row.CategoryCode} 已停用，请更新对照表“{mapping.Name}”。");
                continue;
            }

            // Looked up within the importer's scope (the context's query filter): an order another subdistrict already
            // handles is never overwritten with this file's data. The hotline numbers orders city-wide, so the same
            // number there is the same order: a second case for it would give the hotline two answers, so the row is refused.
            var existing = await db.Cases
                .SingleOrDefaultAsync(c => c.ExternalSource == ExternalSources.Hotline12345 && c.ExternalNumber == row.OrderNumber, ct);
            if (existing is null && await db.Cases.IgnoreQueryFilters()
                    .AnyAsync(c => c.ExternalSource == ExternalSources.Hotline12345 && c.ExternalNumber == row.OrderNumber, ct))
            {
                Failed("orderNumber", $"工单 {row.OrderNumber} 已由其他街道或社区受理，不在您的管辖范围内，本行未导入。如属改派，请由原受理单位退回或在 12345 平台改派后再导入。");
                continue;
            }

            if (existing is null)
            {
                try
                {
                    var result = await intake.ReportInTransactionAsync(new IntakeCommand(CaseChannel.Hotline12345, row.CategoryCode, null, row.Content,
                        row.Position.X, row.Position.Y, 0, row.Routing.Match?.Subject == OverrideSubject.Building ? row.Routing.Match.Code : null,
                        row.Routing.Match?.Subject == OverrideSubject.Compound ? row.Routing.Match.Code : null, row.Address, null, row.CallerName, row.Phone, [],
                        importedBy, ExternalSource: ExternalSources.Hotline12345, ExternalNumber: row.OrderNumber), db, ct);
                    created++;
                    stored.Add(new HotlineRowResult(row.Row.Row, row.OrderNumber, "created", result.Case.Number));
                }
                catch (IntakeRefusedException e)
                {
                    // Checked beforehand, so only a change in between (a moved grid) lands here; nothing of the row was added.
                    Failed(e.Field, e.ChineseMessage);
                }

                continue;
            }

            var descriptionChanged = row.Content != existing.Description;
            var phoneChanged = row.Phone is not null && row.Phone != existing.ReporterPhone;
            if (!descriptionChanged && !phoneChanged)
            {
                unchanged++;
                stored.Add(new HotlineRowResult(row.Row.Row, row.OrderNumber, "unchanged", existing.Number));
                continue;
            }

            existing.RecordExternalUpdate(Actor.System, existing.Version, time.GetUtcNow(), ExternalSources.Hotline12345,
                row.OrderNumber, row.Content, row.Phone);
            await db.SaveChangesAsync(ct);
            updated++;
            stored.Add(new HotlineRowResult(row.Row.Row, row.OrderNumber, "updated", existing.Number));
        }

        if (errors.Count > 0 && !partial)
        {
            // A row failed while storing: the rows before it are rolled back with it.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new HotlineImportReport(mapping.Name, rows.Count, 0, 0, 0, failedRows, false, [.. results.OrderBy(r => r.Row)], errors);
        }

        await transaction.CommitAsync(ct);
        results.AddRange(stored);
        return new HotlineImportReport(mapping.Name, rows.Count, created, updated, unchanged, failedRows, created + updated > 0,
            [.. results.OrderBy(r => r.Row)], errors);
    }

    /// <summary>Test seam: runs after every row was checked, before anything is stored (where a category may be retired).</summary>
    internal Func<Task>? BeforeStoring { get; set; }

    /// <summary>
    /// Of <paramref name="codes"/>, those not active now, read inside the import's transaction. On PostgreSQL the active
    /// ones are locked FOR SHARE until the commit, so retiring one waits for the import; SQLite's transaction already
    /// holds the database's write lock.
    /// </summary>
    private static async Task<HashSet<string>> RetiredCategoriesAsync(CivicGridDbContext db, List<string> codes, CancellationToken ct)
    {
        if (codes.Count == 0)
        {
            return [];
        }

        var active = db.Database.IsNpgsql()
            ? await db.Database.SqlQuery<string>(
                $"""SELECT "Code" AS "Value" FROM case_categories WHERE "Code" = ANY({codes.ToArray()}) AND "IsActive" FOR SHARE""").ToListAsync(ct)
            : await db.CaseCategories.IgnoreQueryFilters().Where(c => codes.Contains(c.Code) && c.IsActive).Select(c => c.Code).ToListAsync(ct);
        return [.. codes.Except(active, StringComparer.Ordinal)];
    }

    private async Task<CheckedRow?> CheckAsync(HotlineRow row, HotlineMapping mapping, HashSet<string> seen, List<HotlineRowError> errors,
        CivicGridDbContext db, CancellationToken ct)
    {
        var order = row.Cell(mapping.OrderNumberColumn);
        void Fail(string field, string message) => errors.Add(new HotlineRowError(row.Row, order.Length > 0 ? order : null, field, message));

        if (order.Length is 0 or > 64)
        {
            Fail("orderNumber", $"缺少工单编号（“{mapping.OrderNumberColumn}”列），或超过 64 个字符。");
        }
        else if (!seen.Add(order))
        {
            Fail("orderNumber", $"工单编号 {order} 在文件中重复出现。");
        }

        var content = row.Cell(mapping.ContentColumn);
        if (content.Length is 0 or > 4000)
        {
            Fail("content", $"缺少诉求内容（“{mapping.ContentColumn}”列），或超过 4000 字。");
        }

        var categoryText = row.Cell(mapping.CategoryColumn);
        var code = mapping.Categories.GetValueOrDefault(categoryText) ?? mapping.DefaultCategoryCode;
        if (code is null || await categories.FindAsync(code, ct) is not { IsActive: true })
        {
            Fail("category", $"诉求类别“{categoryText}”没有对应的事件小类，请在对照表“{mapping.Name}”中补充。");
        }

        var phoneText = row.Cell(mapping.PhoneColumn);
        var phone = phoneText.Length == 0 ? null : new string([.. phoneText.Where(char.IsAsciiDigit)]);
        if (phone is not null && phone.Length is < 7 or > 20)
        {
            Fail("phone", $"联系电话“{phoneText}”格式不正确。");
        }

        var address = row.Cell(mapping.AddressColumn);
        RoutingAnswer? routing = null;
        Point? position = null;
        if (address.Length is 0 or > 300)
        {
            Fail("address", $"缺少诉求地址（“{mapping.AddressColumn}”列），或超过 300 字。");
        }
        else
        {
            var snapshot = await geography.GetAsync(ct);
            routing = Router.Route(snapshot, 0, 0, 0, address: address);
            position = routing.Match is { } match ? await PositionOfAsync(match, db, ct) : null;
            if (position is null)
            {
                Fail("address", $"无法根据诉求地址“{address}”确定所属网格，请补充小区、楼栋或门牌号。");
            }
        }

        var caller = row.Cell(mapping.CallerNameColumn);
        return errors.Count > 0 ? null
            : new CheckedRow(row, order, content, address, code!, caller.Length == 0 ? null : caller[..Math.Min(caller.Length, 50)], phone, routing!, position!);
    }

    /// <summary>Where a matched building stands, or a point inside a matched compound; WGS-84.</summary>
    private static async Task<Point?> PositionOfAsync(KnownAddress match, CivicGridDbContext db, CancellationToken ct) => match.Subject switch
    {
        OverrideSubject.Building => await db.Buildings.IgnoreQueryFilters().Where(b => b.Code == match.Code).Select(b => b.Location).SingleOrDefaultAsync(ct),
        OverrideSubject.Compound => (await db.Compounds.IgnoreQueryFilters().Where(c => c.Code == match.Code).Select(c => c.Boundary).SingleOrDefaultAsync(ct))
            ?.InteriorPoint,
        _ => null,
    };
}
