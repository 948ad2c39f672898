using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// Enum values as the API spells them: kebab-case (<c>InHandling</c> → <c>in-handling</c>), the same names the JSON
/// converter writes and the OpenAPI document lists. Query strings and lenient request fields read them here.
/// </summary>
public static class ApiEnums
{
    /// <summary>The API name of one value.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return typeof(T).GetField(name)?.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false) is [JsonStringEnumMemberNameAttribute named, ..]
            ? named.Name
            : JsonNamingPolicy.KebabCaseLower.ConvertName(name);
    }

    /// <summary>Every API name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(Name)];

    /// <summary>The names joined for a Chinese message: in-handling、handled…</summary>
    public static string List<T>()
        where T : struct, Enum => string.Join("、", Names<T>());

    /// <summary>
    /// Reads an API name (ignoring case, so <c>In-Handling</c> is read too). Numbers and the C# names of values spelled
    /// differently (<c>InHandling</c>) are refused: the contract has one spelling.
    /// </summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        var wanted = text?.Trim();
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Name(candidate), wanted, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
