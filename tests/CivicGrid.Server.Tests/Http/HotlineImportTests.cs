using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// 12345 work-order files over real HTTP with the seeded column mapping: an Excel file imports once and re-imports
/// without duplicates (a changed order updates its case), a GB18030 CSV reads, a bad row stores nothing unless the
/// good rows are asked for, and files that cannot be read are refused.
/// </summary>
public abstract class HotlineImportTests(CivicGridApp app)
{
    private static readonly string[] Header = ["工单编号", "来电时间", "来电人", "联系电话", "诉求地址", "诉求内容", "诉求类别"];

    [Fact]
    public async Task ExcelFile_ImportsOnce_AndReImportsWithoutDuplicates()
    {
        var addresses = await AddressesAsync(2);
        var orders = new[] { NewOrder(), NewOrder() };
        var rows = new List<string[]>
        {
            new[] { orders[0], "2026-11-27 09:12:00", "张先生", "13812345678", addresses[0], "楼下井盖破损，夜里有人踩空。", "井盖" },
            new[] { orders[1], "2026-11-27 09:30:00", "李女士", "13987654321", addresses[1], "路灯一周没亮。", "路灯不亮" },
        };
        using var ops = await app.ClientForAsync("ops");

        var first = await JsonAsync(await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK));
        Assert.Equal(2, first.GetProperty("created").GetInt32());
        var again = await JsonAsync(await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK));
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());

        rows[0][5] = "楼下井盖破损，夜里有人踩空。来电人补充：已有老人摔伤。";
        var changed = await JsonAsync(await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK));
        Assert.Equal(1, changed.GetProperty("updated").GetInt32());
        Assert.Equal(1, changed.GetProperty("unchanged").GetInt32());

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.ExternalSource == ExternalSources.Hotline12345 && orders.Contains(c.ExternalNumber!)).ToListAsync(Ct));
        Assert.Equal(2, stored.Count);
        Assert.All(stored, c => Assert.Equal(CaseChannel.Hotline12345, c.Channel));
        var updated = stored.Single(c => c.ExternalNumber == orders[0]);
        Assert.Equal("C0101", updated.CategoryCode);
        Assert.Equal(rows[0][5], updated.Description);
        Assert.Equal("13812345678", updated.ReporterPhone);
        Assert.Equal(["report", "external-update"], updated.Timeline.Select(e => e.Action));
        Assert.Null(updated.VerifyTimeline());

        // Staff see the caller's phone masked, as for any report.
        var detail = await JsonAsync(await ops.GetAsync(new Uri($"/api/cases/{updated.Number}", UriKind.Relative), Ct));
        Assert.Equal("138****5678", detail.GetProperty("reporterPhone").GetString());

        // The export gives each order back with our case number, status and reply; another subdistrict sees none of them.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var excel = await ops.GetAsync(new Uri($"/api/hotline/export.xlsx?from={today}&to={today}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, excel.StatusCode);
        await using var sheet = await excel.Content.ReadAsStreamAsync(Ct);
        var exported = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var back = exported.Single(r => (string?)r["工单编号"] == orders[0]);
        Assert.Equal(updated.Number, back["案件编号"]);
        Assert.False(string.IsNullOrWhiteSpace(back["办理状态"] as string));
        var csv = await ops.GetStringAsync(new Uri($"/api/hotline/export.csv?from={today}&to={today}", UriKind.Relative), Ct);
        Assert.StartsWith("工单编号,案件编号,办理状态", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains($"{orders[1]},{stored.Single(c => c.ExternalNumber == orders[1]).Number},", csv, StringComparison.Ordinal);
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain(orders[0], await neighbour.GetStringAsync(new Uri($"/api/hotline/export.csv?from={today}&to={today}", UriKind.Relative), Ct),
            StringComparison.Ordinal);
    }

    /// <summary>
    /// Security review (issue 21): a re-import looked orders up across every scope and overwrote another subdistrict's case
    /// with the importer's data. Now the order is looked up in the importer's scope; the same order number handled
    /// elsewhere is refused with a Chinese reason (a second case would give the hotline two answers for one order).
    /// </summary>
    [Fact]
    public async Task ReImport_OfAnOrderAnotherSubdistrictHandles_IsRefused_AndLeavesTheirCaseAsItWas()
    {
        var addresses = await AddressesAsync(2);
        var order = NewOrder();
        var own = NewOrder();
        var rows = new List<string[]> { new[] { order, "2026-11-27 09:12:00", "张先生", "13812345678", addresses[0], "楼道灯不亮。", "路灯不亮" } };
        using var ops = await app.ClientForAsync("ops");
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.Equal(1, (await JsonAsync(await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK))).GetProperty("created").GetInt32());

        var forged = new List<string[]>
        {
            new[] { order, "2026-11-27 10:00:00", "王某", "13900000000", addresses[0], "已处理完毕，请结案。", "路灯不亮" },
            new[] { own, "2026-11-27 10:05:00", "刘女士", "13900000001", addresses[1], "路灯不亮。", "路灯不亮" },
        };
        var refused = await JsonAsync(await ImportAsync(neighbour, Excel(forged), "orders.xlsx", HttpStatusCode.UnprocessableEntity));
        var partial = await JsonAsync(await ImportAsync(neighbour, Excel(forged), "orders.xlsx", HttpStatusCode.OK, partial: true));

        var error = Assert.Single(refused.GetProperty("report").GetProperty("errors").EnumerateArray());
        Assert.Equal("orderNumber", error.GetProperty("field").GetString());
        Assert.Contains("不在您的管辖范围内", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, partial.GetProperty("failed").GetInt32());
        Assert.Equal(0, partial.GetProperty("updated").GetInt32());
        Assert.Equal(1, partial.GetProperty("created").GetInt32());
        var theirs = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(c => c.ExternalSource == ExternalSources.Hotline12345 && c.ExternalNumber == order, Ct));
        Assert.Equal("楼道灯不亮。", theirs.Description);
        Assert.Equal("13812345678", theirs.ReporterPhone);
        Assert.Equal(["report"], theirs.Timeline.Select(e => e.Action));
        Assert.Equal(1, await CountAsync([order]));
    }

    [Fact]
    public async Task Gb18030Csv_IsRead()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var address = (await AddressesAsync(1))[0];
        var order = NewOrder();
        var csv = string.Join("\r\n", string.Join(",", Header),
            $"{order},2026-11-27 10:00,王大爷,029-87654321,\"{address}\",\"小区门口堆满建筑垃圾，影响通行\",暴露垃圾") + "\r\n";
        using var ops = await app.ClientForAsync("ops");

        var report = await JsonAsync(await ImportAsync(ops, Encoding.GetEncoding("GB18030").GetBytes(csv), "orders.csv", HttpStatusCode.OK));

        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.ExternalNumber == order, Ct));
        Assert.Equal("小区门口堆满建筑垃圾，影响通行", stored.Description);
        Assert.Equal("E0101", stored.CategoryCode);
        Assert.Equal("02987654321", stored.ReporterPhone);
    }

    [Fact]
    public async Task Exports_OfAnOrderThatLooksLikeAFormula_NeutraliseItInCsv_AndWriteItAsTextInExcel()
    {
        var order = "=HYPERLINK(\"http://evil.example\")" + Guid.NewGuid().ToString("N")[..8];
        var rows = new List<string[]> { new[] { order, "2026-11-27 09:12:00", "孙先生", "13812345671", (await AddressesAsync(1))[0], "小区垃圾满溢。", "暴露垃圾" } };
        using var ops = await app.ClientForAsync("ops");
        await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK);
        var number = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.ExternalNumber == order).Select(c => c.Number).SingleAsync(Ct));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var csv = await ops.GetStringAsync(new Uri($"/api/hotline/export.csv?from={today}&to={today}", UriKind.Relative), Ct);
        var excel = await ops.GetByteArrayAsync(new Uri($"/api/hotline/export.xlsx?from={today}&to={today}", UriKind.Relative), Ct);

        // CSV: an apostrophe in front, then quoted (the value holds quotes); a spreadsheet opens it as text.
        Assert.Contains($"\"'{order.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{number},", csv, StringComparison.Ordinal);
        Assert.DoesNotContain($"\n{order}", csv, StringComparison.Ordinal);
        // Excel: a typed string cell, no formula element anywhere in the sheet; the value reads back unchanged.
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(excel));
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            Assert.DoesNotContain("<f>", await reader.ReadToEndAsync(Ct), StringComparison.Ordinal);
        }

        var back = new MemoryStream(excel).Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().Single(r => (string?)r["案件编号"] == number);
        Assert.Equal(order, back["工单编号"]);
    }

    [Fact]
    public async Task CsvExport_InGb18030_WhenAsked_ForOlderHotlineSoftware()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var order = NewOrder();
        var rows = new List<string[]> { new[] { order, "2026-11-27 09:12:00", "孙先生", "13812345671", (await AddressesAsync(1))[0], "小区垃圾满溢，气味很大。", "暴露垃圾" } };
        using var ops = await app.ClientForAsync("ops");
        await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK);
        var number = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.ExternalNumber == order).Select(c => c.Number).SingleAsync(Ct));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var gb = await ops.GetAsync(new Uri($"/api/hotline/export.csv?from={today}&to={today}&encoding=gb18030", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, gb.StatusCode);
        Assert.Equal("gb18030", gb.Content.Headers.ContentType?.CharSet);
        var bytes = await gb.Content.ReadAsByteArrayAsync(Ct);
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "a GB18030 file has no UTF-8 BOM");
        Assert.Equal(Encoding.GetEncoding("GB18030").GetBytes("工单编号,案件编号,办理状态"), bytes[..Encoding.GetEncoding("GB18030").GetByteCount("工单编号,案件编号,办理状态")]);
        Assert.Contains($"{order},{number},", Encoding.GetEncoding("GB18030").GetString(bytes), StringComparison.Ordinal);

        // The default stays UTF-8 with a BOM; another encoding is a 400 naming the parameter.
        var utf8 = await ops.GetByteArrayAsync(new Uri($"/api/hotline/export.csv?from={today}&to={today}", UriKind.Relative), Ct);
        Assert.True(utf8.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()));
        var bad = await ops.GetAsync(new Uri("/api/hotline/export.csv?encoding=big5", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await JsonAsync(bad)).GetProperty("errors").TryGetProperty("encoding", out _));
    }

    [Fact]
    public async Task BadRow_StoresNothingByDefault_AndOnlyTheGoodRowsWhenPartial()
    {
        var addresses = await AddressesAsync(2);
        var orders = new[] { NewOrder(), NewOrder(), NewOrder() };
        var rows = new List<string[]>
        {
            new[] { orders[0], "2026-11-27 09:12:00", "张先生", "13812345678", addresses[0], "井盖松动。", "井盖" },
            new[] { orders[1], "2026-11-27 09:13:00", "赵先生", "13812345679", "火星路1号", "路灯不亮。", "路灯" },
            new[] { orders[2], "2026-11-27 09:14:00", "钱女士", "13812345670", addresses[1], "路面有洞。", "没有这个类别" },
        };
        using var ops = await app.ClientForAsync("ops");

        var refused = await JsonAsync(await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.UnprocessableEntity));
        var errors = refused.GetProperty("report").GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([(3, "address"), (4, "category")], errors.Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString())));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        Assert.Equal(0, await CountAsync(orders));

        var partial = await JsonAsync(await ImportAsync(ops, Excel(rows), "orders.xlsx", HttpStatusCode.OK, partial: true));
        Assert.Equal(1, partial.GetProperty("created").GetInt32());
        Assert.Equal(2, partial.GetProperty("failed").GetInt32());
        Assert.Equal(1, await CountAsync(orders));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CategoryRetiredAfterTheCheck_FailsItsRows_AndAllOrNothingStoresNothing(bool partial)
    {
        var code = await NewCategoryAsync();
        var addresses = await AddressesAsync(2);
        var orders = new[] { NewOrder(), NewOrder() };
        var mapping = Features.Hotline.HotlineMapping.Default();
        mapping.Categories["临时停用类别"] = code;
        List<Features.Hotline.HotlineRow> rows =
        [
            Row(2, [orders[0], "2026-11-27 09:12:00", "张先生", "13812345678", addresses[0], "井盖松动。", "井盖"]),
            Row(3, [orders[1], "2026-11-27 09:13:00", "赵先生", "13812345679", addresses[1], "临时类别的问题。", "临时停用类别"]),
        ];
        using var admin = await app.ClientForAsync("admin");
        var importedBy = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "ops").Select(u => u.Id).SingleAsync(Ct));
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<Features.Hotline.HotlineImporter>();
        var db = scope.ServiceProvider.GetRequiredService<Server.Infrastructure.Persistence.CivicGridDbContext>();

        // Every row passed the check; then the system admin retires the category before the rows are stored.
        importer.BeforeStoring = async () =>
        {
            var retired = await admin.PutAsJsonAsync($"/api/categories/{code}", new
            {
                name = "临时类别", majorCode = "E01", majorName = "市容环境", defaultTier = "green", timeLimit = 2, timeLimitUnit = "working-days", isActive = false,
            }, Ct);
            Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        };
        var report = await importer.ImportAsync(rows, mapping, partial, importedBy, db, Ct);

        var error = Assert.Single(report.Errors);
        Assert.Equal((3, "category"), (error.Row, error.Field));
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.Failed);
        Assert.Equal(partial, report.Stored);
        Assert.Equal(partial ? 1 : 0, report.Created);
        Assert.Equal(partial ? 1 : 0, await CountAsync(orders));
        Assert.Equal(0, await CountAsync([orders[1]]));
    }

    [Fact]
    public async Task UnreadableFiles_AreRefused_AndOnlyTheOperationsCentreImports()
    {
        using var ops = await app.ClientForAsync("ops");
        var broken = await JsonAsync(await ImportAsync(ops, [(byte)'P', (byte)'K', 3, 4, 1, 2, 3], "orders.xlsx", HttpStatusCode.BadRequest));
        Assert.Equal("/problems/hotline-file", broken.GetProperty("type").GetString());
        var noColumns = await JsonAsync(await ImportAsync(ops, Encoding.UTF8.GetBytes("编号,内容\r\n1,井盖\r\n"), "orders.csv", HttpStatusCode.BadRequest));
        Assert.Contains("诉求地址", noColumns.GetProperty("missingColumns").EnumerateArray().Select(c => c.GetString()));
        await ImportAsync(ops, Encoding.UTF8.GetBytes(string.Join(",", Header) + "\r\n\"GD1,未闭合"), "orders.csv", HttpStatusCode.BadRequest);

        using var worker = await app.ClientForAsync("worker01");
        await ImportAsync(worker, Excel([]), "orders.xlsx", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task StoredMapping_EditedByTheSystemAdmin_ReadsAnotherHotlinesColumns()
    {
        var name = CivicGridApp.UniqueName("alt");
        var mapping = new
        {
            orderNumberColumn = "受理编号", calledAtColumn = "受理时间", callerNameColumn = "姓名", phoneColumn = "电话", addressColumn = "事发地址",
            contentColumn = "问题描述", categoryColumn = "问题分类", categories = new Dictionary<string, string> { ["市容环境"] = "E0103" },
            defaultCategoryCode = (string?)null,
        };
        using var admin = await app.ClientForAsync("admin");
        using var ops = await app.ClientForAsync("ops");
        Assert.Equal(HttpStatusCode.Forbidden, (await ops.PutAsJsonAsync($"/api/hotline/mappings/{name}", mapping, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/hotline/mappings/{name}",
            mapping with { categories = new Dictionary<string, string> { ["市容环境"] = "Z9999" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/hotline/mappings/{name}", mapping, Ct)).StatusCode);
        var listed = await JsonAsync(await ops.GetAsync(new Uri("/api/hotline/mappings", UriKind.Relative), Ct));
        Assert.Contains(listed.EnumerateArray(), m => m.GetProperty("name").GetString() == "default");

        var order = NewOrder();
        var csv = $"受理编号,受理时间,姓名,电话,事发地址,问题描述,问题分类\r\n{order},2026-11-27 11:00,周女士,13700001111,{(await AddressesAsync(1))[0]},人行道很脏,市容环境\r\n";
        var report = await JsonAsync(await ImportAsync(ops, Encoding.UTF8.GetBytes(csv), "alt.csv", HttpStatusCode.OK, mapping: name));
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        Assert.Equal("E0103", await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.ExternalNumber == order).Select(c => c.CategoryCode)
            .SingleAsync(Ct)));
    }

    private static Features.Hotline.HotlineRow Row(int row, string[] cells) =>
        new(row, Header.Select((h, i) => (h, cells[i])).ToDictionary(c => c.h, c => c.Item2));

    /// <summary>A new active subcategory of E01 that no other test uses (retiring a shared one would disturb them).</summary>
    private async Task<string> NewCategoryAsync()
    {
        using var admin = await app.ClientForAsync("admin");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var code = "E01" + Random.Shared.Next(10, 50).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var created = await admin.PostAsJsonAsync("/api/categories", new
            {
                code, name = "临时类别", majorCode = "E01", majorName = "市容环境", defaultTier = "green", timeLimit = 2, timeLimitUnit = "working-days",
                responsibleDepartmentCode = "dept-urban", acceptanceCondition = "有位置", closingCondition = "已处置", photoRequired = false,
            }, Ct);
            if (created.StatusCode == HttpStatusCode.Created)
            {
                return code;
            }
        }

        throw new InvalidOperationException("no free category code E0110–E0149");
    }

    private static string NewOrder() => "GD" + Guid.NewGuid().ToString("N")[..14].ToUpperInvariant();

    private static byte[] Excel(List<string[]> rows)
    {
        var sheet = rows.Select(r => Header.Select((h, i) => (h, r[i])).ToDictionary(c => c.h, c => (object)c.Item2)).ToList();
        if (sheet.Count == 0)
        {
            sheet.Add(Header.ToDictionary(h => h, _ => (object)string.Empty));
        }

        using var stream = new MemoryStream();
        stream.SaveAs(sheet, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] file, string fileName, HttpStatusCode expected, bool partial = false,
        string mapping = "default")
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(file), "file", fileName);
        var response = await client.PostAsync(new Uri($"/api/hotline/imports?mapping={mapping}&partial={(partial ? "true" : "false")}", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        return response;
    }

    /// <summary>Addresses of buildings in territorial grids of the main subdistrict, a different set on each call.</summary>
    private async Task<List<string>> AddressesAsync(int count)
    {
        var skip = Interlocked.Add(ref _nextAddress, count) * 7;
        return await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.GridCode.StartsWith("610103099") && db.Grids.IgnoreQueryFilters().Any(g => g.Code == b.GridCode && g.Kind == GridKind.Territorial))
            .OrderBy(b => b.Code).Skip(skip).Take(count)
            .Select(b => b.Address).ToListAsync(Ct));
    }

    private Task<int> CountAsync(string[] orders) =>
        app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => orders.Contains(c.ExternalNumber!), Ct));

    private static int _nextAddress;
}

public sealed class HotlineImportTestsOnSqlite(SqliteApp app) : HotlineImportTests(app), IClassFixture<SqliteApp>;

public sealed class HotlineImportTestsOnPostgres(PostgresApp app) : HotlineImportTests(app), IClassFixture<PostgresApp>;
