using System.Net;
using System.Text.Json;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>Reading an answer in a test: its JSON body at the expected status, or an RFC 9457 problem with a Chinese <c>detail</c>.</summary>
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

    /// <summary>The body at an expected status (<see cref="OkAsync"/> with the status required).</summary>
    public static Task<JsonElement> BodyAsync(HttpResponseMessage response, HttpStatusCode expected) => OkAsync(response, expected);

    /// <summary>Asserts a problem: the status, the media type, an English title, a Chinese detail (and the type, when given); returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? type = null)
    {
        var body = await OkAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", body.GetProperty("detail").GetString()!);
        if (type is not null)
        {
            Assert.Equal(type, body.GetProperty("type").GetString());
        }

        return body;
    }
}
