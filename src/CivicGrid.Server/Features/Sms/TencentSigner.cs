using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Server.Features.Sms;

/// <summary>
/// Tencent Cloud API 3.0 signature v3, <c>TC3-HMAC-SHA256</c> (the "签名方法 v3" document), for a POST of a JSON body:
/// the canonical request is <c>POST\n/\n\n</c> + the canonical headers (<c>content-type</c>, <c>host</c> and
/// <c>x-tc-action</c>, names and the action in lower case, each line ending in <c>\n</c>) + <c>\n</c> + the signed header
/// names (<c>content-type;host;x-tc-action</c>) + <c>\n</c> + hex SHA-256 of the body; the string to sign is
/// <c>TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n</c> + hex SHA-256 of the canonical request, the date
/// being the UTC date of the timestamp; the key is derived as HMAC-SHA256 chained over <c>"TC3" + SecretKey</c>, the date,
/// the service and <c>tc3_request</c>; the signature is hex HMAC-SHA256 of the string to sign under that key.
/// </summary>
public static class TencentSigner
{
    public const string Algorithm = "TC3-HMAC-SHA256";
    public const string ContentType = "application/json; charset=utf-8";
    public const string SignedHeaders = "content-type;host;x-tc-action";

    public static string CanonicalRequest(string host, string action, string body) =>
        $"POST\n/\n\ncontent-type:{ContentType}\nhost:{host}\nx-tc-action:{action.ToLowerInvariant()}\n\n{SignedHeaders}\n{Sha256Hex(body)}";

    public static string CredentialScope(long timestamp, string service) => $"{DateOf(timestamp)}/{service}/tc3_request";

    public static string StringToSign(string host, string service, string action, string body, long timestamp) =>
        $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{CredentialScope(timestamp, service)}\n{Sha256Hex(CanonicalRequest(host, action, body))}";

    public static string Signature(string secretKey, string host, string service, string action, string body, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        var secretDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(DateOf(timestamp)));
        var secretService = HMACSHA256.HashData(secretDate, Encoding.UTF8.GetBytes(service));
        var secretSigning = HMACSHA256.HashData(secretService, "tc3_request"u8);
        return Convert.ToHexStringLower(HMACSHA256.HashData(secretSigning, Encoding.UTF8.GetBytes(StringToSign(host, service, action, body, timestamp))));
    }

    /// <summary>The <c>Authorization</c> header's value.</summary>
    public static string Authorization(string secretId, string secretKey, string host, string service, string action, string body, long timestamp) =>
        $"{Algorithm} Credential={secretId}/{CredentialScope(timestamp, service)}, SignedHeaders={SignedHeaders}, Signature={Signature(secretKey, host, service, action, body, timestamp)}";

    private static string DateOf(long timestamp) =>
        DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
