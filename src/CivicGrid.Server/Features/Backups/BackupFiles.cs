using System.Formats.Tar;
using System.Security.Cryptography;
using CivicGrid.Domain.Backups;

namespace CivicGrid.Server.Features.Backups;

/// <summary>
/// Files of a backup: owner-only folders (0700) and files (0600), since a backup holds the keys and every resident's photo;
/// SHA-256 of each file; the inventory a restore compares with the manifest; and the <c>.tar</c> form of a backup.
/// </summary>
internal static class BackupFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Where the database goes inside a backup (<c>database/civicgrid.db</c> or <c>database/civicgrid.dump</c>).</summary>
    public const string DatabaseFolder = "database";

    /// <summary>Where the data directory's files (keys, photos, anything else) go inside a backup.</summary>
    public const string DataFolder = "data";

    /// <summary>True when <paramref name="path"/> names a tar archive rather than a folder.</summary>
    public static bool IsTar(string path) => path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Creates <paramref name="path"/> and its missing parents readable by the owner only, or restricts it if it exists
    /// (parents that exist are left as they are).
    /// </summary>
    public static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            var parent = Path.GetDirectoryName(path);
            if (parent is not null && !Directory.Exists(parent))
            {
                CreateOwnerOnlyDirectory(parent);
            }

            Directory.CreateDirectory(path, OwnerOnlyFolder);
        }

        File.SetUnixFileMode(path, OwnerOnlyFolder);
    }

    /// <summary>Restricts an existing file to its owner.</summary>
    public static void MakeOwnerOnly(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, OwnerOnlyFile);
        }
    }

    /// <summary>Copies a file to a temporary name beside <paramref name="target"/>, restricts it and renames it into place.</summary>
    public static async Task CopyOwnerOnlyAsync(string source, string target, CancellationToken ct)
    {
        CreateOwnerOnlyDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".restoring";
        await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        await using (var to = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            MakeOwnerOnly(temporary);
            await from.CopyToAsync(to, ct);
            await to.FlushAsync(ct);
            to.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
    }

    /// <summary>Size and lower-case hex SHA-256 of a file.</summary>
    public static async Task<(long Bytes, string Sha256)> HashAsync(string file, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Every file under <paramref name="root"/> but the manifest, by forward-slash relative path, with size and SHA-256.</summary>
    public static async Task<Dictionary<string, (long Bytes, string Sha256)>> InventoryAsync(string root, CancellationToken ct)
    {
        var found = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = RelativePath(root, file);
            if (relative != BackupManifest.FileName)
            {
                found[relative] = await HashAsync(file, ct);
            }
        }

        return found;
    }

    /// <summary>The files a backup lists, from its inventory, in path order.</summary>
    public static List<BackupFile> Listing(Dictionary<string, (long Bytes, string Sha256)> inventory) =>
        [.. inventory.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new BackupFile(f.Key, f.Value.Bytes, f.Value.Sha256))];

    /// <summary>True when <paramref name="directory"/> does not exist or holds no file (empty folders do not count).</summary>
    public static bool HoldsNoFile(string directory) =>
        !Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any();

    public static string RelativePath(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');

    /// <summary>Packs a finished backup folder into a tar archive (owner-only) and removes the folder.</summary>
    public static async Task PackAsync(string folder, string tarPath, CancellationToken ct)
    {
        var temporary = tarPath + ".partial";
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            MakeOwnerOnly(temporary);
            await TarFile.CreateFromDirectoryAsync(folder, stream, includeBaseDirectory: false, ct);
            await stream.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, tarPath);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Unpacks a tar backup into a new owner-only temporary folder, which the caller deletes.</summary>
    public static async Task<string> UnpackAsync(string tarPath, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "civicgrid-restore-" + Guid.NewGuid().ToString("N")[..12]);
        CreateOwnerOnlyDirectory(folder);
        await TarFile.ExtractToDirectoryAsync(tarPath, folder, overwriteFiles: false, ct);
        return folder;
    }
}
