using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// Reading typed query parameters without stopping at the first bad one: each reader returns the value (or null) and
/// adds a Chinese message under the parameter's name to <c>errors</c> when the text does not read.
/// </summary>
public static class QueryValues
{
    /// <summary>API names (<see cref="ApiEnums"/>), the parameter repeated or comma-separated; null when absent.</summary>
    public static IReadOnlyList<T>? Enums<T>(StringValues values, string field, Dictionary<string, string[]> errors, Func<string, string> message)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(message);
        var parsed = new List<T>();
        var bad = new List<string>();
        foreach (var part in values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!ApiEnums.TryParse<T>(part, out var value))
            {
                bad.Add(message(part));
            }
            else if (!parsed.Contains(value))
            {
                parsed.Add(value);
            }
        }

        if (bad.Count > 0)
        {
            errors[field] = [.. bad];
        }

        return parsed.Count > 0 ? parsed : null;
    }

    /// <summary>One API name; null when absent or empty.</summary>
    public static T? Enum<T>(string? text, string field, Dictionary<string, string[]> errors, Func<string, string> message)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (ApiEnums.TryParse<T>(text, out var value))
        {
            return value;
        }

        errors[field] = [message(text)];
        return null;
    }

    /// <summary>true/false (or 1/0); null when absent or empty.</summary>
    public static bool? Bool(string? text, string field, string nameZh, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                errors[field] = [$"{nameZh}（{field}）应为 true 或 false，收到“{text}”。"];
                return null;
        }
    }

    /// <summary>A whole number in [min, max]; null when absent, empty or out of range.</summary>
    public static int? Int(string? text, string field, int min, int max, string message, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [message];
            return null;
        }

        return value;
    }
}
