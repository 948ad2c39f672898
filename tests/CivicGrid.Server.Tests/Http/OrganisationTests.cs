using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Photos;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The organisation register over real HTTP on each provider: the pinned create, lists and filters, edits, retire and
/// reinstate, a property company's compounds, owners' committees, every refusal as a Chinese problem, the scope rules, and
/// 条块下网 — a liaison of a department created through the API, sunk into a grid, gets the cases dispatched to it and handles them.
/// </summary>
public abstract class OrganisationTests(CivicGridApp app)
{
    private const string Subdistrict = "610103099";
    private const string Neighbour = "610103098";
    private const string District = "610103";

    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task Create_WithThePinnedBody_Is201WithAnId_AndTheDepartmentIsListedAndReadable()
    {
        using var admin = await app.ClientForAsync("admin");
        var name = Unique("示范街道城管中队");

        var response = await admin.PostAsJsonAsync("/api/organisations", new { kind = "department", name, scopeCode = Subdistrict }, Ct);

        var created = await BodyAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/organisations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("department", created.GetProperty("kind").GetString());
        Assert.Equal(name, created.GetProperty("name").GetString());
        Assert.Equal("示范街道", created.GetProperty("scopeName").GetString());
        Assert.Matches(@"^dept-610103099-\d{2}$", created.GetProperty("code").GetString());
        Assert.True(created.GetProperty("isActive").GetBoolean());

        var one = await BodyAsync(await admin.GetAsync($"/api/organisations/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("code").GetString(), one.GetProperty("code").GetString());
        var departments = await ListAsync(admin, "?kind=department");
        Assert.Contains(departments, o => o.GetProperty("id").GetGuid() == id);
        Assert.All(departments, o => Assert.Equal("department", o.GetProperty("kind").GetString()));
        var found = await ListAsync(admin, "?q=" + Uri.EscapeDataString(name));
        Assert.Equal(id, Assert.Single(found).GetProperty("id").GetGuid());

        // A grid leader of the subdistrict sees it (it serves their region), the neighbouring subdistrict's operator does not.
        var place = await _scenario.CertainPlaceAsync();
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/organisations/{id}", Ct)).StatusCode);
        using var neighbour = await app.ClientForAsync("ops-east");
        await ProblemAsync(await neighbour.GetAsync($"/api/organisations/{id}", Ct), HttpStatusCode.NotFound, "/problems/not-found");
        Assert.DoesNotContain(await ListAsync(neighbour, ""), o => o.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Create_EveryKind_WithAGivenCodeAndPhone()
    {
        using var admin = await app.ClientForAsync("admin");
        var compound = await FreeCompoundAsync();
        var dedicated = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
            .Where(g => g.Kind == GridKind.Dedicated && g.Code.StartsWith(Subdistrict)).Select(g => g.Code).FirstAsync(Ct));
        var code = "91610103" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var bodies = new object[]
        {
            new { kind = "property-company", name = Unique("红枫物业"), scopeCode = Subdistrict, code, contactPhone = "029-87650000", redProperty = true },
            new { kind = "owners-committee", name = Unique("业主委员会"), scopeCode = compound.Community, compoundCode = compound.Code },
            new { kind = "public-unit", name = Unique("驻街单位"), scopeCode = dedicated },
            new { kind = "alliance", name = Unique("商圈联盟"), scopeCode = Subdistrict },
        };

        var created = new List<JsonElement>();
        foreach (var body in bodies)
        {
            created.Add(await BodyAsync(await admin.PostAsJsonAsync("/api/organisations", body, Ct), HttpStatusCode.Created));
        }

        Assert.Equal(["property-company", "owners-committee", "public-unit", "alliance"], created.Select(o => o.GetProperty("kind").GetString()));
        Assert.Equal(code, created[0].GetProperty("code").GetString());
        Assert.Equal("029-87650000", created[0].GetProperty("contactPhone").GetString());
        Assert.True(created[0].GetProperty("redProperty").GetBoolean());
        Assert.Equal(compound.Code, created[1].GetProperty("compoundCode").GetString());
        Assert.Equal(compound.Name, created[1].GetProperty("compoundName").GetString());

        // One owners' committee in office per compound.
        await ProblemAsync(await admin.PostAsJsonAsync("/api/organisations",
            new { kind = "owners-committee", name = Unique("业主委员会"), scopeCode = compound.Community, compoundCode = compound.Code }, Ct),
            HttpStatusCode.Conflict, "/problems/conflict");
        // A code is used once.
        await ProblemAsync(await admin.PostAsJsonAsync("/api/organisations", new { kind = "alliance", name = Unique("联盟"), scopeCode = Subdistrict, code }, Ct),
            HttpStatusCode.Conflict, "/problems/conflict");
    }

    [Fact]
    public async Task Create_Refusals_AreChineseProblems()
    {
        using var admin = await app.ClientForAsync("admin");
        var company = await CreateAsync(admin, "property-company", Unique("物业"), Subdistrict);
        var compound = await FreeCompoundAsync();
        var name = Unique("派出所");
        await CreateAsync(admin, "department", name, Subdistrict);

        async Task Refused(object body, HttpStatusCode status, string type, string? rule = null)
        {
            var problem = await ProblemAsync(await admin.PostAsJsonAsync("/api/organisations", body, Ct), status, type);
            if (rule is not null)
            {
                Assert.Equal(rule, problem.GetProperty("rule").GetString());
            }
        }

        await Refused(new { kind = "school", name = Unique("学校"), scopeCode = Subdistrict }, HttpStatusCode.BadRequest, "/problems/validation");
        await Refused(new { kind = "department", name = "", scopeCode = Subdistrict }, HttpStatusCode.BadRequest, "/problems/validation");
        await Refused(new { kind = "department", name = Unique("部门") }, HttpStatusCode.BadRequest, "/problems/validation");
        await Refused(new { kind = "department", name = Unique("部门"), scopeCode = "610103097" }, HttpStatusCode.BadRequest, "/problems/validation");
        await Refused(new { kind = "department", name = Unique("部门"), scopeCode = Subdistrict, code = "有 空格" }, HttpStatusCode.BadRequest,
            "/problems/validation");
        await Refused(new { kind = "department", name = Unique("部门"), scopeCode = compound.Community }, HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule", "organisation.scope.level");
        await Refused(new { kind = "department", name = Unique("部门"), scopeCode = Subdistrict, parentId = company }, HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule", "organisation.parent.must-be-department");
        await Refused(new { kind = "alliance", name = Unique("联盟"), scopeCode = Subdistrict, parentId = company }, HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule", "organisation.parent.only-departments");
        await Refused(new { kind = "department", name = Unique("部门"), scopeCode = Subdistrict, parentId = Guid.NewGuid() }, HttpStatusCode.BadRequest,
            "/problems/validation");
        await Refused(new { kind = "owners-committee", name = Unique("业委会"), scopeCode = compound.Community }, HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule", "organisation.compound.required");
        await Refused(new { kind = "department", name = Unique("部门"), scopeCode = Subdistrict, contactPhone = "电话" }, HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule", "organisation.phone.malformed");
        await Refused(new { kind = "public-unit", name = Unique("单位"), scopeCode = Subdistrict, redProperty = true }, HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule", "organisation.red-property.only-property-companies");
        await Refused(new { kind = "department", name, scopeCode = Subdistrict }, HttpStatusCode.Conflict, "/problems/conflict");
    }

    [Fact]
    public async Task Writes_AreTheSystemAdminsWithinTheirScope()
    {
        var body = new { kind = "department", name = Unique("部门"), scopeCode = Subdistrict };
        foreach (var user in new[] { "community01", "ops", "secadmin", "police01" })
        {
            using var client = await app.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/organisations", body, Ct)).StatusCode);
        }

        using var resident = await app.ClientForAsync("resident001");
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync("/api/organisations", Ct)).StatusCode);

        // A system admin of the subdistrict registers inside it, not in the neighbour, and cannot change the district's departments.
        var local = await app.CreateUserAsync(CivicGridApp.UniqueName("sysadmin"), Subdistrict, Role.SystemAdmin);
        using var admin = await app.ClientForAsync(local.UserName);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/organisations", body, Ct)).StatusCode);
        await ProblemAsync(await admin.PostAsJsonAsync("/api/organisations", new { kind = "department", name = Unique("部门"), scopeCode = Neighbour }, Ct),
            HttpStatusCode.Forbidden, "/problems/forbidden");
        var districtPolice = await DemoOrganisationAsync("dept-d-police");
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{districtPolice}", new { name = "改名", scopeCode = District }, Ct),
            HttpStatusCode.Forbidden, "/problems/forbidden");
        await ProblemAsync(await admin.PostAsync(new Uri($"/api/organisations/{districtPolice}/retire", UriKind.Relative), null, Ct),
            HttpStatusCode.Forbidden, "/problems/forbidden");

        // It may still put its own station under the district's department (which serves above its scope).
        var station = await CreateAsync(admin, "department", Unique("派出所"), Subdistrict, districtPolice);
        var read = await BodyAsync(await admin.GetAsync($"/api/organisations/{station}", Ct), HttpStatusCode.OK);
        Assert.Equal("西安市公安局碑林分局", read.GetProperty("parentName").GetString());
    }

    [Fact]
    public async Task Update_ChangesWhatMayChange_AndRefusesACycle()
    {
        using var admin = await app.ClientForAsync("admin");
        var top = await CreateAsync(admin, "department", Unique("区应急局"), District);
        var station = await CreateAsync(admin, "department", Unique("应急站"), Subdistrict, top);
        var newName = Unique("应急管理站");

        var changed = await BodyAsync(await admin.PutAsJsonAsync($"/api/organisations/{station}",
            new { name = newName, scopeCode = Subdistrict, parentId = top, contactPhone = "12345" }, Ct), HttpStatusCode.OK);
        Assert.Equal(newName, changed.GetProperty("name").GetString());
        Assert.Equal("12345", changed.GetProperty("contactPhone").GetString());
        Assert.Equal(top, changed.GetProperty("parentId").GetGuid());

        var cycle = await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{top}", new { name = "区应急局", scopeCode = District, parentId = station }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/organisation-rule");
        Assert.Equal("organisation.parent.cycle", cycle.GetProperty("rule").GetString());
        var self = await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{top}", new { name = "区应急局", scopeCode = District, parentId = top }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/organisation-rule");
        Assert.Equal("organisation.parent.not-self", self.GetProperty("rule").GetString());
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{Guid.NewGuid()}", new { name = "无", scopeCode = Subdistrict }, Ct),
            HttpStatusCode.NotFound, "/problems/not-found");

        // Without a parent the station stands alone again; the code never changes.
        var alone = await BodyAsync(await admin.PutAsJsonAsync($"/api/organisations/{station}", new { name = newName, scopeCode = Subdistrict }, Ct),
            HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("parentId").ValueKind);
        Assert.Equal(changed.GetProperty("code").GetString(), alone.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Retire_TakesItOutOfPickersAndDispatch_OldCasesKeepItsName_AndReinstateBringsItBack()
    {
        using var admin = await app.ClientForAsync("admin");
        var parent = await CreateAsync(admin, "department", Unique("区司法局"), District);
        var name = Unique("司法所");
        var department = await CreateAsync(admin, "department", name, Subdistrict, parent);
        var place = await _scenario.CertainPlaceAsync();
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var (number, version) = await AcceptedCaseAsync(leader, place);
        version = await ActAsync(leader, number, "assign", new { expectedVersion = version, departmentId = department });

        // A department with a department in service below it is not retired; the child first.
        var blocked = await ProblemAsync(await PostAsync(admin, $"/api/organisations/{parent}/retire", new { }), HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule");
        Assert.Equal("organisation.retire.active-children", blocked.GetProperty("rule").GetString());
        var retired = await BodyAsync(await PostAsync(admin, $"/api/organisations/{department}/retire", new { }), HttpStatusCode.OK);
        Assert.False(retired.GetProperty("isActive").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, retired.GetProperty("retiredAt").ValueKind);
        await ProblemAsync(await PostAsync(admin, $"/api/organisations/{department}/retire", new { }), HttpStatusCode.Conflict, "/problems/organisation-rule");
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{department}", new { name, scopeCode = Subdistrict }, Ct),
            HttpStatusCode.Conflict, "/problems/organisation-rule");

        // Pickers do not offer it; the register does.
        Assert.DoesNotContain(await ListAsync(leader, "?kind=department"), o => o.GetProperty("id").GetGuid() == department);
        Assert.Contains(await ListAsync(admin, "?kind=department&includeRetired=true"), o => o.GetProperty("id").GetGuid() == department);

        // No new dispatch to it; the case it had keeps its name.
        var (other, otherVersion) = await AcceptedCaseAsync(leader, place);
        await ProblemAsync(await PostAsync(leader, $"/api/cases/{other}/assign", new { expectedVersion = otherVersion, departmentId = department }),
            HttpStatusCode.BadRequest, "/problems/validation");
        var old = await JsonAsync(await leader.GetAsync($"/api/cases/{number}", Ct));
        Assert.Equal(name, old.GetProperty("assigneeName").GetString());

        // The parent retires once its child is retired; the child comes back only under a parent in service.
        await BodyAsync(await PostAsync(admin, $"/api/organisations/{parent}/retire", new { }), HttpStatusCode.OK);
        var orphan = await ProblemAsync(await PostAsync(admin, $"/api/organisations/{department}/reinstate", new { }), HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule");
        Assert.Equal("organisation.parent.retired", orphan.GetProperty("rule").GetString());
        await BodyAsync(await PostAsync(admin, $"/api/organisations/{parent}/reinstate", new { }), HttpStatusCode.OK);
        var back = await BodyAsync(await PostAsync(admin, $"/api/organisations/{department}/reinstate", new { }), HttpStatusCode.OK);
        Assert.True(back.GetProperty("isActive").GetBoolean());
        await ProblemAsync(await PostAsync(admin, $"/api/organisations/{department}/reinstate", new { }), HttpStatusCode.Conflict, "/problems/organisation-rule");
        Assert.Equal(HttpStatusCode.OK,
            (await PostAsync(leader, $"/api/cases/{other}/assign", new { expectedVersion = otherVersion, departmentId = department })).StatusCode);
    }

    [Fact]
    public async Task PropertyCompany_ServesCompounds_AndIsNotRetiredWhileItDoes()
    {
        using var admin = await app.ClientForAsync("admin");
        var company = await CreateAsync(admin, "property-company", Unique("红色物业"), Subdistrict);
        var first = await FreeCompoundAsync();
        var second = await FreeCompoundAsync(first.Code);

        var served = await BodyAsync(await admin.PutAsJsonAsync($"/api/organisations/{company}/compounds",
            new { compoundCodes = new[] { first.Code, second.Code } }, Ct), HttpStatusCode.OK);
        Assert.Equal(new[] { first.Code, second.Code }.Order(), served.EnumerateArray().Select(c => c.GetProperty("code").GetString()).Order());
        var summary = await BodyAsync(await admin.GetAsync($"/api/organisations/{company}", Ct), HttpStatusCode.OK);
        Assert.Equal(2, summary.GetProperty("compoundsServed").GetInt32());
        using var leader = await app.ClientForAsync("community01");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/organisations/{company}/compounds", Ct)).StatusCode);

        var blocked = await ProblemAsync(await PostAsync(admin, $"/api/organisations/{company}/retire", new { }), HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule");
        Assert.Equal("organisation.retire.serves-compounds", blocked.GetProperty("rule").GetString());
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{company}/compounds", new { compoundCodes = new[] { "6101030990019999" } }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        var alliance = await CreateAsync(admin, "alliance", Unique("联盟"), Subdistrict);
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{alliance}/compounds", new { compoundCodes = new[] { first.Code } }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/organisation-rule");

        var emptied = await BodyAsync(await admin.PutAsJsonAsync($"/api/organisations/{company}/compounds", new { compoundCodes = Array.Empty<string>() }, Ct),
            HttpStatusCode.OK);
        Assert.Empty(emptied.EnumerateArray());
        Assert.Null(await app.WithDatabaseAsync(db => db.Compounds.IgnoreQueryFilters().Where(c => c.Code == first.Code).Select(c => c.PropertyCompanyId).SingleAsync(Ct)));
        await BodyAsync(await PostAsync(admin, $"/api/organisations/{company}/retire", new { }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task DepartmentCreatedThroughTheApi_ItsSunkLiaison_GetsTheDispatchedCase_AndHandlesIt()
    {
        using var admin = await app.ClientForAsync("admin");
        var department = await CreateAsync(admin, "department", Unique("示范街道网格执法队"), Subdistrict, await DemoOrganisationAsync("dept-d-urban"));
        var liaison = await LiaisonOfAsync(department);
        var place = await _scenario.CertainPlaceAsync();

        // Sunk into the place's third-level grid from today.
        var set = await BodyAsync(await admin.PutAsJsonAsync($"/api/organisations/{department}/liaisons/{liaison.Id}/grids",
            new { gridCodes = new[] { place.ThirdCode } }, Ct), HttpStatusCode.OK);
        var grid = Assert.Single(set.GetProperty("grids").EnumerateArray());
        Assert.Equal(place.ThirdCode, grid.GetProperty("gridCode").GetString());
        Assert.True(grid.GetProperty("current").GetBoolean());
        Assert.False(string.IsNullOrEmpty(grid.GetProperty("gridName").GetString()));

        // The grid leader dispatches a case to the department, picked from the list of active departments.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        Assert.Contains(await ListAsync(leader, "?kind=department"), o => o.GetProperty("id").GetGuid() == department);
        var (number, version) = await AcceptedCaseAsync(leader, place);
        version = await ActAsync(leader, number, "assign", new { expectedVersion = version, departmentId = department });

        // The liaison is told, finds it among their work and handles it.
        var told = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.CaseNumber == number).Select(n => n.UserId).ToListAsync(Ct));
        Assert.Contains(liaison.Id, told);
        using var handler = await app.ClientForAsync(liaison.UserName);
        var mine = await JsonAsync(await handler.GetAsync("/api/cases/inbox/mine", Ct));
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), c => c.GetProperty("number").GetString() == number);
        var detail = await JsonAsync(await handler.GetAsync($"/api/cases/{number}", Ct));
        Assert.Contains("start-handling", detail.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        await ActAsync(handler, number, "start-handling", new { expectedVersion = version });

        // The department's page lists the liaison with the grid.
        var liaisons = await BodyAsync(await admin.GetAsync($"/api/organisations/{department}/liaisons", Ct), HttpStatusCode.OK);
        var listed = Assert.Single(liaisons.EnumerateArray());
        Assert.Equal(liaison.Id, listed.GetProperty("userId").GetGuid());
        Assert.Equal(place.ThirdCode, Assert.Single(listed.GetProperty("grids").EnumerateArray()).GetProperty("gridCode").GetString());

        // Retiring the department ends the attachment (kept as history) and no case reaches it any more.
        await BodyAsync(await PostAsync(admin, $"/api/organisations/{department}/retire", new { }), HttpStatusCode.OK);
        var after = await BodyAsync(await admin.GetAsync($"/api/organisations/{department}/liaisons", Ct), HttpStatusCode.OK);
        var ended = Assert.Single(after[0].GetProperty("grids").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, ended.GetProperty("endsOn").ValueKind);
    }

    [Fact]
    public async Task LiaisonGrids_KeepTheirHistory_CommunityStaffSetTheirOwn_AndRefusalsAreChinese()
    {
        using var admin = await app.ClientForAsync("admin");
        var department = await CreateAsync(admin, "department", Unique("示范街道安监站"), Subdistrict);
        var liaison = await LiaisonOfAsync(department);
        var community = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "community01").Select(u => u.ScopeCode).SingleAsync(Ct));
        var thirds = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
            .Where(g => g.Level == GridLevel.Third && g.Kind == GridKind.Territorial && g.Code.StartsWith(Subdistrict)).OrderBy(g => g.Code)
            .Select(g => g.Code).ToListAsync(Ct));
        var own = thirds.Where(c => c.StartsWith(community, StringComparison.Ordinal)).Take(2).ToList();
        var elsewhere = thirds.First(c => !c.StartsWith(community, StringComparison.Ordinal));
        var path = $"/api/organisations/{department}/liaisons/{liaison.Id}/grids";
        var from = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

        await BodyAsync(await admin.PutAsJsonAsync(path, new { gridCodes = new[] { own[0], elsewhere }, from = from.AddDays(-30) }, Ct), HttpStatusCode.OK);

        // Community staff move the liaison from one of their grids to another; the grid elsewhere stays as it is.
        using var staff = await app.ClientForAsync("community01");
        var moved = await BodyAsync(await staff.PutAsJsonAsync(path, new { gridCodes = new[] { own[1] } }, Ct), HttpStatusCode.OK);
        var grids = moved.GetProperty("grids").EnumerateArray().ToList();
        Assert.Equal(new[] { elsewhere, own[1] }.Order(), grids.Where(g => g.GetProperty("current").GetBoolean()).Select(g => g.GetProperty("gridCode").GetString()).Order());
        var history = Assert.Single(grids, g => g.GetProperty("gridCode").GetString() == own[0]);
        Assert.False(history.GetProperty("current").GetBoolean());
        Assert.Equal(from.AddDays(-1).ToString("yyyy-MM-dd"), history.GetProperty("endsOn").GetString());

        await ProblemAsync(await staff.PutAsJsonAsync(path, new { gridCodes = new[] { own[1], thirds.First(c => c != elsewhere && !c.StartsWith(community, StringComparison.Ordinal)) } }, Ct),
            HttpStatusCode.Forbidden, "/problems/forbidden");
        var level = await ProblemAsync(await admin.PutAsJsonAsync(path, new { gridCodes = new[] { community } }, Ct), HttpStatusCode.UnprocessableEntity,
            "/problems/organisation-rule");
        Assert.Equal("liaison.grid.level", level.GetProperty("rule").GetString());
        await ProblemAsync(await admin.PutAsJsonAsync(path, new { gridCodes = new[] { "6101030990019999" } }, Ct), HttpStatusCode.BadRequest, "/problems/validation");
        var notLiaison = await ProblemAsync(await admin.PutAsJsonAsync($"/api/organisations/{department}/liaisons/{await UserIdAsync("police01")}/grids",
            new { gridCodes = new[] { own[0] } }, Ct), HttpStatusCode.UnprocessableEntity, "/problems/organisation-rule");
        Assert.Equal("liaison.department", notLiaison.GetProperty("rule").GetString());
        using var leader = await app.ClientForAsync("leader01");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsJsonAsync(path, new { gridCodes = own }, Ct)).StatusCode);
    }

    private static string Unique(string name) => $"{name}{Guid.NewGuid().ToString("N")[..6]}";

    private static async Task<Guid> CreateAsync(HttpClient client, string kind, string name, string scopeCode, Guid? parentId = null)
    {
        var response = await client.PostAsJsonAsync("/api/organisations", new { kind, name, scopeCode, parentId }, Ct);
        return (await BodyAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string query) =>
        [.. (await BodyAsync(await client.GetAsync($"/api/organisations{query}", Ct), HttpStatusCode.OK)).EnumerateArray()];

    private Task<Guid> DemoOrganisationAsync(string code) =>
        app.WithDatabaseAsync(db => db.Organisations.IgnoreQueryFilters().Where(o => o.Code == code).Select(o => o.Id).SingleAsync(Ct));

    private Task<Guid> UserIdAsync(string userName) =>
        app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync(Ct));

    /// <summary>A new liaison account of the subdistrict working for <paramref name="department"/> (the account screens are the lead's).</summary>
    private async Task<UserAccount> LiaisonOfAsync(Guid department)
    {
        var liaison = await app.CreateUserAsync(CivicGridApp.UniqueName("liaison"), Subdistrict, Role.DepartmentLiaison);
        await app.WithDatabaseAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Id == liaison.Id, Ct)).OrganisationId = department;
            return await db.SaveChangesAsync(Ct);
        });
        liaison.OrganisationId = department;
        return liaison;
    }

    /// <summary>A compound of the main subdistrict without a property company or owners' committee, other than <paramref name="except"/>.</summary>
    private Task<(string Code, string Name, string Community)> FreeCompoundAsync(string? except = null) =>
        app.WithDatabaseAsync(async db =>
        {
            var compound = await db.Compounds.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Code.StartsWith(Subdistrict) && c.PropertyCompanyId == null && c.Code != except
                    && !db.Organisations.IgnoreQueryFilters().Any(o => o.CompoundId == c.Id))
                .OrderBy(c => c.Code).Skip(Random.Shared.Next(20)).FirstAsync(Ct);
            return (compound.Code, compound.Name, compound.Code[..GridCodes.CommunityLength]);
        });

    /// <summary>A report at <paramref name="place"/> accepted by its grid leader; returns its number and version.</summary>
    private static async Task<(string Number, int Version)> AcceptedCaseAsync(HttpClient leader, DemoPlace place)
    {
        var created = await ReportAsync(leader, ReportFields(place.Lon, place.Lat, description: "井盖松动，需要相关部门处理。" + Guid.NewGuid().ToString("N")[..6]),
            [TestPhotos.Jpeg(320, 240)]);
        var number = (await BodyAsync(created, HttpStatusCode.Created)).GetProperty("number").GetString()!;
        var detail = await JsonAsync(await leader.GetAsync($"/api/cases/{number}", Ct));
        var version = detail.GetProperty("version").GetInt32();
        if (detail.GetProperty("allowedActions").EnumerateArray().Any(a => a.GetString() == "accept"))
        {
            version = await ActAsync(leader, number, "accept", new { expectedVersion = version });
        }

        return (number, version);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string type)
    {
        var problem = await BodyAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString()!);
        return problem;
    }
}

public sealed class OrganisationTestsOnSqlite(SqliteApp app) : OrganisationTests(app), IClassFixture<SqliteApp>;

public sealed class OrganisationTestsOnPostgres(PostgresApp app) : OrganisationTests(app), IClassFixture<PostgresApp>;
