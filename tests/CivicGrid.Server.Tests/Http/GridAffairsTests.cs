using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The three lists (needs, resources, projects), claims and courtyard councils over real HTTP on each provider: a need met
/// through matching and a project, every refusal as a Chinese problem, the scope of each list, the claims of ownerless
/// compounds, a council's follow-ups becoming a need and a case, and the figures the assessment reads.
/// </summary>
public abstract class GridAffairsTests(CivicGridApp app)
{
    private const string Community = "610103099001";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK) => HttpAnswers.OkAsync(response, expected);

    /// <summary>A problem with a Chinese detail; with <paramref name="rule"/>, the grid affairs rule it names.</summary>
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? rule = null)
    {
        var body = await HttpAnswers.ProblemAsync(response, expected, rule is null ? null : GridAffairsRules.RuleType);
        if (rule is not null)
        {
            Assert.Equal(rule, body.GetProperty("rule").GetString());
        }

        return body;
    }

    /// <summary>Two buildings of the community in one third-level grid, ~a few hundred metres apart, and a compound without property company.</summary>
    private async Task<(string Near, string Far, string Third)> BuildingsAsync() =>
        await app.WithDatabaseAsync(async db =>
        {
            var buildings = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => b.GridCode.StartsWith(Community) && b.GridCode.Length == 18)
                .OrderBy(b => b.Code).Select(b => new { b.Code, b.GridCode }).Take(200).ToListAsync(Ct);
            var third = buildings[0].GridCode[..16];
            var sameThird = buildings.Where(b => b.GridCode.StartsWith(third)).ToList();
            return (sameThird[0].Code, sameThird[^1].Code, third);
        });

    private async Task<string> OwnerlessCompoundAsync(string community = Community, int skip = 0) =>
        await app.WithDatabaseAsync(db => db.Compounds.IgnoreQueryFilters().Where(c => c.Code.StartsWith(community) && c.PropertyCompanyId == null)
            .OrderBy(c => c.Code).Select(c => c.Code).Skip(skip).FirstAsync(Ct));

    private async Task<Guid> OrganisationAsync(OrganisationKind kind, bool red = false) =>
        await app.WithDatabaseAsync(db => db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == kind && o.IsRedProperty == red && o.RetiredAt == null)
            .OrderBy(o => o.Code).Select(o => o.Id).FirstAsync(Ct));

    private static async Task<JsonElement> CreateResourceAsync(HttpClient client, string kind, string name, string buildingCode, params string[] offers) =>
        await OkAsync(await client.PostAsJsonAsync("/api/resources",
            new { kind, name, phone = "13912345678", buildingCode, offers, availability = "周末上午" }, Ct), HttpStatusCode.Created);

    private static async Task<JsonElement> CreateNeedAsync(HttpClient client, string buildingCode, string kind = "repair", string source = "staff",
        string? sourceReference = null) =>
        await OkAsync(await client.PostAsJsonAsync("/api/needs", new
        {
            kind, urgency = "urgent", description = "卫生间水龙头漏水，老人无法自行维修", requester = "独居老人", contactPhone = "13800138000", buildingCode, source,
            sourceReference,
        }, Ct), HttpStatusCode.Created);

    [Fact]
    public async Task Need_RecordedByStaff_IsMatchedToTheNearestResource_AndMetByAProjectPlantedInItsGrid()
    {
        using var staff = await app.ClientForAsync("community01");
        var (near, far, third) = await BuildingsAsync();
        var nearResource = await CreateResourceAsync(staff, "volunteer", "就近维修志愿者", near, "repair", "elderly-care");
        var farResource = await CreateResourceAsync(staff, "party-member", "远处党员", far, "repair");
        await CreateResourceAsync(staff, "volunteer", "法律志愿者", near, "legal");
        Assert.Equal("139****5678", nearResource.GetProperty("phone").GetString());

        var need = await CreateNeedAsync(staff, near);
        var id = need.GetProperty("id").GetString();
        Assert.Equal(("open", "staff", "138****8000"), (need.GetProperty("status").GetString(), need.GetProperty("source").GetString(),
            need.GetProperty("contactPhone").GetString()));

        var matches = (await OkAsync(await staff.GetAsync($"/api/needs/{id}/matches?max=50", Ct))).EnumerateArray().ToList();
        var names = matches.Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("就近维修志愿者", names);
        Assert.Contains("远处党员", names);
        Assert.DoesNotContain("法律志愿者", names);
        Assert.True(names.IndexOf("就近维修志愿者") < names.IndexOf("远处党员"), string.Join(",", names));
        Assert.All(matches, m => Assert.Contains("repair", m.GetProperty("offers").EnumerateArray().Select(o => o.GetString())));

        var legal = (await OkAsync(await staff.GetAsync("/api/resources?offers=legal", Ct))).EnumerateArray().First(r => r.GetProperty("name").GetString() == "法律志愿者");
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/needs/{id}/match", new { resourceId = legal.GetProperty("id").GetString() }, Ct),
            HttpStatusCode.UnprocessableEntity, "need.resource-does-not-offer");
        var matched = await OkAsync(await staff.PostAsJsonAsync($"/api/needs/{id}/match", new { resourceId = nearResource.GetProperty("id").GetString() }, Ct));
        Assert.Equal(("matched", "就近维修志愿者"), (matched.GetProperty("status").GetString(), matched.GetProperty("resourceName").GetString()));

        var otherThird = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().Where(g => g.Code.StartsWith(Community) && g.Code.Length == 16 && g.Code != third)
            .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));
        var elsewhere = await OkAsync(await staff.PostAsJsonAsync("/api/projects", new
        {
            name = "别处的项目", kind = "public-service", goal = "别处的目标", gridCodes = new[] { otherThird },
        }, Ct), HttpStatusCode.Created);
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/needs/{id}/meet", new { projectId = elsewhere.GetProperty("id").GetString(), outcome = "已维修" }, Ct),
            HttpStatusCode.UnprocessableEntity, "need.outside-project");

        var project = await OkAsync(await staff.PostAsJsonAsync("/api/projects", new
        {
            name = "光合共创·银龄帮办", kind = "public-service", goal = "为独居老人上门维修", gridCodes = new[] { third },
            partnerIds = new[] { nearResource.GetProperty("id").GetString() }, startOn = "2026-01-05",
        }, Ct), HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetString();
        Assert.Equal("planned", project.GetProperty("status").GetString());
        var met = await OkAsync(await staff.PostAsJsonAsync($"/api/needs/{id}/meet", new { projectId, outcome = "志愿者上门更换水龙头" }, Ct));
        Assert.Equal(("met", "光合共创·银龄帮办"), (met.GetProperty("status").GetString(), met.GetProperty("projectName").GetString()));
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/needs/{id}/close", new { reason = "不需要了" }, Ct), HttpStatusCode.UnprocessableEntity, "need.not-open");

        await OkAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/start", new { on = "2026-01-06" }, Ct));
        await OkAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/figures", new { participants = 4, beneficiaries = 12 }, Ct));
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestPhotos.WithExif(TestPhotos.Jpeg(400, 300), 1, (34, 15, 0), (108, 57, 36))), "photo", "site.jpg");
        var withPhoto = await OkAsync(await staff.PostAsync($"/api/projects/{projectId}/photos", form, Ct));
        var photoId = withPhoto.GetProperty("photoIds")[0].GetString();
        var served = await staff.GetAsync($"/api/projects/{projectId}/photos/{photoId}", Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);

        var completed = await OkAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/complete", new { on = "2026-03-01", participants = 6, beneficiaries = 15 }, Ct));
        Assert.Equal(("completed", 6, 15, 1), (completed.GetProperty("status").GetString(), completed.GetProperty("participants").GetInt32(),
            completed.GetProperty("beneficiaries").GetInt32(), completed.GetProperty("needsMetCount").GetInt32()));
        Assert.Equal(id, completed.GetProperty("needsMet")[0].GetProperty("id").GetString());
        Assert.Equal("就近维修志愿者", completed.GetProperty("partners")[0].GetProperty("name").GetString());
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/complete", new { }, Ct), HttpStatusCode.UnprocessableEntity, "project.transition");

        // The Excel export: the need is there with the phone masked; the export is in the security audit trail.
        var file = await staff.GetAsync("/api/needs/export.xlsx?status=met", Ct);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var rows = (await file.Content.ReadAsStreamAsync(Ct)).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows, r => (string)r["需求内容"] == "卫生间水龙头漏水，老人无法自行维修" && (string)r["满足项目"] == "光合共创·银龄帮办");
        Assert.Equal("138****8000", row["联系电话"]);
        Assert.DoesNotContain(rows, r => (r["联系电话"] as string)?.Contains("13800138000", StringComparison.Ordinal) == true);
        Assert.True(await app.WithDatabaseAsync(db => db.SecurityEvents.AnyAsync(e => e.Kind == SecurityEventKind.Exported && e.SubjectKind == "needs", Ct)));
        foreach (var export in new[] { "/api/resources/export.xlsx", "/api/projects/export.xlsx", "/api/claims/export.xlsx", "/api/councils/export.xlsx" })
        {
            var response = await staff.GetAsync(export, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, export);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Demo_HasPartyMembers_ProjectsMeetingNeeds_ClaimedOwnerlessCompounds_AndCouncils()
    {
        using var staff = await app.ClientForAsync("community01");
        Assert.NotEmpty((await OkAsync(await staff.GetAsync("/api/resources?kind=party-member", Ct))).EnumerateArray());
        Assert.NotEmpty((await OkAsync(await staff.GetAsync("/api/resources?kind=public-unit", Ct))).EnumerateArray());
        Assert.Contains((await OkAsync(await staff.GetAsync("/api/projects?status=running", Ct))).EnumerateArray(), p => p.GetProperty("needsMetCount").GetInt32() > 0);
        var red = (await OkAsync(await staff.GetAsync("/api/claims?target=compound&claimerKind=red-property-company&status=in-force", Ct))).EnumerateArray().ToList();
        Assert.NotEmpty(red);
        Assert.All(red, c => Assert.NotEmpty(c.GetProperty("fulfilments").EnumerateArray()));
        Assert.Contains((await OkAsync(await staff.GetAsync("/api/claims/ownerless-compounds", Ct))).EnumerateArray(),
            c => c.GetProperty("currentClaim").ValueKind == JsonValueKind.Object);
        var councils = (await OkAsync(await staff.GetAsync("/api/councils", Ct))).EnumerateArray().ToList();
        Assert.NotEmpty(councils);
        Assert.All(councils, c => Assert.NotEmpty(c.GetProperty("decisions").EnumerateArray()));
        Assert.Contains((await OkAsync(await staff.GetAsync("/api/needs?source=council", Ct))).EnumerateArray(), n => n.GetProperty("status").GetString() == "open");
    }

    [Fact]
    public async Task CreateNeed_RefusesBadFields_UnknownSources_PlacesOutsideTheScope_AndCallersWhoDoNotRecordNeeds()
    {
        using var staff = await app.ClientForAsync("community01");
        var bad = await ProblemAsync(await staff.PostAsJsonAsync("/api/needs", new { description = "", requester = "", contactPhone = "12" }, Ct),
            HttpStatusCode.BadRequest);
        Assert.All(new[] { "kind", "source", "description", "requester", "contactPhone" }, f => Assert.True(bad.GetProperty("errors").TryGetProperty(f, out _), f));
        await ProblemAsync(await staff.PostAsJsonAsync("/api/needs", new { kind = "nonsense", source = "staff" }, Ct), HttpStatusCode.BadRequest);

        var (near, _, _) = await BuildingsAsync();
        var noRef = await ProblemAsync(await staff.PostAsJsonAsync("/api/needs",
            new { kind = "repair", source = "visit", description = "需要维修", requester = "住户", buildingCode = near }, Ct), HttpStatusCode.BadRequest);
        Assert.True(noRef.GetProperty("errors").TryGetProperty("sourceReference", out _));
        await ProblemAsync(await staff.PostAsJsonAsync("/api/needs",
            new { kind = "repair", source = "case", sourceReference = "20990101999999", description = "需要维修", requester = "住户", buildingCode = near }, Ct),
            HttpStatusCode.BadRequest);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/needs",
            new { kind = "repair", source = "staff", description = "需要维修", requester = "住户", buildingCode = "61010309900199999" }, Ct), HttpStatusCode.BadRequest);

        var otherCommunityBuilding = await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().Where(b => b.GridCode.StartsWith("610103099002"))
            .OrderBy(b => b.Code).Select(b => b.Code).FirstAsync(Ct));
        await ProblemAsync(await staff.PostAsJsonAsync("/api/needs",
            new { kind = "repair", source = "staff", description = "需要维修", requester = "住户", buildingCode = otherCommunityBuilding }, Ct), HttpStatusCode.Forbidden);

        // A visit's reference is kept as given, so door-knocking visits can point to it; a case reference must be a case of the scope.
        var caseNumber = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.GridCode.StartsWith(Community)).Select(c => c.Number).FirstAsync(Ct));
        var fromCase = await CreateNeedAsync(staff, near, source: "case", sourceReference: caseNumber);
        Assert.Equal(caseNumber, fromCase.GetProperty("sourceReference").GetString());
        using var worker = await app.ClientForAsync("worker01");
        var workerScope = await app.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == "worker01").Select(u => u.ScopeCode).SingleAsync(Ct));
        var workerBuilding = await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().Where(b => b.GridCode.StartsWith(workerScope))
            .OrderBy(b => b.Code).Select(b => b.Code).FirstAsync(Ct));
        var visit = await CreateNeedAsync(worker, workerBuilding, "elderly-care", "visit", "visit-0001");
        Assert.Equal(("visit", "visit-0001"), (visit.GetProperty("source").GetString(), visit.GetProperty("sourceReference").GetString()));
        // …but a grid worker does not keep the list: matching and closing are the community's.
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsJsonAsync($"/api/needs/{visit.GetProperty("id").GetString()}/close", new { reason = "x" }, Ct)).StatusCode);

        using var property = await app.ClientForAsync("property01");
        Assert.Equal(HttpStatusCode.Forbidden, (await property.PostAsJsonAsync("/api/needs", new { kind = "repair" }, Ct)).StatusCode);
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/needs/{visit.GetProperty("id").GetString()}/close", new { reason = " " }, Ct),
            HttpStatusCode.UnprocessableEntity, "text.required");
        await ProblemAsync(await staff.GetAsync("/api/needs?status=done&kind=x&from=2026-02-01&to=2026-01-01", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task EveryList_IsScoped_AndAdministratorsAndResidentsAreRefused()
    {
        using var staff = await app.ClientForAsync("community01");
        var (near, _, third) = await BuildingsAsync();
        var need = await CreateNeedAsync(staff, near);
        var id = need.GetProperty("id").GetString();
        var project = await OkAsync(await staff.PostAsJsonAsync("/api/projects",
            new { name = "社区项目", kind = "governance", goal = "楼道治理", gridCodes = new[] { third } }, Ct), HttpStatusCode.Created);

        using var neighbour = await app.ClientForAsync("community02");
        Assert.DoesNotContain((await OkAsync(await neighbour.GetAsync("/api/needs", Ct))).EnumerateArray(), n => n.GetProperty("id").GetString() == id);
        await ProblemAsync(await neighbour.GetAsync($"/api/needs/{id}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await neighbour.PostAsJsonAsync($"/api/needs/{id}/close", new { reason = "越权" }, Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await neighbour.GetAsync($"/api/projects/{project.GetProperty("id").GetString()}", Ct), HttpStatusCode.NotFound);
        using var east = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await OkAsync(await east.GetAsync("/api/needs", Ct))).EnumerateArray(), n => n.GetProperty("gridCode").GetString()!.StartsWith("610103099", StringComparison.Ordinal));
        Assert.All((await OkAsync(await east.GetAsync("/api/claims/ownerless-compounds", Ct))).EnumerateArray(),
            c => Assert.StartsWith("610103098", c.GetProperty("code").GetString(), StringComparison.Ordinal));
        using var ops = await app.ClientForAsync("ops");
        Assert.Contains((await OkAsync(await ops.GetAsync("/api/needs", Ct))).EnumerateArray(), n => n.GetProperty("id").GetString() == id);
        Assert.All((await OkAsync(await staff.GetAsync("/api/needs", Ct))).EnumerateArray(),
            n => Assert.StartsWith(Community, n.GetProperty("gridCode").GetString(), StringComparison.Ordinal));

        string[] reads = ["/api/needs", $"/api/needs/{id}", $"/api/needs/{id}/matches", "/api/needs/export.xlsx", "/api/resources", "/api/resources/export.xlsx",
            "/api/projects", "/api/projects/export.xlsx", "/api/claims", "/api/claims/export.xlsx", "/api/claims/ownerless-compounds", "/api/councils",
            "/api/councils/export.xlsx", "/api/grid-affairs/figures"];
        foreach (var user in new[] { "admin", "secadmin", "auditor", "resident001" })
        {
            using var client = await app.ClientForAsync(user);
            foreach (var read in reads)
            {
                Assert.True(HttpStatusCode.Forbidden == (await client.GetAsync(read, Ct)).StatusCode, $"{user} {read}");
            }
        }
    }

    [Fact]
    public async Task OwnerlessCompound_IsClaimedByARedPropertyCompany_PeriodsDoNotOverlap_AndFulfilmentIsRecorded()
    {
        using var staff = await app.ClientForAsync("community01");
        var compound = await OwnerlessCompoundAsync(skip: 3);
        var red = await OrganisationAsync(OrganisationKind.PropertyCompany, red: true);
        var notRed = await OrganisationAsync(OrganisationKind.PropertyCompany);
        var unit = await OrganisationAsync(OrganisationKind.PublicUnit);
        object Body(Guid claimer, string kind, DateOnly start, DateOnly end) =>
            new { target = "compound", reference = compound, claimerKind = kind, claimerId = claimer, startOn = start, endOn = end, commitments = "每周保洁两次，每月安全巡查" };
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", Body(notRed, "red-property-company", today.AddDays(-30), today.AddDays(30)), Ct),
            HttpStatusCode.UnprocessableEntity, "claim.claimer-kind");
        var claim = await OkAsync(await staff.PostAsJsonAsync("/api/claims", Body(red, "red-property-company", today.AddDays(-30), today.AddDays(30)), Ct),
            HttpStatusCode.Created);
        Assert.Equal(compound, claim.GetProperty("reference").GetString());
        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", Body(unit, "public-unit", today.AddDays(10), today.AddDays(100)), Ct),
            HttpStatusCode.UnprocessableEntity, "claim.overlaps");
        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", Body(unit, "public-unit", today.AddDays(100), today.AddDays(31)), Ct),
            HttpStatusCode.UnprocessableEntity, "claim.period");
        var next = await OkAsync(await staff.PostAsJsonAsync("/api/claims", Body(unit, "public-unit", today.AddDays(31), today.AddDays(365)), Ct), HttpStatusCode.Created);
        Assert.Equal("public-unit", next.GetProperty("claimerKind").GetString());

        var withProperty = await app.WithDatabaseAsync(db => db.Compounds.IgnoreQueryFilters().Where(c => c.Code.StartsWith(Community) && c.PropertyCompanyId != null)
            .Select(c => c.Code).FirstAsync(Ct));
        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", new
        {
            target = "compound", reference = withProperty, claimerKind = "public-unit", claimerId = unit, startOn = "2026-01-01", endOn = "2026-12-31", commitments = "保洁",
        }, Ct), HttpStatusCode.UnprocessableEntity, "claim.compound-has-property");

        var claimId = claim.GetProperty("id").GetString();
        var fulfilled = await OkAsync(await staff.PostAsJsonAsync($"/api/claims/{claimId}/fulfilments", new { on = today.AddDays(-1), note = "清理楼道杂物三车" }, Ct));
        Assert.Equal("清理楼道杂物三车", fulfilled.GetProperty("fulfilments")[0].GetProperty("note").GetString());
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/claims/{claimId}/fulfilments", new { on = today.AddDays(-40), note = "期限外" }, Ct),
            HttpStatusCode.UnprocessableEntity, "claim.fulfilment-outside-period");

        // The claim shows where the compound is shown: the ownerless list and the claims of that compound.
        var ownerless = (await OkAsync(await staff.GetAsync("/api/claims/ownerless-compounds", Ct))).EnumerateArray().Single(c => c.GetProperty("code").GetString() == compound);
        var byCompound = (await OkAsync(await staff.GetAsync($"/api/claims?reference={compound}", Ct))).EnumerateArray().ToList();
        Assert.Equal(2, byCompound.Count);
        Assert.Contains(byCompound, c => c.GetProperty("id").GetString() == claimId);
        Assert.Equal((claimId, "清理楼道杂物三车", 1), (ownerless.GetProperty("currentClaim").GetProperty("id").GetString(),
            ownerless.GetProperty("currentClaim").GetProperty("fulfilments")[0].GetProperty("note").GetString(), ownerless.GetProperty("otherClaims").GetInt32()));

        using var neighbour = await app.ClientForAsync("community02");
        await ProblemAsync(await neighbour.GetAsync($"/api/claims/{claimId}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await neighbour.PostAsJsonAsync("/api/claims", Body(red, "red-property-company", today.AddDays(400), today.AddDays(500)), Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PartyMember_ClaimsANeed_AndTheNeedShowsItsClaimer()
    {
        using var staff = await app.ClientForAsync("community01");
        var (near, _, _) = await BuildingsAsync();
        var member = await CreateResourceAsync(staff, "party-member", "双报到党员李明", near, "elderly-care");
        var need = await CreateNeedAsync(staff, near, "elderly-care");
        var needId = need.GetProperty("id").GetString();
        var unit = await OrganisationAsync(OrganisationKind.PublicUnit);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", new
        {
            target = "need", reference = needId, claimerKind = "red-property-company", claimerId = await OrganisationAsync(OrganisationKind.PropertyCompany, true),
            startOn = "2026-01-01", endOn = "2026-06-30", commitments = "每周探访",
        }, Ct), HttpStatusCode.UnprocessableEntity, "claim.claimer-kind");
        await OkAsync(await staff.PostAsJsonAsync("/api/claims", new
        {
            target = "need", reference = needId, claimerKind = "party-member", claimerId = member.GetProperty("id").GetString(), startOn = "2026-01-01",
            endOn = "2026-06-30", commitments = "每周探访一次",
        }, Ct), HttpStatusCode.Created);
        var shown = await OkAsync(await staff.GetAsync($"/api/needs/{needId}", Ct));
        Assert.Equal("双报到党员李明", shown.GetProperty("claims")[0].GetProperty("claimerName").GetString());

        var category = await app.WithDatabaseAsync(db => db.CaseCategories.Where(c => c.IsActive).OrderBy(c => c.Code).Select(c => c.Code).FirstAsync(Ct));
        var (_, _, third) = await BuildingsAsync();
        var affair = await OkAsync(await staff.PostAsJsonAsync("/api/claims", new
        {
            target = "case-category", reference = category, gridCode = third, claimerKind = "public-unit", claimerId = unit, startOn = "2026-01-01",
            endOn = "2026-12-31", commitments = "负责本网格该类问题的先行处置",
        }, Ct), HttpStatusCode.Created);
        Assert.Equal(third, affair.GetProperty("gridCode").GetString());
    }

    [Fact]
    public async Task Council_FollowUpsBecomeANeedAndACase_InOneSave_AndBadCouncilsAreRefused()
    {
        using var staff = await app.ClientForAsync("community01");
        var compound = await OwnerlessCompoundAsync(skip: 1);
        var category = await app.WithDatabaseAsync(db => db.CaseCategories.Where(c => c.IsActive).OrderBy(c => c.Code).Select(c => c.Code).FirstAsync(Ct));
        var council = await OkAsync(await staff.PostAsJsonAsync("/api/councils", new
        {
            compoundCode = compound, heldOn = "2026-04-20", place = "院内活动室",
            participants = new object[] { new { role = "resident", name = "王秀兰" }, new { role = "courtyard-head", name = "赵建国" }, new { role = "staff", name = "社区干部" } },
            topics = new[] { "楼道堆物清理", "院内停车" }, decisions = new[] { "本周六集中清理楼道" },
            followUps = new object[]
            {
                new { text = "为三位独居老人安装楼道扶手", becomes = "need", kind = "elderly-care" },
                new { text = "院内下水道堵塞，需疏通", becomes = "case", categoryCode = category },
                new { text = "下次议事会讨论停车收费", becomes = "note" },
            },
        }, Ct), HttpStatusCode.Created);
        var councilId = council.GetProperty("id").GetString();
        Assert.Equal("王**", council.GetProperty("participants")[0].GetProperty("name").GetString());
        var followUps = council.GetProperty("followUps").EnumerateArray().ToList();
        Assert.Equal(["need", "case", "note"], followUps.Select(f => f.GetProperty("kind").GetString()));
        var needId = followUps[0].GetProperty("needId").GetString();
        var need = await OkAsync(await staff.GetAsync($"/api/needs/{needId}", Ct));
        Assert.Equal(("council", councilId, compound), (need.GetProperty("source").GetString(), need.GetProperty("sourceReference").GetString(),
            need.GetProperty("compoundCode").GetString()));
        var caseNumber = followUps[1].GetProperty("caseNumber").GetString();
        var filed = await OkAsync(await staff.GetAsync($"/api/cases/{caseNumber}", Ct));
        Assert.Contains("下水道", filed.GetProperty("description").GetString(), StringComparison.Ordinal);
        var listed = (await OkAsync(await staff.GetAsync($"/api/councils?compoundCode={compound}", Ct))).EnumerateArray().ToList();
        Assert.Contains(listed, c => c.GetProperty("id").GetString() == councilId);

        var before = await app.WithDatabaseAsync(db => db.CourtyardCouncils.IgnoreQueryFilters().CountAsync(Ct));
        await ProblemAsync(await staff.PostAsJsonAsync("/api/councils", new
        {
            compoundCode = compound, place = "活动室", participants = new object[] { new { role = "property", name = "物业经理" } }, topics = new[] { "停车" },
        }, Ct), HttpStatusCode.UnprocessableEntity, "council.residents");
        await ProblemAsync(await staff.PostAsJsonAsync("/api/councils", new
        {
            compoundCode = compound, place = "活动室", participants = new object[] { new { role = "resident", name = "王秀兰" } }, topics = new[] { "停车" },
            followUps = new object[] { new { text = "无效类别的事件", becomes = "case", categoryCode = "NOPE" } },
        }, Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/councils", new { compoundCode = compound, heldOn = "2999-01-01", place = "活动室",
            participants = new object[] { new { role = "resident", name = "王秀兰" } }, topics = new[] { "停车" } }, Ct), HttpStatusCode.UnprocessableEntity, "council.in-future");
        Assert.Equal(before, await app.WithDatabaseAsync(db => db.CourtyardCouncils.IgnoreQueryFilters().CountAsync(Ct)));

        using var micro = await app.ClientForAsync("micro01");
        var microScope = await app.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == "micro01").Select(u => u.ScopeCode).SingleAsync(Ct));
        if (!microScope.StartsWith(compound[..12], StringComparison.Ordinal) || !compound.StartsWith(microScope, StringComparison.Ordinal))
        {
            await ProblemAsync(await micro.PostAsJsonAsync("/api/councils", new { compoundCode = compound, place = "活动室",
                participants = new object[] { new { role = "resident", name = "王秀兰" } }, topics = new[] { "停车" } }, Ct), HttpStatusCode.Forbidden);
        }

        // The figures the assessment reads: the council and its need in the community's row, and the recorder among the people.
        var figures = await OkAsync(await staff.GetAsync("/api/grid-affairs/figures?level=community&from=2026-01-01", Ct));
        var row = figures.GetProperty("grids").EnumerateArray().Single(g => g.GetProperty("gridCode").GetString() == Community);
        Assert.True(row.GetProperty("councilsHeld").GetInt32() >= 1);
        Assert.True(row.GetProperty("needsRaised").GetInt32() >= 1);
        Assert.Contains(figures.GetProperty("people").EnumerateArray(), p => p.GetProperty("councilsRecorded").GetInt32() >= 1);
        await ProblemAsync(await staff.GetAsync("/api/grid-affairs/figures?level=house", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ProjectTask_IsClaimedByAPartyMember_FulfilmentIsDoneOrNot_AndTheProjectShowsItsTasksAndClaims()
    {
        using var staff = await app.ClientForAsync("community01");
        var (near, _, third) = await BuildingsAsync();
        // The demo's projects have tasks claimed by party members or units, the past ones with their fulfilment, done or not.
        var demoProject = (await OkAsync(await staff.GetAsync("/api/projects?status=running", Ct))).EnumerateArray().First();
        var demoTasks = (await OkAsync(await staff.GetAsync($"/api/projects/{demoProject.GetProperty("id").GetString()}", Ct))).GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(3, demoTasks.Count);
        var demoFulfilments = demoTasks.SelectMany(x => x.GetProperty("claims").EnumerateArray()).SelectMany(c => c.GetProperty("fulfilments").EnumerateArray()).ToList();
        Assert.Contains(demoFulfilments, f => f.GetProperty("done").GetBoolean());
        Assert.Contains(demoFulfilments, f => !f.GetProperty("done").GetBoolean());

        var member = await CreateResourceAsync(staff, "party-member", "双报到党员周红", near, "repair");
        var project = await OkAsync(await staff.PostAsJsonAsync("/api/projects", new
        {
            name = "楼道焕新", kind = "governance", goal = "清理楼道、粉刷墙面", gridCodes = new[] { third }, startOn = "2026-03-01", endOn = "2026-12-31",
        }, Ct), HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetString();
        Assert.Empty(project.GetProperty("tasks").EnumerateArray());

        await ProblemAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/tasks", new { name = "清扫楼道", on = "2027-01-05", peopleWanted = 4 }, Ct),
            HttpStatusCode.UnprocessableEntity, "project.task-outside-dates");
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/tasks", new { name = "清扫楼道", on = "2026-06-08", peopleWanted = 0 }, Ct),
            HttpStatusCode.UnprocessableEntity, "project.task-people");
        var missing = await ProblemAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/tasks", new { }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(["name", "on", "peopleWanted"], missing.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        var withTask = await OkAsync(await staff.PostAsJsonAsync($"/api/projects/{projectId}/tasks", new { name = "清扫楼道", on = "2026-06-08", peopleWanted = 4 }, Ct),
            HttpStatusCode.Created);
        var task = withTask.GetProperty("tasks")[0];
        var taskId = task.GetProperty("id").GetString();
        Assert.Equal(("清扫楼道", "2026-06-08", 4), (task.GetProperty("name").GetString(), task.GetProperty("on").GetString(), task.GetProperty("peopleWanted").GetInt32()));

        object Claim(string reference, string start, string end) => new
        {
            target = "project-task", reference, claimerKind = "party-member", claimerId = member.GetProperty("id").GetString(), startOn = start, endOn = end,
            commitments = "带两名邻居参加清扫",
        };
        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", Claim(projectId!, "2026-06-01", "2026-06-30"), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/claims", Claim(taskId!, "2026-06-09", "2026-06-30"), Ct), HttpStatusCode.BadRequest);
        var claim = await OkAsync(await staff.PostAsJsonAsync("/api/claims", Claim(taskId!, "2026-06-01", "2026-06-30"), Ct), HttpStatusCode.Created);
        Assert.Equal(("楼道焕新 · 清扫楼道", third), (claim.GetProperty("targetName").GetString(), claim.GetProperty("gridCode").GetString()));
        var claimId = claim.GetProperty("id").GetString();
        var notDone = await OkAsync(await staff.PostAsJsonAsync($"/api/claims/{claimId}/fulfilments", new { on = "2026-06-08", note = "当天下雨，改期", done = false }, Ct));
        Assert.False(notDone.GetProperty("fulfilments")[0].GetProperty("done").GetBoolean());
        var done = await OkAsync(await staff.PostAsJsonAsync($"/api/claims/{claimId}/fulfilments", new { on = "2026-06-15", note = "清扫完成" }, Ct));
        Assert.True(done.GetProperty("fulfilments")[0].GetProperty("done").GetBoolean());

        using var neighbour = await app.ClientForAsync("community02");
        await ProblemAsync(await neighbour.PostAsJsonAsync($"/api/projects/{projectId}/tasks", new { name = "越权", on = "2026-06-08", peopleWanted = 1 }, Ct),
            HttpStatusCode.NotFound);
        using var worker = await app.ClientForAsync("worker01");
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsJsonAsync($"/api/projects/{projectId}/tasks", new { name = "x", on = "2026-06-08", peopleWanted = 1 }, Ct)).StatusCode);

        var shown = await OkAsync(await staff.GetAsync($"/api/projects/{projectId}", Ct));
        var shownTask = Assert.Single(shown.GetProperty("tasks").EnumerateArray());
        var shownClaim = Assert.Single(shownTask.GetProperty("claims").EnumerateArray());
        Assert.Equal(("双报到党员周红", 2), (shownClaim.GetProperty("claimerName").GetString(), shownClaim.GetProperty("fulfilments").GetArrayLength()));
        Assert.Equal(claimId, shown.GetProperty("claims")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Claims_ShowOnTheCompoundAndOnTheCasesOfTheClaimedKind()
    {
        using var staff = await app.ClientForAsync("community01");
        var compound = await OwnerlessCompoundAsync(skip: 5);
        var unit = await OrganisationAsync(OrganisationKind.PublicUnit);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var claim = await OkAsync(await staff.PostAsJsonAsync("/api/claims", new
        {
            target = "compound", reference = compound, claimerKind = "public-unit", claimerId = unit, startOn = today.AddDays(-10), endOn = today.AddDays(200),
            commitments = "每月一次安全检查",
        }, Ct), HttpStatusCode.Created);
        await OkAsync(await staff.PostAsJsonAsync($"/api/claims/{claim.GetProperty("id").GetString()}/fulfilments", new { on = today, note = "检查消防通道" }, Ct));
        var detail = await OkAsync(await staff.GetAsync($"/api/compounds/{compound}", Ct));
        var shown = Assert.Single(detail.GetProperty("claims").EnumerateArray());
        Assert.Equal(("每月一次安全检查", "检查消防通道"), (shown.GetProperty("commitments").GetString(), shown.GetProperty("fulfilments")[0].GetProperty("note").GetString()));
        using var admin = await app.ClientForAsync("admin");
        var forAdmin = await admin.GetAsync($"/api/compounds/{compound}", Ct);
        if (forAdmin.StatusCode == HttpStatusCode.OK)
        {
            Assert.Empty((await OkAsync(forAdmin)).GetProperty("claims").EnumerateArray());
        }

        var found = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.GridCode.StartsWith(Community) && c.GridCode.Length == 18)
            .OrderBy(c => c.Number).Select(c => new { c.Number, c.CategoryCode, c.GridCode }).FirstAsync(Ct));
        var before = await OkAsync(await staff.GetAsync($"/api/cases/{found.Number}", Ct));
        Assert.DoesNotContain(before.GetProperty("claims").EnumerateArray(), c => c.GetProperty("commitments").GetString() == "本网格该类事件先行处置");
        await OkAsync(await staff.PostAsJsonAsync("/api/claims", new
        {
            target = "case-category", reference = found.CategoryCode, gridCode = found.GridCode[..16], claimerKind = "public-unit", claimerId = unit,
            startOn = today.AddDays(-1), endOn = today.AddDays(100), commitments = "本网格该类事件先行处置",
        }, Ct), HttpStatusCode.Created);
        var after = await OkAsync(await staff.GetAsync($"/api/cases/{found.Number}", Ct));
        Assert.Contains(after.GetProperty("claims").EnumerateArray(), c => c.GetProperty("commitments").GetString() == "本网格该类事件先行处置");
    }
}

public sealed class GridAffairsTestsOnSqlite(SqliteApp app) : GridAffairsTests(app), IClassFixture<SqliteApp>;

public sealed class GridAffairsTestsOnPostgres(PostgresApp app) : GridAffairsTests(app), IClassFixture<PostgresApp>;
