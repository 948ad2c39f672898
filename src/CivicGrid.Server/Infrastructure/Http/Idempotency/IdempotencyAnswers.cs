using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>An answer as it is kept for replay: status, content type, location and the body sealed by <see cref="IdempotencyAnswers"/>.</summary>
/// <param name="Body">Sealed; null when the answer was over the cap or had no body.</param>
public sealed record StoredAnswer(int StatusCode, string? ContentType, string? Location, byte[]? Body);

/// <summary>
/// Seals stored answers with ASP.NET Core Data Protection (keys in the data directory, rotated by it, never in the
/// database) under a purpose that includes the caller and the client's own idempotency key. The database holds only
/// the key's hash, so a copy of the database, or a reader of the key ring alone, cannot read an answer back; only a
/// retry carrying the key can. Answers may hold a secret shown once: a follow token, an API key.
/// </summary>
public sealed class IdempotencyAnswers(IDataProtectionProvider provider, ILogger<IdempotencyAnswers> logger)
{
    private readonly IDataProtector _root = provider.CreateProtector("CivicGrid.Idempotency.Answer.v1");

    public byte[] Seal(string caller, string key, byte[] body) => _root.CreateProtector(caller).CreateProtector(key).Protect(body);

    /// <summary>The answer's bytes, or null when they cannot be opened (the key ring lost or the record tampered with).</summary>
    public byte[]? Open(string caller, string key, byte[] sealedBody)
    {
        try
        {
            return _root.CreateProtector(caller).CreateProtector(key).Unprotect(sealedBody);
        }
        catch (CryptographicException e)
        {
            logger.LogWarning(e, "A stored idempotent answer of {Caller} could not be opened; the retry gets its status and location only", caller);
            return null;
        }
    }
}
