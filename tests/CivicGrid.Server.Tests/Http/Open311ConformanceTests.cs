using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Open311;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Open311 GeoReport v2 conformance: one test per rule of the specification (wiki.open311.org/GeoReport_v2 and its
/// Service Discovery page), named after the rule, plus how requests meet our intake pipeline.
/// </summary>
public abstract class Open311ConformanceTests(CivicGridApp app)
{
    public const string Jurisdiction = "610103099";
    public const string OtherJurisdiction = "610103098";
    private const string V2 = "/open311/v2";
    private const string J = "jurisdiction_id=" + Jurisdiction;

    private static readonly Regex W3Time = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$");

    private readonly CaseScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- Service discovery ----

    [Fact]
    public async Task Discovery_IsServedAsXmlAndJson_WithEveryRequiredField()
    {
        using var client = app.CreateClient();

        var xml = await XmlAsync(client, $"{V2}/discovery.xml");
        var json = await JsonAsync(client, $"{V2}/discovery.json");

        Assert.Equal("discovery", xml.Root!.Name.LocalName);
        foreach (var field in new[] { "changeset", "contact", "key_service" })
        {
            Assert.False(string.IsNullOrEmpty(xml.Root.Element(field)?.Value), field);
            Assert.False(string.IsNullOrEmpty(json.GetProperty(field).GetString()), field);
        }

        var endpoint = xml.Root.Element("endpoints")!.Element("endpoint")!;
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.Element("specification")!.Value);
        Assert.EndsWith("/open311/v2", endpoint.Element("url")!.Value, StringComparison.Ordinal);
        Assert.Contains(endpoint.Element("type")!.Value, new[] { "production", "test" });
        Assert.Equal(["text/xml", "application/json"], endpoint.Element("formats")!.Elements("format").Select(f => f.Value));
        var jsonEndpoint = json.GetProperty("endpoints")[0];
        Assert.Equal(["text/xml", "application/json"], jsonEndpoint.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.False(string.IsNullOrEmpty(jsonEndpoint.GetProperty("changeset").GetString()));
    }

    // ---- Format support and encoding ----

    [Fact]
    public async Task Xml_IsUtf8WithTheXmlDeclaration_AndContentTypeTextXml()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/services.xml?{J}", UriKind.Relative), Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var text = Encoding.UTF8.GetString(bytes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.Ordinal);
        Assert.Contains("暴露垃圾", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_IsTheSparkMappingOfTheXml_WithContentTypeApplicationJson()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/services.json?{J}", UriKind.Relative), Ct);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var xml = await XmlAsync(client, $"{V2}/services.xml?{J}");

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        var fromXml = xml.Root!.Elements("service").Select(s => s.Elements().Select(e => (e.Name.LocalName, e.Value)).ToList()).ToList();
        var fromJson = json.EnumerateArray().Select(s => s.EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.Value.GetRawText() : p.Value.GetString() ?? string.Empty)).ToList()).ToList();
        Assert.Equal(fromXml, fromJson);
    }

    [Fact]
    public async Task AFormatOtherThanXmlOrJson_IsANotFoundResource()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/services.csv?{J}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var errors = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("404", errors.Root!.Element("error")!.Element("code")!.Value);
    }

    // ---- Errors ----

    [Fact]
    public async Task Errors_AreAListOfCodeAndDescription_InXmlAndJson_WithTheHttpStatus()
    {
        using var client = app.CreateClient();

        using var xmlResponse = await client.GetAsync(new Uri($"{V2}/services/Z9999.xml?{J}", UriKind.Relative), Ct);
        using var jsonResponse = await client.GetAsync(new Uri($"{V2}/services/Z9999.json?{J}", UriKind.Relative), Ct);
        var xml = XDocument.Parse(await xmlResponse.Content.ReadAsStringAsync(Ct));
        var json = JsonDocument.Parse(await jsonResponse.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, xmlResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, jsonResponse.StatusCode);
        Assert.Equal("errors", xml.Root!.Name.LocalName);
        var error = Assert.Single(xml.Root.Elements("error"));
        Assert.Equal("404", error.Element("code")!.Value);
        Assert.False(string.IsNullOrEmpty(error.Element("description")!.Value));
        var item = Assert.Single(json.EnumerateArray());
        Assert.Equal(404, item.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Errors_SeveralProblemsOfOneRequest_AreAllListed()
    {
        var key = await IssueKeyAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", new()
        {
            ["api_key"] = key, ["jurisdiction_id"] = Jurisdiction, ["service_code"] = "E0101", ["lat"] = "north", ["long"] = "200",
            ["phone"] = "12", ["media_url"] = "ftp://example.org/a.jpg",
        });
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.GetArrayLength() >= 4, errors.GetRawText());
        Assert.All(errors.EnumerateArray(), e => Assert.Equal(400, e.GetProperty("code").GetInt32()));
    }

    // ---- jurisdiction_id ----

    [Fact]
    public async Task JurisdictionId_IsRequired_WhereTheEndpointServesSeveralJurisdictions()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/services.xml", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!.Element("error")!;
        Assert.Contains("jurisdiction_id", error.Element("description")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JurisdictionId_NotFound_Is404()
    {
        using var client = app.CreateClient();

        using var services = await client.GetAsync(new Uri($"{V2}/services.json?jurisdiction_id=sfgov.org", UriKind.Relative), Ct);
        using var requests = await client.GetAsync(new Uri($"{V2}/requests.json?jurisdiction_id=610103", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, services.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, requests.StatusCode);
    }

    [Fact]
    public async Task JurisdictionId_MayBeLeftOut_WhenTheKeyIsRestrictedToOne()
    {
        var key = await IssueKeyAsync(Jurisdiction);
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", new()
        {
            ["api_key"] = key, ["service_code"] = "E0101", ["lat"] = Num(place.Lat), ["long"] = Num(place.Lon), ["description"] = "垃圾桶满溢",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // ---- Optional arguments ----

    [Fact]
    public async Task AnEmptyParameter_IsTheSameAsAnAbsentOne()
    {
        using var client = app.CreateClient();
        // A window that ended yesterday: the demo's requests, not those this class's other tests file today.
        var dates = $"start_date={DateTimeOffset.UtcNow.AddDays(-30):yyyy-MM-dd'T'HH:mm:ss'Z'}&end_date={DateTimeOffset.UtcNow.AddDays(-1):yyyy-MM-dd'T'HH:mm:ss'Z'}";

        var without = await JsonAsync(client, $"{V2}/requests.json?{J}&{dates}");
        var empty = await JsonAsync(client, $"{V2}/requests.json?{J}&{dates}&service_code=&status=&service_request_id=&api_key=");
        using var noJurisdiction = await client.GetAsync(new Uri($"{V2}/services.json", UriKind.Relative), Ct);
        using var emptyJurisdiction = await client.GetAsync(new Uri($"{V2}/services.json?jurisdiction_id=", UriKind.Relative), Ct);

        Assert.NotEmpty(Numbers(without));
        Assert.Equal(Numbers(without), Numbers(empty));
        Assert.Equal(noJurisdiction.StatusCode, emptyJurisdiction.StatusCode);
        Assert.Equal(await noJurisdiction.Content.ReadAsStringAsync(Ct), await emptyJurisdiction.Content.ReadAsStringAsync(Ct));
    }

    // ---- GET Service List ----

    [Fact]
    public async Task Services_ListEveryActiveSubcategory_WithTheSpecsFields()
    {
        using var client = app.CreateClient();

        var services = await JsonAsync(client, $"{V2}/services.json?{J}");
        var active = await app.WithDatabaseAsync(db => db.CaseCategories.Where(c => c.IsActive).Select(c => c.Code).ToListAsync(Ct));

        Assert.Equal(active.Order(StringComparer.Ordinal), services.EnumerateArray().Select(s => s.GetProperty("service_code").GetString()).Order(StringComparer.Ordinal));
        var garbage = services.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == "E0101");
        Assert.Equal("暴露垃圾", garbage.GetProperty("service_name").GetString());
        Assert.Equal("市容环境", garbage.GetProperty("group").GetString());
        Assert.False(string.IsNullOrEmpty(garbage.GetProperty("description").GetString()));
        Assert.False(string.IsNullOrEmpty(garbage.GetProperty("keywords").GetString()));
        Assert.True(garbage.GetProperty("metadata").GetBoolean());
    }

    [Fact]
    public async Task Services_ServiceCodesAreStrings_AndTypeIsRealtime()
    {
        using var client = app.CreateClient();

        var services = await JsonAsync(client, $"{V2}/services.json?{J}");
        var xml = await XmlAsync(client, $"{V2}/services.xml?{J}");

        Assert.All(services.EnumerateArray(), s => Assert.Equal(JsonValueKind.String, s.GetProperty("service_code").ValueKind));
        Assert.All(services.EnumerateArray(), s => Assert.Equal("realtime", s.GetProperty("type").GetString()));
        Assert.All(xml.Root!.Elements("service"), s => Assert.Contains(s.Element("metadata")!.Value, new[] { "true", "false" }));
    }

    // ---- GET Service Definition ----

    [Fact]
    public async Task ServiceDefinition_AttributesUseTheSpecsDatatypes_WithUniqueOrder_AndValuesOnlyForLists()
    {
        using var client = app.CreateClient();

        var definition = await JsonAsync(client, $"{V2}/services/E0101.json?{J}");
        var xml = await XmlAsync(client, $"{V2}/services/E0101.xml?{J}");

        Assert.Equal("E0101", definition.GetProperty("service_code").GetString());
        Assert.Equal("service_definition", xml.Root!.Name.LocalName);
        var attributes = definition.GetProperty("attributes").EnumerateArray().ToList();
        Assert.NotEmpty(attributes);
        Assert.All(attributes, a =>
        {
            var datatype = a.GetProperty("datatype").GetString()!;
            Assert.Contains(datatype, Open311Services.Datatypes);
            Assert.Equal(datatype.EndsWith("valuelist", StringComparison.Ordinal), a.TryGetProperty("values", out _));
            Assert.Contains(a.GetProperty("variable").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Contains(a.GetProperty("required").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.False(string.IsNullOrEmpty(a.GetProperty("code").GetString()));
            Assert.False(string.IsNullOrEmpty(a.GetProperty("description").GetString()));
            Assert.True(a.TryGetProperty("datatype_description", out _));
        });
        var orders = attributes.Select(a => a.GetProperty("order").GetInt32()).ToList();
        Assert.All(orders, o => Assert.True(o > 0));
        Assert.Equal(orders.Count, orders.Distinct().Count());
        Assert.Equal(attributes.Count, xml.Root.Element("attributes")!.Elements("attribute").Count());
        Assert.Contains(attributes, a => a.GetProperty("code").GetString() == Open311Services.Accuracy && a.GetProperty("datatype").GetString() == "number");
    }

    [Fact]
    public async Task ServiceDefinition_AnUnknownServiceCode_Is404()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/services/NOPE.json?{J}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // ---- POST Service Request ----

    [Fact]
    public async Task PostRequest_WithoutAnApiKey_Is403WithTheErrorBody()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string>
        {
            ["jurisdiction_id"] = Jurisdiction, ["service_code"] = "E0101", ["lat"] = Num(place.Lat), ["long"] = Num(place.Lon),
        };

        using var xml = await PostAsync(client, "xml", fields);
        using var wrong = await PostAsync(client, "json", new(fields) { ["api_key"] = "cg311_not-a-key" });

        Assert.Equal(HttpStatusCode.Forbidden, xml.StatusCode);
        var error = XDocument.Parse(await xml.Content.ReadAsStringAsync(Ct)).Root!.Element("error")!;
        Assert.Equal("403", error.Element("code")!.Value);
        Assert.Contains("api_key", error.Element("description")!.Value, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(403, JsonDocument.Parse(await wrong.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task PostRequest_WithAKeyRevokedAfterItWasUsed_Is403AtOnce()
    {
        // The key is used first, so this instance holds it in its cache; the administrator's revocation must still stop it
        // on the next request.
        var key = await IssueKeyAsync();
        var id = await app.WithDatabaseAsync(db => db.ApiKeys.Where(k => k.Hash == ApiKeys.HashOf(key)).Select(k => k.Id).SingleAsync(Ct));
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        using var admin = await app.ClientForAsync("admin");

        using var before = await PostAsync(client, "json", Filing(key, place, "E0101"));
        using var revoked = await admin.DeleteAsync(new Uri($"/api/admin/apikeys/{id}", UriKind.Relative), Ct);
        using var after = await PostAsync(client, "json", Filing(key, place, "E0101"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public async Task PostRequest_WithAKeyRevokedInTheDatabase_Is403()
    {
        // Revoked by another instance or the operator command before this instance ever loaded it.
        var key = await IssueKeyAsync();
        await app.WithDatabaseAsync(db => ApiKeys.RevokeAsync(db, key[..ApiKey.PrefixLength], DateTimeOffset.UtcNow, Ct));
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", Filing(key, place, "E0101"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostRequest_AKeyRestrictedToAnotherJurisdiction_Is403()
    {
        var key = await IssueKeyAsync(OtherJurisdiction);
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", Filing(key, place, "E0101"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostRequest_ServiceCodeNotProvided_Is400_AndNotFound_Is404()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string>
        {
            ["api_key"] = key, ["jurisdiction_id"] = Jurisdiction, ["lat"] = Num(place.Lat), ["long"] = Num(place.Lon),
        };

        using var missing = await PostAsync(client, "json", fields);
        using var unknown = await PostAsync(client, "json", new(fields) { ["service_code"] = "Z9999" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PostRequest_AFullLocationParameterMustBeSubmitted()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string> { ["api_key"] = key, ["jurisdiction_id"] = Jurisdiction, ["service_code"] = "E0101" };

        using var none = await PostAsync(client, "json", fields);
        using var latOnly = await PostAsync(client, "json", new(fields) { ["lat"] = Num(place.Lat) });

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, latOnly.StatusCode);
        Assert.Contains("long", await latOnly.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRequest_WithWgs84LatLong_EntersIntake_AndAnswersTheServiceRequestIdNotAToken()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "xml", new(Filing(key, place, "E0101"))
        {
            ["description"] = "垃圾桶满溢，散落一地。",
        });
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("service_requests", xml.Root!.Name.LocalName);
        var request = Assert.Single(xml.Root.Elements("request"));
        var number = request.Element("service_request_id")!.Value;
        Assert.Null(request.Element("token"));
        Assert.Contains(number, request.Element("service_notice")!.Value, StringComparison.Ordinal);
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseChannel.Open311, stored.Channel);
        Assert.Equal(place.GridCode, stored.GridCode);
        Assert.Equal(place.Lon, stored.Location.X, 9);
        Assert.Equal(place.Lat, stored.Location.Y, 9);
        Assert.Equal(CaseStatus.Reported, stored.Status);
    }

    [Fact]
    public async Task PostRequest_JurisdictionInTheQueryString_IsAccepted_AsCodeForAmericasNodeClientSendsIt()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = Filing(key, place, "E0101");
        fields.Remove("jurisdiction_id");
        fields["description"] = "垃圾桶满溢（jurisdiction_id 在查询串里）。";

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{V2}/requests.json?{J}", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        using var response = await client.SendAsync(request, Ct);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, new Uri($"{V2}/requests.json?jurisdiction_id=610103000", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        using var unknown = await client.SendAsync(wrong, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^\d{13}$", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PostRequest_AddressId_IsABuildingCode_AndRoutesByTheBuilding()
    {
        var key = await IssueKeyAsync();
        var building = await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.GridCode.StartsWith(Jurisdiction)).OrderBy(b => b.Code).Skip(17).FirstAsync(Ct));
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", new()
        {
            ["api_key"] = key, ["jurisdiction_id"] = Jurisdiction, ["service_code"] = "G0201", ["address_id"] = building.Code,
            ["description"] = "独居老人需要上门帮扶。",
        });
        var number = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(building.Code, stored.BuildingCode);
        Assert.Equal(building.GridCode, stored.GridCode);
    }

    [Fact]
    public async Task PostRequest_AddressString_IsMatchedToAKnownAddress_OrRefusedWith400()
    {
        var key = await IssueKeyAsync();
        var building = await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.GridCode.StartsWith(Jurisdiction)).OrderBy(b => b.Code).Skip(41).FirstAsync(Ct));
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string> { ["api_key"] = key, ["jurisdiction_id"] = Jurisdiction, ["service_code"] = "G0201" };

        using var matched = await PostAsync(client, "json", new(fields) { ["address_string"] = building.Address + "门口" });
        using var unknown = await PostAsync(client, "json", new(fields) { ["address_string"] = "不存在的路 999 号" });

        Assert.Equal(HttpStatusCode.OK, matched.StatusCode);
        var number = JsonDocument.Parse(await matched.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString();
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(building.GridCode, stored.GridCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task PostRequest_AttributeValues_AreTakenByCode_AndUnknownCodesAre400()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string>(Filing(key, place, "C0102"))
        {
            [$"attribute[{Open311Services.Title}]"] = "路灯连续三晚不亮", [$"attribute[{Open311Services.Accuracy}]"] = "8",
        };

        using var ok = await PostAsync(client, "json", fields);
        using var unknown = await PostAsync(client, "json", new(fields) { ["attribute[WHISPAWN]"] = "123456" });
        using var notANumber = await PostAsync(client, "json", new(fields) { [$"attribute[{Open311Services.Accuracy}]"] = "near" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var number = JsonDocument.Parse(await ok.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString();
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal("路灯连续三晚不亮", stored.Title);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
    }

    [Fact]
    public async Task PostRequest_ContactFields_ReachTheCase_AndNeverComeBackOut()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", new(Filing(key, place, "E0503"))
        {
            ["first_name"] = "三", ["last_name"] = "张", ["phone"] = "138-0013-8000", ["email"] = "zhang@example.org", ["device_id"] = "tt222111",
            ["account_id"] = "123456", ["description"] = "车辆堵住小区出入口。",
        });
        var number = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString()!;
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        var single = await client.GetStringAsync(new Uri($"{V2}/requests/{number}.json?{J}", UriKind.Relative), Ct);
        var withKey = await client.GetStringAsync(new Uri($"{V2}/requests/{number}.xml?{J}&api_key={Uri.EscapeDataString(key)}", UriKind.Relative), Ct);

        Assert.Equal("13800138000", stored.ReporterPhone);
        Assert.Equal("张三", stored.Timeline[0].ActorName);
        foreach (var text in new[] { single, withKey })
        {
            Assert.DoesNotContain("13800138000", text, StringComparison.Ordinal);
            Assert.DoesNotContain("张三", text, StringComparison.Ordinal);
            Assert.DoesNotContain("zhang@example.org", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostRequest_DescriptionIsLimitedTo4000Characters()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", new(Filing(key, place, "E0101"))
        {
            ["description"] = new string('脏', 4001),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostRequest_RetriedWithTheSameIdempotencyKey_IsFiledOnce()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string>(Filing(key, place, "E0101"))
        {
            ["description"] = "重试不应产生第二个案件。",
        };
        var idempotencyKey = Guid.NewGuid().ToString("N");

        using var first = await PostAsync(client, "json", fields, idempotencyKey);
        using var retry = await PostAsync(client, "json", fields, idempotencyKey);
        using var reused = await PostAsync(client, "json", new(fields) { ["description"] = "另一件事" }, idempotencyKey);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal(422, JsonDocument.Parse(await reused.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task PostRequest_NearAnOpenCaseOfTheSameKind_NamesItInTheServiceNotice()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string>(Filing(key, place, "E0104"))
        {
            ["description"] = "楼道堆放杂物。",
        };

        using var first = await PostAsync(client, "json", fields);
        using var second = await PostAsync(client, "json", fields);
        var firstNumber = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString()!;
        var notice = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_notice").GetString()!;

        Assert.Contains(firstNumber, notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRequest_OutsideTheJurisdiction_Is400()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();

        using var response = await PostAsync(client, "json", Filing(key, place, "E0101", OtherJurisdiction));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(OtherJurisdiction, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    // ---- GET Service Requests ----

    [Fact]
    public async Task GetRequests_DefaultsToTheMostRecent90Days_AndAtMost1000Requests()
    {
        using var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow;

        var requests = await JsonAsync(client, $"{V2}/requests.json?{J}");

        var count = requests.GetArrayLength();
        Assert.InRange(count, 1, 1000);
        Assert.All(requests.EnumerateArray(), r =>
            Assert.InRange(DateTimeOffset.Parse(r.GetProperty("requested_datetime").GetString()!, CultureInfo.InvariantCulture), now.AddDays(-90).AddMinutes(-5), now.AddMinutes(5)));
        var inWindow = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters()
            .Where(c => c.GridCode.StartsWith(Jurisdiction) && c.ReportedAt >= now.AddDays(-89)).CountAsync(Ct));
        Assert.Equal(Math.Min(inWindow, 1000), Math.Min(count, inWindow));
    }

    [Fact]
    public async Task GetRequests_ARangeOfMoreThan90Days_Is400()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/requests.json?{J}&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GetRequests_DatesMustBeW3DateTimesWithAZone()
    {
        using var client = app.CreateClient();

        using var noZone = await client.GetAsync(new Uri($"{V2}/requests.json?{J}&start_date=2026-01-01T00:00:00", UriKind.Relative), Ct);
        using var withZone = await client.GetAsync(new Uri($"{V2}/requests.json?{J}&start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-02-01T00:00:00Z", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noZone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withZone.StatusCode);
        var requests = JsonDocument.Parse(await withZone.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.All(requests.EnumerateArray(), r => Assert.InRange(
            DateTimeOffset.Parse(r.GetProperty("requested_datetime").GetString()!, CultureInfo.InvariantCulture),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task GetRequests_ServiceRequestIdList_OverridesEveryOtherArgument()
    {
        var (numbers, _) = await FileTwoAsync();
        using var client = app.CreateClient();

        var requests = await JsonAsync(client, $"{V2}/requests.json?{J}&service_request_id={numbers[0]},{numbers[1]}&status=closed&service_code=G0402&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z");

        Assert.Equal(numbers.Order(StringComparer.Ordinal), Numbers(requests).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetRequests_ServiceCodeAndStatus_AreCommaDelimitedLists()
    {
        using var client = app.CreateClient();

        var requests = await JsonAsync(client, $"{V2}/requests.json?{J}&service_code=E0101,E0503&status=open");
        var both = await JsonAsync(client, $"{V2}/requests.json?{J}&service_code=E0101&status=open,closed");
        var invalid = await client.GetAsync(new Uri($"{V2}/requests.json?{J}&status=pending", UriKind.Relative), Ct);

        Assert.NotEmpty(requests.EnumerateArray());
        Assert.All(requests.EnumerateArray(), r =>
        {
            Assert.Contains(r.GetProperty("service_code").GetString(), new[] { "E0101", "E0503" });
            Assert.Equal("open", r.GetProperty("status").GetString());
        });
        Assert.All(both.EnumerateArray(), r => Assert.Equal("E0101", r.GetProperty("service_code").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task GetRequests_StatusIsOpenOrClosed_AndClosedMeansResolved()
    {
        using var client = app.CreateClient();

        var closed = await JsonAsync(client, $"{V2}/requests.json?{J}&status=closed");
        var numbers = Numbers(closed).Take(50).ToList();
        var statuses = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => numbers.Contains(c.Number)).Select(c => c.Status).ToListAsync(Ct));

        Assert.NotEmpty(numbers);
        Assert.All(closed.EnumerateArray(), r => Assert.Equal("closed", r.GetProperty("status").GetString()));
        Assert.All(statuses, s => Assert.True(s.IsFinal(), $"{s} is not final"));
    }

    [Fact]
    public async Task GetRequests_EveryFieldOfTheSpecIsThere_WithW3TimesWithAnOffset()
    {
        using var client = app.CreateClient();

        var xml = await XmlAsync(client, $"{V2}/requests.xml?{J}&status=open");

        var request = xml.Root!.Elements("request").First();
        string[] fields = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
            "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"];
        Assert.Equal(fields, request.Elements().Select(e => e.Name.LocalName));
        Assert.Matches(W3Time, request.Element("requested_datetime")!.Value);
        Assert.Matches(W3Time, request.Element("updated_datetime")!.Value);
        Assert.False(string.IsNullOrEmpty(request.Element("agency_responsible")!.Value));
    }

    [Fact]
    public async Task GetRequests_PublicFactsOnly_TheFilingClientAlsoSeesWhatItSent()
    {
        var (numbers, key) = await FileTwoAsync();
        using var client = app.CreateClient();

        var anonymous = (await JsonAsync(client, $"{V2}/requests/{numbers[0]}.json?{J}"))[0];
        var filer = (await JsonAsync(client, $"{V2}/requests/{numbers[0]}.json?{J}&api_key={Uri.EscapeDataString(key)}"))[0];
        var stranger = (await JsonAsync(client, $"{V2}/requests/{numbers[0]}.json?{J}&api_key={Uri.EscapeDataString(await IssueKeyAsync())}"))[0];

        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("description").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("address").ValueKind);
        Assert.Equal(Math.Round(anonymous.GetProperty("lat").GetDouble(), 3), anonymous.GetProperty("lat").GetDouble());
        Assert.Equal(JsonValueKind.Null, stranger.GetProperty("description").ValueKind);
        Assert.Equal("两件事之一。", filer.GetProperty("description").GetString());
        Assert.Equal("https://example.org/photo.jpg", filer.GetProperty("media_url").GetString());
    }

    [Fact]
    public async Task GetRequests_AnInvalidApiKey_Is403()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri($"{V2}/requests.xml?{J}&api_key=cg311_nothing", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GetRequests_AgencyResponsible_NamesTheGridOrTheDepartmentInCharge()
    {
        var (numbers, _) = await FileTwoAsync();
        using var client = app.CreateClient();
        var grid = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == numbers[0]).Select(c => c.GridCode).SingleAsync(Ct));
        var thirdCode = CaseRules.OwnerCodeOf(grid, CaseTier.Green);
        var third = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().Where(g => g.Code == thirdCode).Select(g => g.Name).FirstAsync(Ct));

        var request = (await JsonAsync(client, $"{V2}/requests/{numbers[0]}.json?{J}"))[0];

        Assert.Equal($"{third}网格长", request.GetProperty("agency_responsible").GetString());
        Assert.Equal("open", request.GetProperty("status").GetString());
        Assert.Matches(W3Time, request.GetProperty("expected_datetime").GetString() ?? "2026-01-01T00:00:00Z");
    }

    // ---- GET Service Request ----

    [Fact]
    public async Task GetRequest_AnswersAListOfOne_AndAnUnknownIdIs404()
    {
        var (numbers, _) = await FileTwoAsync();
        using var client = app.CreateClient();

        var xml = await XmlAsync(client, $"{V2}/requests/{numbers[1]}.xml?{J}");
        using var unknown = await client.GetAsync(new Uri($"{V2}/requests/2099010199999.xml?{J}", UriKind.Relative), Ct);
        using var elsewhere = await client.GetAsync(new Uri($"{V2}/requests/{numbers[1]}.xml?jurisdiction_id={OtherJurisdiction}", UriKind.Relative), Ct);

        Assert.Equal("service_requests", xml.Root!.Name.LocalName);
        Assert.Equal(numbers[1], Assert.Single(xml.Root.Elements("request")).Element("service_request_id")!.Value);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    // ---- GET service_request_id from a token ----

    [Fact]
    public async Task Tokens_ThisRealtimeEndpointIssuesNone_SoATokenIs404()
    {
        using var client = app.CreateClient();

        using var xml = await client.GetAsync(new Uri($"{V2}/tokens/12345.xml?{J}", UriKind.Relative), Ct);
        using var json = await client.GetAsync(new Uri($"{V2}/tokens/12345.json?{J}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, xml.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("errors", XDocument.Parse(await xml.Content.ReadAsStringAsync(Ct)).Root!.Name.LocalName);
    }

    // ---- API keys ----

    [Fact]
    public async Task ApiKeys_TheSystemAdminIssuesListsAndRevokes_AndTheKeyIsShownOnce()
    {
        using var admin = await app.ClientForAsync("admin");
        using var ops = await app.ClientForAsync("ops");
        var name = CivicGridApp.UniqueName("app");

        using var created = await admin.PostAsync(new Uri("/api/admin/apikeys", UriKind.Relative),
            JsonContent(new { name, jurisdiction = Jurisdiction }), Ct);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement;
        var secret = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetString();
        var listed = await admin.GetStringAsync(new Uri("/api/admin/apikeys", UriKind.Relative), Ct);
        using var forbidden = await ops.GetAsync(new Uri("/api/admin/apikeys", UriKind.Relative), Ct);
        using var badJurisdiction = await admin.PostAsync(new Uri("/api/admin/apikeys", UriKind.Relative), JsonContent(new { name, jurisdiction = "610103099001" }), Ct);
        var stored = await app.WithDatabaseAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == name, Ct));
        using var revoked = await admin.DeleteAsync(new Uri($"/api/admin/apikeys/{id}", UriKind.Relative), Ct);
        var afterRevoke = await app.WithDatabaseAsync(db => ApiKeys.FindActiveByHashAsync(db, ApiKeys.HashOf(secret), Ct));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith(stored.Prefix, secret, StringComparison.Ordinal);
        Assert.Equal(ApiKeys.HashOf(secret), stored.Hash);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.Hash, listed, StringComparison.Ordinal);
        Assert.Contains(name, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJurisdiction.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Null(afterRevoke);
    }

    [Fact]
    public async Task ApiKeys_TheOperatorCommandPrintsTheNewKeyAsItsLastLine_AndItFilesARequest()
    {
        using var captured = new StringWriter();
        var code = await Commands.OperatorCommands.RunAsync(["apikeys", "create"], ["--name", "12345 热线对接", "--jurisdiction", Jurisdiction], app.Services,
            captured);

        var key = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        using var response = await PostAsync(client, "json", new()
        {
            ["api_key"] = key, ["service_code"] = "E0101", ["lat"] = Num(place.Lat), ["long"] = Num(place.Lon),
        });

        Assert.Equal(0, code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(List<string> Numbers, string Key)> FileTwoAsync()
    {
        var key = await IssueKeyAsync();
        var place = await _scenario.CertainPlaceAsync();
        using var client = app.CreateClient();
        var numbers = new List<string>();
        foreach (var code in new[] { "C0102", "E0201" })
        {
            using var response = await PostAsync(client, "json", new()
            {
                ["api_key"] = key, ["jurisdiction_id"] = Jurisdiction, ["service_code"] = code, ["lat"] = Num(place.Lat), ["long"] = Num(place.Lon),
                ["description"] = "两件事之一。", ["media_url"] = "https://example.org/photo.jpg", ["address_string"] = "示范路口",
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            numbers.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement[0].GetProperty("service_request_id").GetString()!);
        }

        return (numbers, key);
    }

    /// <summary>The fields every filing in these tests shares: key, jurisdiction, service and a WGS-84 position.</summary>
    private static Dictionary<string, string> Filing(string key, DemoPlace place, string serviceCode, string jurisdiction = Jurisdiction) => new()
    {
        ["api_key"] = key, ["jurisdiction_id"] = jurisdiction, ["service_code"] = serviceCode, ["lat"] = Num(place.Lat), ["long"] = Num(place.Lon),
    };

    private Task<string> IssueKeyAsync(string? jurisdiction = null) => app.WithDatabaseAsync(async db =>
        (await ApiKeys.IssueAsync(db, CivicGridApp.UniqueName("client"), jurisdiction, "test", DateTimeOffset.UtcNow, Ct)).Secret);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string format, Dictionary<string, string> fields, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{V2}/requests.{format}", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<XDocument> XmlAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {text}");
        return XDocument.Parse(text);
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static List<string> Numbers(JsonElement requests) =>
        [.. requests.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()!)];

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed class Open311ConformanceTestsOnSqlite(SqliteApp app) : Open311ConformanceTests(app), IClassFixture<SqliteApp>;

public sealed class Open311ConformanceTestsOnPostgres(PostgresApp app) : Open311ConformanceTests(app), IClassFixture<PostgresApp>;
