using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Server.Infrastructure.Privacy;

/// <summary>
/// Field-level encryption of personal information at rest (PIPL; ADR 0019): AES-256-GCM with a random nonce per value and
/// the field's name as associated data (a sealed phone cannot be passed off as a name, nor a case's phone as a roster
/// member's), under keys kept as files in the data directory's <c>keys/residents</c> folder (the name of its first use,
/// the household register), never in the database. A sealed value names its key (<c>0002:…</c>), so keys rotate:
/// <see cref="AddKey"/> makes a new one current, old values still open, and <c>personal-data rotate-key</c> re-seals every
/// sealed column with the newest. Exact-match search uses keyed blind indexes (HMAC-SHA256 under a separate index key),
/// so a name or a phone is found without decrypting the table, and the database alone does not reveal them. Residents'
/// fields are sealed by the household register itself; every other column is sealed by a value converter
/// (<see cref="Persistence.EntityModel.Sealed{TText}"/>), so entities hold clear text only in memory. Several server
/// instances must share the keys folder.
/// </summary>
/// <remarks>
/// Cost: one AES-GCM operation (a microsecond for a phone) per value; the key schedule of each key is made once per thread
/// and kept, nothing is derived per call.
/// </remarks>
public sealed class FieldVault : IDisposable
{
    /// <summary>Column size for a sealed value: key id, separator, base64 of nonce, ciphertext (≤ 100 UTF-8 bytes for these fields) and tag.</summary>
    public const int MaxSealedLength = 400;

    /// <summary>
    /// The column size for sealed values of at most <paramref name="clearLength"/> UTF-16 characters (3 UTF-8 bytes each at
    /// most): never less than <see cref="MaxSealedLength"/>.
    /// </summary>
    public static int SealedLength(int clearLength) =>
        Math.Max(MaxSealedLength, 5 + (4 * ((NonceBytes + TagBytes + (3 * clearLength) + 2) / 3)));

    /// <summary>Base64 of a SHA-256 HMAC.</summary>
    public const int IndexLength = 44;

    public const string NameField = "name";
    public const string IdNumberField = "idNumber";
    public const string PhoneField = "phone";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const string IndexKeyFile = "index.key";
    private readonly string _directory;
    private readonly Lock _lock = new();
    private readonly ThreadLocal<Dictionary<string, AesGcm>> _ciphers = new(() => new Dictionary<string, AesGcm>(StringComparer.Ordinal), trackAllValues: true);
    private Dictionary<string, byte[]> _keys = [];
    private string _currentKeyId = string.Empty;
    private byte[] _indexKey = [];

    public FieldVault(DataDirectory data)
    {
        _directory = Path.Combine(data.KeysPath, "residents");
        Load(create: false);
    }

    /// <summary>The key new values are sealed with: the highest-numbered key file.</summary>
    public string CurrentKeyId
    {
        get
        {
            lock (_lock)
            {
                EnsureKeys();
                return _currentKeyId;
            }
        }
    }

    /// <summary>The id of the key <paramref name="sealedValue"/> was sealed with.</summary>
    public static string KeyIdOf(string sealedValue) => sealedValue[..sealedValue.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>
    /// True when <paramref name="value"/> has the form of a sealed value (<c>NNNN:</c> and base64); a column's rows written
    /// before it was sealed hold their clear text, which does not (no phone, name or ID number starts with four digits
    /// and a colon).
    /// </summary>
    public static bool IsSealed(string value) =>
        value.Length > 5 + NonceBytes + TagBytes && value[4] == ':' && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[1])
        && char.IsAsciiDigit(value[2]) && char.IsAsciiDigit(value[3]);

    public string Seal(string field, string plain)
    {
        string keyId;
        lock (_lock)
        {
            EnsureKeys();
            keyId = _currentKeyId;
        }

        var aes = Cipher(keyId) ?? throw new CryptographicException($"Personal data key {keyId} is not in {_directory}.");
        var clear = Encoding.UTF8.GetBytes(plain);
        var output = new byte[NonceBytes + clear.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, clear, output.AsSpan(NonceBytes, clear.Length), output.AsSpan(NonceBytes + clear.Length), Encoding.UTF8.GetBytes(field));
        return $"{keyId}:{Convert.ToBase64String(output)}";
    }

    /// <summary>A stored value in clear: opened when sealed, as it is when written before its column was sealed.</summary>
    public string OpenStored(string field, string stored) => IsSealed(stored) ? Open(field, stored) : stored;

    /// <exception cref="CryptographicException">The key is missing from the keys folder, or the value was altered.</exception>
    public string Open(string field, string sealedValue)
    {
        var keyId = KeyIdOf(sealedValue);
        var aes = Cipher(keyId) ?? throw new CryptographicException($"Personal data key {keyId} is not in {_directory}.");
        var data = Convert.FromBase64String(sealedValue[(keyId.Length + 1)..]);
        var clear = new byte[data.Length - NonceBytes - TagBytes];
        aes.Decrypt(data.AsSpan(0, NonceBytes), data.AsSpan(NonceBytes, clear.Length), data.AsSpan(NonceBytes + clear.Length), clear, Encoding.UTF8.GetBytes(field));
        return Encoding.UTF8.GetString(clear);
    }

    public string? OpenOptional(string field, string? sealedValue) => sealedValue is null ? null : Open(field, sealedValue);

    /// <summary>The blind index of a value: equal values of one field give equal indexes; nothing else can be read from it.</summary>
    public string Index(string field, string value)
    {
        byte[] key;
        lock (_lock)
        {
            EnsureKeys();
            key = _indexKey;
        }

        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{field}\n{Normalize(value)}")));
    }

    /// <summary>Spaces removed and upper case, so <c>张 三</c> finds <c>张三</c> and a trailing x of an ID number is found as X.</summary>
    public static string Normalize(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    /// <summary>Writes a new random key, numbered after the highest, and makes it current; returns its id.</summary>
    public string AddKey()
    {
        lock (_lock)
        {
            Load(create: true);
            var next = (_keys.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1).ToString("D4", CultureInfo.InvariantCulture);
            WriteKey($"{next}.key", RandomNumberGenerator.GetBytes(32));
            Load(create: true);
            return _currentKeyId;
        }
    }

    /// <summary>Releases every thread's key schedules.</summary>
    public void Dispose()
    {
        foreach (var cipher in _ciphers.Values.SelectMany(c => c.Values))
        {
            cipher.Dispose();
        }

        _ciphers.Dispose();
    }

    /// <summary>This thread's AES-GCM of a key (its key schedule made once); null when the key is not in the folder, even after reading it again.</summary>
    private AesGcm? Cipher(string keyId)
    {
        var ciphers = _ciphers.Value!;
        if (ciphers.TryGetValue(keyId, out var cipher))
        {
            return cipher;
        }

        byte[]? key;
        lock (_lock)
        {
            if (!_keys.TryGetValue(keyId, out key))
            {
                Load(create: false);
                key = _keys.GetValueOrDefault(keyId);
            }
        }

        if (key is null)
        {
            return null;
        }

        cipher = new AesGcm(key, TagBytes);
        ciphers[keyId] = cipher;
        return cipher;
    }

    /// <summary>
    /// Creates the first key and the index key when the folder has none, on the first value sealed or indexed (under the
    /// lock). Not when the vault is made: a process that only reads, or an operator command restoring a backup into a
    /// fresh data directory, must not leave keys of its own behind.
    /// </summary>
    private void EnsureKeys()
    {
        if (_currentKeyId.Length == 0 || _indexKey.Length == 0)
        {
            Load(create: true);
        }
    }

    /// <summary>Reads the keys folder; with <paramref name="create"/>, writes the first key and the index key if missing.</summary>
    private void Load(bool create)
    {
        if (create)
        {
            Directory.CreateDirectory(_directory);
            if (!File.Exists(Path.Combine(_directory, IndexKeyFile)))
            {
                WriteKey(IndexKeyFile, RandomNumberGenerator.GetBytes(32));
            }
        }
        else if (!Directory.Exists(_directory))
        {
            return;
        }

        var keys = Directory.GetFiles(_directory, "*.key")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(n => n.Length == 4 && n.All(char.IsAsciiDigit))
            .ToDictionary(n => n, n => Convert.FromBase64String(File.ReadAllText(Path.Combine(_directory, n + ".key")).Trim()), StringComparer.Ordinal);
        if (keys.Count == 0 && create)
        {
            WriteKey("0001.key", RandomNumberGenerator.GetBytes(32));
            keys["0001"] = Convert.FromBase64String(File.ReadAllText(Path.Combine(_directory, "0001.key")).Trim());
        }

        _keys = keys;
        _currentKeyId = keys.Count == 0 ? string.Empty : keys.Keys.Max(StringComparer.Ordinal)!;
        var index = Path.Combine(_directory, IndexKeyFile);
        _indexKey = File.Exists(index) ? Convert.FromBase64String(File.ReadAllText(index).Trim()) : [];
    }

    private void WriteKey(string name, byte[] key)
    {
        var path = Path.Combine(_directory, name);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Another instance may have written the same file meanwhile: the first one stays (a key never changes once written).
        if (!File.Exists(path))
        {
            File.Move(temporary, path);
        }
        else
        {
            File.Delete(temporary);
        }
    }
}
