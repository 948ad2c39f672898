using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>A device registered for a test, with the secret the registry answered once.</summary>
public sealed record TestDevice(string Code, string Secret, string GridCode);

/// <summary>
/// Registers devices through <c>POST /api/devices</c> and signs their messages the way docs/adr/0012-devices.md says,
/// written out here rather than borrowed from the server so that the tests check the documented scheme.
/// </summary>
public static class TestDevices
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TestDevice> RegisterAsync(CivicGridApp app, DemoPlace place, string kind = "smoke-detector", string registrar = "ops")
    {
        using var client = await app.ClientForAsync(registrar);
        var code = "T-" + Guid.NewGuid().ToString("N")[..12];
        var response = await client.PostAsJsonAsync("/api/devices",
            new { code, kind, name = "3 号楼楼道烟感", model = "海曼 HM-608PH", owner = "测试物业公司", lon = place.Lon, lat = place.Lat }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        return new TestDevice(code, body.GetProperty("secret").GetString()!, body.GetProperty("device").GetProperty("gridCode").GetString()!);
    }

    public static string Sign(string secret, long timestamp, string nonce, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{body}")));

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string NewNonce() => Guid.NewGuid().ToString("N");

    /// <summary>A signed POST; every part can be spoiled by the caller.</summary>
    public static HttpRequestMessage Signed(string path, TestDevice device, string body, long? timestamp = null, string? nonce = null, string? signature = null)
    {
        var at = timestamp ?? Now();
        var once = nonce ?? NewNonce();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-CivicGrid-Device", device.Code);
        request.Headers.Add("X-CivicGrid-Timestamp", at.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-CivicGrid-Nonce", once);
        request.Headers.Add("X-CivicGrid-Signature", signature ?? Sign(device.Secret, at, once, body));
        return request;
    }

    public static HttpRequestMessage Alarm(TestDevice device, string type, string? message = null) =>
        Signed("/api/device-webhook/alarms", device, JsonSerializer.Serialize(new { type, message }));
}
