using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Server.Features.Sms;

/// <summary>
/// Alibaba Cloud's RPC-style request signature, version 1.0 with HMAC-SHA1 (the "签名机制" document of the RPC APIs,
/// which SMS <c>SendSms</c> and <c>QuerySendDetails</c>, API version 2017-05-25, use): every parameter, the public ones
/// (<c>AccessKeyId</c>, <c>SignatureMethod</c>, <c>SignatureNonce</c>, <c>SignatureVersion</c>, <c>Timestamp</c>…) and the
/// action's, percent-encoded per RFC 3986 (UTF-8; only A–Z a–z 0–9 <c>-_.~</c> left as they are, so a space is
/// <c>%20</c>, <c>*</c> is <c>%2A</c>, <c>~</c> stays), sorted by name in byte order, joined as <c>k=v&amp;…</c>; the string
/// to sign is <c>METHOD&amp;%2F&amp;</c> + the percent-encoded joined query; the signature is Base64 of HMAC-SHA1 keyed with
/// the AccessKey secret followed by <c>&amp;</c>.
/// </summary>
public static class AliyunSigner
{
    public const string SignatureMethod = "HMAC-SHA1";
    public const string SignatureVersion = "1.0";

    /// <summary>Percent-encoding by the document's rule (RFC 3986 unreserved characters kept, hex in upper case).</summary>
    public static string PercentEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The canonicalised query: encoded names and values, sorted by encoded name in ordinal (byte) order.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => (Name: PercentEncode(p.Key), Value: PercentEncode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));

    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        $"{method.ToUpperInvariant()}&{PercentEncode("/")}&{PercentEncode(CanonicalQuery(parameters))}";

    /// <summary>Base64(HMAC-SHA1(secret + "&amp;", string to sign)).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms",
        Justification = "HMAC-SHA1 is what Alibaba Cloud's RPC signature v1.0 is defined with; HMAC-SHA1 is not broken as a MAC.")]
    public static string Sign(string accessKeySecret, string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        var key = Encoding.UTF8.GetBytes(accessKeySecret + "&");
        return Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(StringToSign(method, parameters))));
    }

    /// <summary>The ISO 8601 UTC timestamp the document asks for, e.g. <c>2026-12-07T10:20:30Z</c>.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The public parameters and the action's, signed: the form body of the POST (or the query of a GET) with
    /// <c>Signature</c> added.
    /// </summary>
    public static List<KeyValuePair<string, string>> SignedParameters(string accessKeyId, string accessKeySecret, string action, string version,
        string regionId, IEnumerable<KeyValuePair<string, string>> actionParameters, DateTimeOffset at, string nonce, string method = "POST")
    {
        var all = new List<KeyValuePair<string, string>>
        {
            new("AccessKeyId", accessKeyId),
            new("Action", action),
            new("Format", "JSON"),
            new("RegionId", regionId),
            new("SignatureMethod", SignatureMethod),
            new("SignatureNonce", nonce),
            new("SignatureVersion", SignatureVersion),
            new("Timestamp", Timestamp(at)),
            new("Version", version),
        };
        all.AddRange(actionParameters);
        all.Add(new("Signature", Sign(accessKeySecret, method, all)));
        return all;
    }
}
