using System.Net;
using System.Text.Json;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>Reads an answer after asserting its status, and problem details with a Chinese <c>detail</c>.</summary>
public static class HttpAnswers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body (default when empty).</summary>
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Asserts a problem with a Chinese detail (and the type, when given) and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? type = null)
    {
        var body = await OkAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(body.GetProperty("detail").GetString()!, c => c >= '\u4e00' && c <= '\u9fff');
        if (type is not null)
        {
            Assert.Equal(type, body.GetProperty("type").GetString());
        }

        return body;
    }
}
