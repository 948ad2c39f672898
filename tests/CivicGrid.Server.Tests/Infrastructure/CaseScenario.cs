using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>A place in the demo subdistrict and who works there.</summary>
/// <param name="GridCode">The grid a report at this point is routed to.</param>
/// <param name="LeaderUserName">The grid leader of its 3rd-level grid.</param>
public sealed record DemoPlace(double Lon, double Lat, string GridCode, string ThirdCode, string LeaderUserName, Guid LeaderId);

/// <summary>
/// Helpers for case tests over HTTP: places in the demo geography routed with certainty or ambiguously, the people
/// who own them, reports through <c>POST /api/cases</c> and workflow calls that return the new version.
/// </summary>
public sealed class CaseScenario(CivicGridApp app)
{
    private static int _nextPlace;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public CivicGridApp App => app;

    /// <summary>
    /// A point the router places with certainty in a territorial grid of the main subdistrict (no dedicated grid), a
    /// different 3rd-level grid on each call so that tests running together do not share queues.
    /// </summary>
    public async Task<DemoPlace> CertainPlaceAsync()
    {
        var snapshot = await app.Services.GetRequiredService<GeographyIndex>().GetAsync(Ct);
        var thirds = snapshot.Grids.Values
            .Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial } && g.Code.StartsWith("610103099", StringComparison.Ordinal))
            .OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        for (var attempt = 0; attempt < thirds.Count; attempt++)
        {
            var third = thirds[Interlocked.Increment(ref _nextPlace) % thirds.Count];
            var interior = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().AsNoTracking()
                .Where(g => g.ParentCode == third.Code).OrderBy(g => g.Code).Select(g => g.Boundary).FirstAsync(Ct));
            var point = interior.InteriorPoint;
            var answer = Router.Route(snapshot, point.X, point.Y, 5);
            if (answer.Confidence == LocateConfidence.Certain && answer.DedicatedCodes.Count == 0 && answer.GridCode is { } code)
            {
                var (leaderName, leaderId) = await LeaderOfAsync(third.Code);
                return new DemoPlace(point.X, point.Y, code, third.Code, leaderName, leaderId);
            }
        }

        throw new InvalidOperationException("No certain place in the demo geography.");
    }

    /// <summary>A point on the shared edge of two 3rd-level grids, with an accuracy that touches both and no third (by intake's default 5 % share).</summary>
    public async Task<(double Lon, double Lat, double Accuracy, IReadOnlyList<string> Candidates)> AmbiguousPlaceAsync()
    {
        var snapshot = await app.Services.GetRequiredService<GeographyIndex>().GetAsync(Ct);
        var thirds = snapshot.Grids.Values.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }
            && g.Code.StartsWith("610103099", StringComparison.Ordinal)).OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        for (var attempt = 0; attempt < thirds.Count; attempt++)
        {
            var third = thirds[Interlocked.Increment(ref _nextPlace) % thirds.Count];
            var boundary = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().AsNoTracking()
                .Where(g => g.Code == third.Code).Select(g => g.Boundary).SingleAsync(Ct));
            var envelope = boundary.EnvelopeInternal;
            var lat = (envelope.MinY + envelope.MaxY) / 2;
            var lon = envelope.MaxX - 0.00003;
            var answer = Router.Route(snapshot, lon, lat, 30);
            var territorial = answer.Candidates.Where(c => c.Share >= 0.05).Select(c => c.Code).Distinct().ToList();
            if (answer.Confidence == LocateConfidence.Ambiguous && answer.DedicatedCodes.Count == 0 && territorial.Count == 2
                && territorial.Select(c => c[..GridCodes.ThirdLength]).Distinct().Count() == 2 && territorial.Contains(answer.GridCode!)
                // Both in the main subdistrict: a border with the neighbouring subdistrict would put its staff among the candidates.
                && territorial.All(c => c.StartsWith("610103099", StringComparison.Ordinal)))
            {
                return (lon, lat, 30, territorial);
            }
        }

        throw new InvalidOperationException("No ambiguous place in the demo geography.");
    }

    /// <summary>The demo grid leader of a 3rd-level grid.</summary>
    public Task<(string UserName, Guid Id)> LeaderOfAsync(string thirdCode) => UserAtAsync(thirdCode, Role.GridLeader);

    /// <summary>A demo user of a role whose scope is exactly <paramref name="scopeCode"/>.</summary>
    public Task<(string UserName, Guid Id)> UserAtAsync(string scopeCode, Role role) =>
        app.WithDatabaseAsync(async db =>
        {
            var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.ScopeCode == scopeCode && u.IsActive).ToListAsync(Ct);
            var user = users.First(u => u.Roles.Contains(role));
            return (user.UserName, user.Id);
        });

    /// <summary>Posts a report as multipart (with photos) through <paramref name="client"/>.</summary>
    public static async Task<HttpResponseMessage> ReportAsync(HttpClient client, IDictionary<string, string> fields, IReadOnlyList<byte[]>? photos = null,
        string? idempotencyKey = null)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        var index = 0;
        foreach (var photo in photos ?? [])
        {
            var part = new ByteArrayContent(photo);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "photos", $"photo{++index}.jpg");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    public static Dictionary<string, string> ReportFields(double lon, double lat, string category = "C0102", string description = "路灯不亮，晚上看不清路。") =>
        new()
        {
            ["categoryCode"] = category,
            ["description"] = description,
            ["lon"] = lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["lat"] = lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["crs"] = "wgs84",
        };

    /// <summary>Posts a workflow verb and returns the answer, asserting nothing.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    /// <summary>Posts a workflow verb that must succeed and returns the case's new version.</summary>
    public static async Task<int> ActAsync(HttpClient client, string number, string verb, object body)
    {
        var response = await PostAsync(client, $"/api/cases/{number}/{verb}", body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{verb} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32();
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
}
