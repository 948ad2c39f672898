using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using CivicGrid.Server.Features.Open311;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using CivicGrid.Server.Features.Cases.Photos;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Our endpoints driven the way a client written by others drives them: Code for America's <c>three</c>
/// (github.com/codeforamerica/three, PyPI <c>three</c> 0.8, <c>three/core.py</c>). This machine's package sources do
/// not include PyPI, so the client's requests are reproduced here call for call: <c>Three(endpoint, jurisdiction=…,
/// api_key=…, format=…)</c> builds <c>endpoint + '/'.join(args) + '.' + format</c>, adds <c>jurisdiction_id</c> to every
/// query and form, turns <c>start</c>/<c>end</c> (<c>mm-dd-yyyy</c>) into <c>start_date</c>/<c>end_date</c> as
/// <c>%Y-%m-%dT%H:%M:%SZ</c>, sends <c>count</c> as <c>page_size</c>, and posts <c>data=kwargs</c> form-encoded
/// (<c>address</c> → <c>address_string</c>, <c>name</c> split into <c>first_name</c>/<c>last_name</c>, <c>api_key</c>), or
/// multipart with the file as <c>media</c> when one is given. Its XML reading takes the root's first child list.
/// </summary>
public abstract class Open311ThreeClientTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task Three_ListsServices_PostsARequest_AndReadsItBack(string format)
    {
        var key = await app.WithDatabaseAsync(async db =>
            (await ApiKeys.IssueAsync(db, "three (Code for America)", null, "test", DateTimeOffset.UtcNow, Ct)).Secret);
        var place = await _scenario.CertainPlaceAsync();
        using var http = app.CreateClient();
        var three = new Three(http, "http://localhost/open311/v2", Open311ConformanceTests.Jurisdiction, key, format);

        var discovery = await three.GetAsync(["discovery"], []);
        var services = await three.GetAsync(["services"], []);
        var definition = await three.GetAsync(["services", "C0102"], []);
        var posted = await three.PostAsync("C0102", new()
        {
            ["lat"] = place.Lat.ToString("R", CultureInfo.InvariantCulture), ["long"] = place.Lon.ToString("R", CultureInfo.InvariantCulture),
            ["address"] = "示范路 12 号门口", ["name"] = "Zach Williams", ["phone"] = "13800138000", ["description"] = "路灯不亮。",
        });
        var number = Field(format, posted, "service_request_id");
        var request = await three.GetAsync(["requests", number], []);
        var today = DateTime.UtcNow.AddDays(1).ToString("MM-dd-yyyy", CultureInfo.InvariantCulture);
        var recent = await three.GetAsync(["requests"], new() { ["start"] = DateTime.UtcNow.AddDays(-2).ToString("MM-dd-yyyy", CultureInfo.InvariantCulture), ["end"] = today, ["count"] = "50" });
        var token = await three.GetAsync(["tokens", "12345"], []);

        Assert.Equal(HttpStatusCode.OK, discovery.Status);
        Assert.Equal(HttpStatusCode.OK, services.Status);
        Assert.Contains("C0102", services.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, definition.Status);
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Matches(@"^\d{13}$", number);
        Assert.Equal(HttpStatusCode.OK, request.Status);
        Assert.Equal(number, Field(format, request, "service_request_id"));
        Assert.Equal("open", Field(format, request, "status"));
        Assert.Equal(HttpStatusCode.OK, recent.Status);
        Assert.Contains(number, recent.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, token.Status);
    }

    [Fact]
    public async Task Three_PostsAPhotoAsMedia_Multipart_AndItBecomesTheCasesPhoto()
    {
        var key = await app.WithDatabaseAsync(async db =>
            (await ApiKeys.IssueAsync(db, "three with media", null, "test", DateTimeOffset.UtcNow, Ct)).Secret);
        var place = await _scenario.CertainPlaceAsync();
        using var http = app.CreateClient();
        var three = new Three(http, "http://localhost/open311/v2", Open311ConformanceTests.Jurisdiction, key, "json");

        var posted = await three.PostAsync("E0101", new()
        {
            ["lat"] = place.Lat.ToString("R", CultureInfo.InvariantCulture), ["long"] = place.Lon.ToString("R", CultureInfo.InvariantCulture),
            ["description"] = "垃圾满溢（附照片）。",
        }, TestPhotos.Jpeg(640, 480));
        var number = Field("json", posted, "service_request_id");
        var photos = await app.WithDatabaseAsync(db => db.CasePhotos.IgnoreQueryFilters()
            .CountAsync(p => db.Cases.IgnoreQueryFilters().Any(c => c.Id == p.CaseId && c.Number == number), Ct));

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal(1, photos);
    }

    /// <summary>The first request's field, read as three does: JSON is a list, XML the root's first child list.</summary>
    private static string Field(string format, (HttpStatusCode Status, string Body) answer, string name) => format == "json"
        ? JsonDocument.Parse(answer.Body).RootElement[0].GetProperty(name).GetString()!
        : XDocument.Parse(answer.Body).Root!.Elements().First().Element(name)!.Value;

    /// <summary>The HTTP that <c>three.core.Three</c> sends, method for method.</summary>
    private sealed class Three(HttpClient http, string endpoint, string jurisdiction, string apiKey, string format)
    {
        private readonly string _endpoint = endpoint.EndsWith('/') ? endpoint : endpoint + "/";

        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string[] args, Dictionary<string, string> kwargs)
        {
            var query = new Dictionary<string, string>(kwargs);
            query.TryAdd("jurisdiction_id", jurisdiction);
            if (query.Remove("count", out var count))
            {
                query["page_size"] = count;
            }

            if (query.Remove("start", out var start))
            {
                query["start_date"] = W3(start);
                query["end_date"] = W3(query.Remove("end", out var end) ? end : DateTime.UtcNow.ToString("MM-dd-yyyy", CultureInfo.InvariantCulture));
            }

            var url = CreatePath(args) + "?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            using var response = await http.GetAsync(new Uri(url), Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        public async Task<(HttpStatusCode Status, string Body)> PostAsync(string serviceCode, Dictionary<string, string> kwargs, byte[]? media = null)
        {
            var data = new Dictionary<string, string>(kwargs) { ["service_code"] = serviceCode };
            data.TryAdd("jurisdiction_id", jurisdiction);
            if (data.Remove("address", out var address))
            {
                data["address_string"] = address;
            }

            if (data.Remove("name", out var name))
            {
                var parts = name.Split(' ');
                (data["first_name"], data["last_name"]) = (parts[0], parts[1]);
            }

            data.TryAdd("api_key", apiKey);
            HttpContent content;
            if (media is null)
            {
                content = new FormUrlEncodedContent(data);
            }
            else
            {
                // requests.post(url, data=kwargs, files={'media': media}): multipart, the file under the name "media".
                var multipart = new MultipartFormDataContent();
                foreach (var (field, value) in data)
                {
                    multipart.Add(new StringContent(value), field);
                }

                var file = new ByteArrayContent(media);
                file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                multipart.Add(file, "media", "photo.jpg");
                content = multipart;
            }

            using (content)
            {
                using var response = await http.PostAsync(new Uri(CreatePath(["requests"])), content, Ct);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
            }
        }

        private string CreatePath(string[] args) => _endpoint + string.Join('/', args.Where(a => !string.IsNullOrEmpty(a))) + "." + format;

        private static string W3(string monthDayYear)
        {
            var parts = monthDayYear.Split('-', '/').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            var year = parts[2] < 100 ? parts[2] + 2000 : parts[2];
            return new DateTime(year, parts[0], parts[1], 0, 0, 0, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
    }
}

public sealed class Open311ThreeClientTestsOnSqlite(SqliteApp app) : Open311ThreeClientTests(app), IClassFixture<SqliteApp>;

public sealed class Open311ThreeClientTestsOnPostgres(PostgresApp app) : Open311ThreeClientTests(app), IClassFixture<PostgresApp>;
