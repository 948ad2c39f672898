using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Tests.Photos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>A red case handed to the district through the API: its number, the referral and the case's version after the hand-off.</summary>
public sealed record RedReferral(string Number, Guid ReferralId, int Version);

/// <summary>Helpers for the district hand-off: a red case handed over, and signed requests as the district's system sends them.</summary>
public static class DistrictKit
{
    /// <summary>A resident's report escalated to red by the operations centre and handed to the district.</summary>
    public static async Task<RedReferral> RedReferralAsync(CivicGridApp app)
    {
        var place = await new CaseScenario(app).CertainPlaceAsync();
        using var resident = await app.ClientForAsync("resident001");
        var created = await ReportAsync(resident, ReportFields(place.Lon, place.Lat, "C0101", $"井盖破损 {Guid.NewGuid():N}"), [TestPhotos.Jpeg(200, 150)]);
        var report = await JsonAsync(created);
        var number = report.GetProperty("number").GetString()!;
        var version = report.GetProperty("version").GetInt32();
        using var operations = await app.ClientForAsync("ops");
        version = await ActAsync(operations, number, "escalate", new { expectedVersion = version, reason = "需社区协调。" });
        version = await ActAsync(operations, number, "escalate", new { expectedVersion = version, reason = "需街道研究。" });
        version = await ActAsync(operations, number, "escalate", new { expectedVersion = version, reason = "涉及区级权限。" });
        version = await ActAsync(operations, number, "hand-to-district", new { expectedVersion = version, summary = "主干道井盖缺失，需区城管局处置。" });
        var referrals = await JsonAsync(await operations.GetAsync(new Uri("/api/district-referrals", UriKind.Relative), Ct));
        var id = referrals.EnumerateArray().Single(r => r.GetProperty("caseNumber").GetString() == number).GetProperty("id").GetGuid();
        return new RedReferral(number, id, version);
    }

    /// <summary>A request to <c>/api/district/answers</c> signed with <paramref name="secret"/> at <paramref name="at"/>.</summary>
    public static HttpRequestMessage SignedAnswer(string body, string secret, DateTimeOffset at, string? keyId = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = at.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/district/answers") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(DistrictSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(DistrictSignature.SignatureHeader, DistrictSignature.Sign(secret, timestamp, bytes));
        if (keyId is not null)
        {
            request.Headers.Add(DistrictSignature.KeyIdHeader, keyId);
        }

        return request;
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>One hand-off the test district received.</summary>
public sealed record ReceivedHandOff(Guid ReferralId, string MessageId, SignatureCheck Signature, JsonElement Body, int AnsweredWith, string? KeyId = null);

/// <summary>
/// The district's system as a real HTTP server (Kestrel on a loopback port): checks each hand-off's signature, answers
/// 500 to the first <c>failFirst</c> deliveries of <c>failReferral</c>, then 200.
/// </summary>
public sealed class DistrictReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private DistrictReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public ConcurrentQueue<ReceivedHandOff> Received { get; } = new();

    public static async Task<DistrictReceiver> StartAsync(int port, string secret, Guid failReferral, int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new DistrictReceiver(app, failFirst);
        app.MapPost("/hand-off", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var check = DistrictSignature.Verify(secret, request.Headers[DistrictSignature.TimestampHeader], request.Headers[DistrictSignature.SignatureHeader],
                body, DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
            var json = JsonDocument.Parse(body).RootElement.Clone();
            var referral = json.GetProperty("referral").GetProperty("id").GetGuid();
            var status = check != SignatureCheck.Valid ? 401
                : referral == failReferral && Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? 500 : 200;
            receiver.Received.Enqueue(new ReceivedHandOff(referral, request.Headers[DistrictSignature.MessageIdHeader].ToString(), check, json, status,
                request.Headers[DistrictSignature.KeyIdHeader].ToString()));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
