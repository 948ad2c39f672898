using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Households;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The household register over real HTTP on each provider: creating and changing households and residents, every refusal
/// (bad ID check digit, a room not in the building, a duplicate, another scope, a role that may not keep), what each role
/// sees in the list, the detail, the export and the search, reveals with a reason and their audit, the Excel import, the
/// residents' fields sealed at rest (read from the raw column) and key rotation.
/// </summary>
public abstract class HouseholdTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    /// <summary>A building under <paramref name="scopeCode"/> without demo households, so any room of its register is free.</summary>
    private Task<Building> EmptyBuildingAsync(string scopeCode) => app.WithDatabaseAsync(async db =>
    {
        var used = await db.Households.IgnoreQueryFilters().Select(h => h.BuildingCode).Distinct().ToListAsync(Ct);
        var taken = used.ToHashSet();
        var buildings = await db.Buildings.IgnoreQueryFilters().Where(b => b.GridCode.StartsWith(scopeCode)).OrderBy(b => b.Code).ToListAsync(Ct);
        return buildings.First(b => !taken.Contains(b.Code) && b.Floors >= 3);
    });

    private Task<string> ScopeOfAsync(string userName) =>
        app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == userName).Select(u => u.ScopeCode).SingleAsync(Ct));

    internal static string ValidId(int year, int sequence)
    {
        var first17 = $"610103{year}0101{sequence % 1000:D3}";
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, string buildingCode, string room, string name, string? id, string? phone, string occupancy = "rented",
        object[]? care = null) =>
        await OkAsync(await client.PostAsJsonAsync("/api/households", new
        {
            buildingCode, unit = 1, room, occupancy, notes = "测试",
            residents = new[] { new { name, idNumber = id, phone, care = care ?? [] } },
        }, Ct), HttpStatusCode.Created);

    [Fact]
    public async Task Create_MasksTheResident_AndSealsNameIdAndPhoneAtRest()
    {
        var building = await EmptyBuildingAsync(await ScopeOfAsync("community01"));
        using var staff = await app.ClientForAsync("community01");
        var name = "欧阳" + Guid.NewGuid().ToString("N")[..4];
        var id = ValidId(1948, 123);
        var created = await CreateAsync(staff, building.Code, "101", name, id, "13912345678", "owner-occupied",
            [new { kind = "living-alone-elderly", basis = "社区走访核实" }]);

        var resident = created.GetProperty("residents")[0];
        Assert.Equal(name[..1] + new string('*', name.Length - 1), resident.GetProperty("name").GetString());
        Assert.Equal("610***********" + id[^4..], resident.GetProperty("idNumber").GetString());
        Assert.Equal("139****5678", resident.GetProperty("phone").GetString());
        Assert.InRange(resident.GetProperty("age").GetInt32(), 77, 80);
        Assert.Equal("living-alone-elderly", resident.GetProperty("care")[0].GetProperty("kind").GetString());
        Assert.Equal(["living-alone-elderly"], created.GetProperty("careKinds").EnumerateArray().Select(k => k.GetString()));

        // At rest: the raw columns hold key-id-prefixed ciphertext, never the name, the ID number or the phone.
        var raw = await app.WithDatabaseAsync(db => db.Database
            .SqlQueryRaw<string>("SELECT \"SealedName\" || ' ' || COALESCE(\"SealedIdNumber\", '') || ' ' || COALESCE(\"SealedPhone\", '') || ' ' || \"NameIndex\" AS \"Value\" FROM residents")
            .ToListAsync(Ct));
        Assert.NotEmpty(raw);
        Assert.DoesNotContain(raw, r => r.Contains(name, StringComparison.Ordinal) || r.Contains(id, StringComparison.Ordinal) || r.Contains("13912345678", StringComparison.Ordinal));
        Assert.All(raw, r => Assert.Matches("^[0-9]{4}:", r));
    }

    [Fact]
    public async Task Create_Refusals_AreChineseProblems_AndStoreNothing()
    {
        var scope = await ScopeOfAsync("community01");
        var building = await EmptyBuildingAsync(scope);
        using var staff = await app.ClientForAsync("community01");
        var before = await app.WithDatabaseAsync(db => db.Households.IgnoreQueryFilters().CountAsync(Ct));

        var badId = await ProblemAsync(await staff.PostAsJsonAsync("/api/households", new
        {
            buildingCode = building.Code, unit = 1, room = "101", occupancy = "rented",
            residents = new[] { new { name = "张三", idNumber = "610103195803120017", phone = "12345" } },
        }, Ct), HttpStatusCode.BadRequest);
        var errors = badId.GetProperty("errors");
        Assert.Contains("校验位", errors.GetProperty("residents[0].idNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("手机号", errors.GetProperty("residents[0].phone")[0].GetString(), StringComparison.Ordinal);

        var layout = BuildingRooms.Of(building.Floors, building.Households);
        var noRoom = await ProblemAsync(await staff.PostAsJsonAsync("/api/households",
            new { buildingCode = building.Code, unit = 1, room = $"{layout.Floors + 1}01", occupancy = "vacant" }, Ct),
            HttpStatusCode.UnprocessableEntity, HouseholdsApi.RoomType);
        Assert.Contains($"共 {layout.Floors} 层", noRoom.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/households",
            new { buildingCode = building.Code, unit = layout.Units + 1, room = "101", occupancy = "vacant" }, Ct), HttpStatusCode.UnprocessableEntity, HouseholdsApi.RoomType);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/households", new { buildingCode = building.Code, unit = 1, room = "101", occupancy = "sold" }, Ct),
            HttpStatusCode.BadRequest);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/households", new
        {
            buildingCode = building.Code, unit = 1, room = "101", occupancy = "rented",
            residents = new[] { new { name = "李四", care = new[] { new { kind = "disabled", basis = "" } } } },
        }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.WithDatabaseAsync(db => db.Households.IgnoreQueryFilters().CountAsync(Ct)));

        await OkAsync(await staff.PostAsJsonAsync("/api/households", new { buildingCode = building.Code, unit = 1, room = "102", occupancy = "vacant" }, Ct),
            HttpStatusCode.Created);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/households", new { buildingCode = building.Code, unit = 1, room = "102", occupancy = "rented" }, Ct),
            HttpStatusCode.Conflict, HouseholdsApi.DuplicateType);

        // Another subdistrict's operator cannot see the building; a volunteer and the property company keep nothing.
        using var east = await app.ClientForAsync("ops-east");
        await ProblemAsync(await east.PostAsJsonAsync("/api/households", new { buildingCode = building.Code, unit = 1, room = "201", occupancy = "vacant" }, Ct),
            HttpStatusCode.NotFound);
        foreach (var user in new[] { "micro01", "property01", "leader01", "police01" })
        {
            using var client = await app.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden,
                (await client.PostAsJsonAsync("/api/households", new { buildingCode = building.Code, unit = 1, room = "201", occupancy = "vacant" }, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task UpdateHousehold_AndResidents_ChangeWhatTheCommunityKeeps()
    {
        var building = await EmptyBuildingAsync(await ScopeOfAsync("community01"));
        using var staff = await app.ClientForAsync("community01");
        var created = await CreateAsync(staff, building.Code, "201", "陈一", null, null);
        var id = created.GetProperty("id").GetString();

        var updated = await OkAsync(await staff.PutAsJsonAsync($"/api/households/{id}", new { occupancy = "owner-occupied", notes = "房主已搬回" }, Ct));
        Assert.Equal("owner-occupied", updated.GetProperty("occupancy").GetString());
        var added = await OkAsync(await staff.PostAsJsonAsync($"/api/households/{id}/residents",
            new { name = "陈二", idNumber = ValidId(1990, 7), care = new[] { new { kind = "low-income", basis = "民政低保名单" } } }, Ct));
        Assert.Equal(2, added.GetProperty("residentCount").GetInt32());
        var second = added.GetProperty("residents")[1].GetProperty("id").GetString();
        await ProblemAsync(await staff.PutAsJsonAsync($"/api/households/{id}/residents/{second}", new { name = "陈二", idNumber = "610103199001010070" }, Ct),
            HttpStatusCode.BadRequest);
        var changed = await OkAsync(await staff.PutAsJsonAsync($"/api/households/{id}/residents/{second}", new { name = "陈三", phone = "13700001111" }, Ct));
        Assert.Equal("陈*", changed.GetProperty("residents")[1].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("residents")[1].GetProperty("idNumber").ValueKind);
        Assert.Empty(changed.GetProperty("careKinds").EnumerateArray());
        var removed = await OkAsync(await staff.DeleteAsync($"/api/households/{id}/residents/{second}", Ct));
        Assert.Equal(1, removed.GetProperty("residentCount").GetInt32());
        await ProblemAsync(await staff.DeleteAsync($"/api/households/{id}/residents/{second}", Ct), HttpStatusCode.NotFound);

        using var east = await app.ClientForAsync("ops-east");
        await ProblemAsync(await east.GetAsync($"/api/households/{id}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await east.PutAsJsonAsync($"/api/households/{id}", new { occupancy = "vacant" }, Ct), HttpStatusCode.NotFound);
    }

    /// <summary>Each role over the list, the detail, the export and the search of the register.</summary>
    [Theory]
    [InlineData("community01", HouseholdView.Masked)]
    [InlineData("ops", HouseholdView.Masked)]
    [InlineData("property01", HouseholdView.WithoutIdNumbers)]
    [InlineData("leader01", HouseholdView.WithoutIdNumbers)]
    [InlineData("micro01", HouseholdView.RoomsOnly)]
    [InlineData("police01", HouseholdView.RoomsOnly)]
    [InlineData("admin", HouseholdView.None)]
    [InlineData("secadmin", HouseholdView.None)]
    [InlineData("auditor", HouseholdView.None)]
    [InlineData("district", HouseholdView.None)]
    [InlineData("resident001", HouseholdView.None)]
    public async Task EachRole_SeesTheRegister_AsItsViewAllows(string userName, HouseholdView view)
    {
        using var client = await app.ClientForAsync(userName);
        var list = await client.GetAsync("/api/households?pageSize=200", Ct);
        var export = await client.GetAsync("/api/households/export.xlsx", Ct);
        if (view == HouseholdView.None)
        {
            await ProblemAsync(list, HttpStatusCode.Forbidden);
            await ProblemAsync(export, HttpStatusCode.Forbidden);
            await ProblemAsync(await client.GetAsync("/api/households?q=张三", Ct), HttpStatusCode.Forbidden);
            return;
        }

        var page = await OkAsync(list);
        Assert.Equal(ApiName(view), page.GetProperty("view").GetString());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var vault = app.Services.GetRequiredService<FieldVault>();
        var scope = await ScopeOfAsync(userName);
        var companyCompounds = await app.WithDatabaseAsync(async db =>
        {
            var company = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == userName).Select(u => u.OrganisationId).SingleAsync(Ct);
            return await db.Compounds.IgnoreQueryFilters().Where(c => c.PropertyCompanyId == company).Select(c => c.Code).ToListAsync(Ct);
        });
        var clear = await app.WithDatabaseAsync(async db => (await db.Residents.IgnoreQueryFilters().ToListAsync(Ct)).Select(r => vault.OpenAll(r)).ToList());
        var clearNames = clear.Select(c => c.Name).ToHashSet();
        var clearIds = clear.Where(c => c.IdNumber is not null).Select(c => c.IdNumber!).ToHashSet();
        foreach (var item in items)
        {
            Assert.StartsWith(scope, item.GetProperty("gridCode").GetString(), StringComparison.Ordinal);
            if (userName == "property01")
            {
                Assert.Contains(item.GetProperty("compoundCode").GetString(), companyCompounds);
            }

            AssertResidents(item, view, clearNames, clearIds);
        }

        var detail = await OkAsync(await client.GetAsync($"/api/households/{items[0].GetProperty("id").GetString()}", Ct));
        AssertResidents(detail, view, clearNames, clearIds);

        // The export: the same masking; no ID column without ID numbers, no person columns for rooms only.
        var bytes = await (await OkAsyncRaw(export)).ReadAsByteArrayAsync(Ct);
        using var stream = new MemoryStream(bytes);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(view == HouseholdView.Masked, rows[0].ContainsKey(HouseholdImport.IdNumberColumn));
        Assert.Equal(view != HouseholdView.RoomsOnly, rows[0].ContainsKey(HouseholdImport.NameColumn));
        var cells = rows.SelectMany(r => r.Values).Select(v => v?.ToString() ?? string.Empty).ToList();
        Assert.DoesNotContain(cells, c => c.Length > 1 && (clearNames.Contains(c) || clearIds.Contains(c)));

        // Search by an exact full name of a resident the caller sees.
        var someone = await app.WithDatabaseAsync(async db =>
        {
            var household = await db.Households.IgnoreQueryFilters().Include(h => h.Residents)
                .Where(h => h.GridCode.StartsWith(scope) && h.Residents.Count > 0 && (userName != "property01" || companyCompounds.Contains(h.CompoundCode!)))
                .OrderBy(h => h.Id).FirstAsync(Ct);
            return (household.Id, vault.OpenAll(household.Residents[0]));
        });
        var search = await client.GetAsync($"/api/households?q={Uri.EscapeDataString(someone.Item2.Name)}", Ct);
        if (view == HouseholdView.RoomsOnly)
        {
            await ProblemAsync(search, HttpStatusCode.Forbidden);
            return;
        }

        var found = (await OkAsync(search)).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(found, f => f.GetProperty("id").GetString() == someone.Id.ToString());
        Assert.All(found, f => AssertResidents(f, view, clearNames, clearIds));
        if (someone.Item2.Phone is { } phone)
        {
            var byPhone = (await OkAsync(await client.GetAsync($"/api/households?q={phone}", Ct))).GetProperty("items").EnumerateArray();
            Assert.Contains(byPhone, f => f.GetProperty("id").GetString() == someone.Id.ToString());
        }
    }

    private static async Task<HttpContent> OkAsyncRaw(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        return response.Content;
    }

    private static string ApiName(HouseholdView view) => view switch
    {
        HouseholdView.Masked => "masked",
        HouseholdView.WithoutIdNumbers => "without-id-numbers",
        HouseholdView.RoomsOnly => "rooms-only",
        _ => "none",
    };

    private static void AssertResidents(JsonElement household, HouseholdView view, HashSet<string> clearNames, HashSet<string> clearIds)
    {
        if (view == HouseholdView.RoomsOnly)
        {
            Assert.Equal(JsonValueKind.Null, household.GetProperty("residents").ValueKind);
            Assert.Equal(JsonValueKind.Null, household.GetProperty("residentCount").ValueKind);
            Assert.Empty(household.GetProperty("careKinds").EnumerateArray());
            return;
        }

        foreach (var r in household.GetProperty("residents").EnumerateArray())
        {
            var name = r.GetProperty("name").GetString()!;
            Assert.True(name.Length == 1 || name.Contains('*', StringComparison.Ordinal), name);
            Assert.DoesNotContain(name, clearNames.Where(n => n.Length > 1));
            var id = r.GetProperty("idNumber");
            if (view == HouseholdView.WithoutIdNumbers)
            {
                Assert.Equal(JsonValueKind.Null, id.ValueKind);
                Assert.Equal(JsonValueKind.Null, r.GetProperty("age").ValueKind);
            }
            else if (id.ValueKind == JsonValueKind.String)
            {
                Assert.Contains("***", id.GetString(), StringComparison.Ordinal);
                Assert.DoesNotContain(id.GetString()!, clearIds);
            }

            if (r.GetProperty("phone").GetString() is { } phone)
            {
                Assert.Contains("****", phone, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Reveal_WithAReason_ShowsTheResidentInFull_AndIsAudited_OthersAreRefusedAndAudited()
    {
        // A demo resident with an ID number in the grid leader's grid, so that the leader sees the household and is refused the reveal.
        var scope = await ScopeOfAsync("leader01");
        var vault = app.Services.GetRequiredService<FieldVault>();
        var (household, resident, clear) = await app.WithDatabaseAsync(async db =>
        {
            var row = await db.Residents.IgnoreQueryFilters().Where(r => r.GridCode.StartsWith(scope) && r.SealedIdNumber != null && r.SealedPhone != null)
                .OrderBy(r => r.Id).FirstAsync(Ct);
            return (row.HouseholdId.ToString(), row.Id.ToString(), vault.OpenAll(row));
        });
        using var staff = await app.ClientForAsync("community01");
        var path = $"/api/households/{household}/residents/{resident}/personal-data";

        await ProblemAsync(await staff.PostAsJsonAsync(path, new { reason = "" }, Ct), HttpStatusCode.BadRequest);
        var revealed = await OkAsync(await staff.PostAsJsonAsync(path, new { reason = "核实低保申请" }, Ct));
        Assert.Equal(clear.Name, revealed.GetProperty("name").GetString());
        Assert.Equal(clear.IdNumber, revealed.GetProperty("idNumber").GetString());
        Assert.Equal(clear.Phone, revealed.GetProperty("phone").GetString());

        using var leader = await app.ClientForAsync("leader01");
        await ProblemAsync(await leader.PostAsJsonAsync(path, new { reason = "想看看" }, Ct), HttpStatusCode.Forbidden);
        using var micro = await app.ClientForAsync("micro01");
        Assert.Equal(HttpStatusCode.Forbidden, (await micro.PostAsJsonAsync(path, new { reason = "想看看" }, Ct)).StatusCode);
        using var east = await app.ClientForAsync("ops-east");
        await ProblemAsync(await east.PostAsJsonAsync(path, new { reason = "核实" }, Ct), HttpStatusCode.NotFound);

        var events = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().AsNoTracking().Where(e => e.SubjectId == resident).OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal([SecurityEventKind.PersonalDataRevealed, SecurityEventKind.PersonalDataRefused, SecurityEventKind.PersonalDataRefused], events.Select(e => e.Kind));
        Assert.Contains("核实低保申请", events[0].Detail, StringComparison.Ordinal);
        Assert.Equal("community01", events[0].ActorName);
        Assert.Equal(["community01", "leader01", "micro01"], events.Select(e => e.ActorName));
        Assert.DoesNotContain(events, e => e.Detail.Contains(clear.IdNumber!, StringComparison.Ordinal) || e.Detail.Contains(clear.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_WithBadRows_ListsEveryRowsErrors_AndStoresNothing_UnlessPartial()
    {
        var building = await EmptyBuildingAsync(await ScopeOfAsync("community01"));
        using var staff = await app.ClientForAsync("community01");
        var template = await staff.GetAsync("/api/households/import-template.xlsx", Ct);
        Assert.True(template.IsSuccessStatusCode);

        var rows = new[]
        {
            Row(building.Code, "1", "101", "出租", "孙一", ValidId(1980, 11), "13500001111", "", ""),
            Row(building.Code, "1", "101", "出租", "孙二", "", "", "", ""),
            Row(building.Code, "1", "102", "自住", "周三", "610103195803120017", "", "", ""),
            Row(building.Code, "1", "9901", "自住", "吴四", "", "", "", ""),
            Row(building.Code, "1", "201", "自住", "郑五", "", "", "独居老人", ""),
            Row(building.Code, "1", "202", "空置", "", "", "", "", ""),
        };
        var refused = await ProblemAsync(await PostFileAsync(staff, rows, partial: false), HttpStatusCode.UnprocessableEntity, HouseholdImport.RowsType);
        var errors = refused.GetProperty("report").GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([4, 5, 6], errors.Select(e => e.GetProperty("row").GetInt32()).Distinct().Order());
        Assert.Contains(errors, e => e.GetProperty("column").GetString() == HouseholdImport.IdNumberColumn && e.GetProperty("message").GetString()!.Contains("校验位", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.GetProperty("column").GetString() == HouseholdImport.RoomColumn);
        Assert.Contains(errors, e => e.GetProperty("column").GetString() == HouseholdImport.CareColumn);
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.Households.IgnoreQueryFilters().CountAsync(h => h.BuildingCode == building.Code, Ct)));

        var report = await OkAsync(await PostFileAsync(staff, rows, partial: true));
        Assert.Equal(2, report.GetProperty("householdsCreated").GetInt32());
        Assert.Equal(2, report.GetProperty("residentsAdded").GetInt32());
        Assert.Equal(3, report.GetProperty("failed").GetInt32());
        var again = await OkAsync(await PostFileAsync(staff, rows[..2], partial: false));
        Assert.Equal(2, again.GetProperty("residentsUnchanged").GetInt32());
        Assert.Equal(1, again.GetProperty("householdsUpdated").GetInt32());
        var stored = await OkAsync(await staff.GetAsync($"/api/households?building={building.Code}", Ct));
        Assert.Equal(2, stored.GetProperty("total").GetInt32());
        Assert.True(await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().AnyAsync(e => e.Kind == SecurityEventKind.Imported && e.SubjectKind == "household-import", Ct)));

        using var micro = await app.ClientForAsync("micro01");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFileAsync(micro, rows, partial: true)).StatusCode);
    }

    private static Dictionary<string, object> Row(string building, string unit, string room, string occupancy, string name, string id, string phone, string care,
        string basis) => new()
        {
            [HouseholdImport.BuildingColumn] = building, [HouseholdImport.UnitColumn] = unit, [HouseholdImport.RoomColumn] = room,
            [HouseholdImport.OccupancyColumn] = occupancy, [HouseholdImport.NameColumn] = name, [HouseholdImport.IdNumberColumn] = id,
            [HouseholdImport.PhoneColumn] = phone, [HouseholdImport.CareColumn] = care, [HouseholdImport.BasisColumn] = basis,
        };

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, IEnumerable<Dictionary<string, object>> rows, bool partial)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(stream.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "住户.xlsx");
        return await client.PostAsync($"/api/households/imports?partial={(partial ? "true" : "false")}", form, Ct);
    }

    [Fact]
    public async Task RotateKey_ResealsEveryResidentWithTheNewKey_AndTheRegisterStillReads()
    {
        var building = await EmptyBuildingAsync(await ScopeOfAsync("community01"));
        using var staff = await app.ClientForAsync("community01");
        var created = await CreateAsync(staff, building.Code, "102", "钱多多", ValidId(1970, 5), "13300003333");
        var household = created.GetProperty("id").GetString();
        var resident = created.GetProperty("residents")[0].GetProperty("id").GetString();
        var vault = app.Services.GetRequiredService<FieldVault>();
        var old = vault.CurrentKeyId;

        var next = vault.AddKey();
        Assert.True(string.CompareOrdinal(next, old) > 0);
        var resealed = await app.WithDatabaseAsync(db => ColumnSealer.ResealAsync(db, vault, Ct));
        Assert.True(resealed > 0);
        Assert.Equal(0, await app.WithDatabaseAsync(db => ColumnSealer.ResealAsync(db, vault, Ct)));

        var keys = await app.WithDatabaseAsync(db => db.Database.SqlQueryRaw<string>("SELECT \"SealedName\" AS \"Value\" FROM residents").ToListAsync(Ct));
        Assert.All(keys, k => Assert.StartsWith(next + ":", k, StringComparison.Ordinal));
        var revealed = await OkAsync(await staff.PostAsJsonAsync($"/api/households/{household}/residents/{resident}/personal-data", new { reason = "密钥轮换后核对" }, Ct));
        Assert.Equal("钱多多", revealed.GetProperty("name").GetString());
        var found = await OkAsync(await staff.GetAsync("/api/households?q=13300003333", Ct));
        Assert.Equal(household, found.GetProperty("items")[0].GetProperty("id").GetString());

        // A value sealed under the old key still opens (a restored backup), and one altered does not.
        var sealedOld = keys[0];
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            vault.Open(FieldVault.NameField, sealedOld[..^4] + (sealedOld[^4] == 'A' ? "B" : "A") + sealedOld[^3..]));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => vault.Open(FieldVault.PhoneField, sealedOld));
    }

    [Fact]
    public async Task Buildings_AndRooms_ListTheRegisterByRoom_WithoutNames()
    {
        using var micro = await app.ClientForAsync("micro01");
        var buildings = (await OkAsync(await micro.GetAsync("/api/households/buildings", Ct))).EnumerateArray().ToList();
        Assert.NotEmpty(buildings);
        var scope = await ScopeOfAsync("micro01");
        Assert.All(buildings, b => Assert.StartsWith(scope, b.GetProperty("gridCode").GetString(), StringComparison.Ordinal));
        var code = buildings[0].GetProperty("code").GetString();
        var rooms = await OkAsync(await micro.GetAsync($"/api/households/buildings/{code}/rooms", Ct));
        Assert.Equal(buildings[0].GetProperty("households").GetInt32(), rooms.GetProperty("households").GetArrayLength());
        Assert.All(rooms.GetProperty("households").EnumerateArray(), r =>
            Assert.Equal(["householdId", "unit", "room", "occupancy"], r.EnumerateObject().Select(p => p.Name)));
        using var east = await app.ClientForAsync("ops-east");
        await ProblemAsync(await east.GetAsync($"/api/households/buildings/{code}/rooms", Ct), HttpStatusCode.NotFound);
    }
}

public sealed class HouseholdTestsOnSqlite(SqliteApp app) : HouseholdTests(app), IClassFixture<SqliteApp>;

public sealed class HouseholdTestsOnPostgres(PostgresApp app) : HouseholdTests(app), IClassFixture<PostgresApp>;
