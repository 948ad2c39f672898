using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>The key that signs access tokens: configured, or generated once and kept in the data directory.</summary>
public sealed class SigningKeys
{
    public SigningKeys(AuthOptions options, DataDirectory dataDirectory, ILogger<SigningKeys> logger)
    {
        byte[] key;
        if (!string.IsNullOrEmpty(options.TokenSigningKey))
        {
            key = Convert.FromBase64String(options.TokenSigningKey);
        }
        else
        {
            var path = Path.Combine(dataDirectory.KeysPath, "token-signing.key");
            if (!File.Exists(path))
            {
                try
                {
                    WriteOwnerOnly(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
                    logger.LogInformation("Generated a token signing key in {Path}", path);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another instance on the same data directory wrote it first: use theirs.
                }
            }

            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        SecurityKey = new SymmetricSecurityKey(key) { KeyId = Convert.ToHexString(SHA256.HashData(key))[..16] };
        Credentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.HmacSha256);
    }

    public SymmetricSecurityKey SecurityKey { get; }

    public SigningCredentials Credentials { get; }

    private static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(content);
    }
}
