namespace CivicGrid.Server.Infrastructure.Storage;

/// <summary>
/// Keeps served copies and thumbnails as files under <c>&lt;data dir&gt;/photos/yyyy/MM/</c>, named
/// <c>&lt;id&gt;.jpg</c> and <c>&lt;id&gt;.thumb.jpg</c>. The folder is the UTC month encoded in the
/// version-7 id, so a photo is found from its id alone and no path ever comes from a user.
/// </summary>
/// <remarks>
/// Folders are created readable by the owner only (0700) and files 0600: photos show residents'
/// homes and faces. Each file is written to a temporary name in the same folder, flushed to disk and
/// then renamed, so a reader never sees half a photo and a crash leaves at most a stray
/// <c>.tmp</c> file. Thread-safe; register as a singleton.
/// </remarks>
public sealed class PhotoStore(DataDirectory dataDirectory)
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Absolute path of the folder that holds all photos.</summary>
    public string RootPath { get; } = dataDirectory.Combine("photos");

    /// <summary>Writes the served copy and the thumbnail of <paramref name="photo"/>.</summary>
    /// <exception cref="ArgumentException">The id is not a version-7 GUID.</exception>
    /// <exception cref="IOException">A photo with this id is already stored, or the disk failed.</exception>
    public async Task SaveAsync(ProcessedPhoto photo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        var (served, thumbnail) = PathsOf(photo.Id);
        CreateOwnerOnlyDirectory(Path.GetDirectoryName(served)!);
        await WriteAtomicallyAsync(served, photo.Served, cancellationToken);
        try
        {
            await WriteAtomicallyAsync(thumbnail, photo.Thumbnail, cancellationToken);
        }
        catch
        {
            // Half a photo is worse than none: the caller retries or reports a whole failure.
            File.Delete(served);
            throw;
        }
    }

    /// <summary>Opens the served copy (JPEG) for reading, or returns <see langword="null"/> when there is none.</summary>
    /// <exception cref="ArgumentException">The id is not a version-7 GUID.</exception>
    public Task<Stream?> OpenServedAsync(Guid id) => Task.FromResult<Stream?>(OpenRead(PathsOf(id).Served));

    /// <summary>Opens the thumbnail (JPEG) for reading, or returns <see langword="null"/> when there is none.</summary>
    /// <exception cref="ArgumentException">The id is not a version-7 GUID.</exception>
    public Task<Stream?> OpenThumbnailAsync(Guid id) => Task.FromResult<Stream?>(OpenRead(PathsOf(id).Thumbnail));

    /// <summary>Deletes both files of a photo.</summary>
    /// <returns><see langword="true"/> when anything was deleted.</returns>
    /// <exception cref="ArgumentException">The id is not a version-7 GUID.</exception>
    public Task<bool> DeleteAsync(Guid id)
    {
        var (served, thumbnail) = PathsOf(id);
        var existed = File.Exists(served) | File.Exists(thumbnail);
        File.Delete(served);
        File.Delete(thumbnail);
        return Task.FromResult(existed);
    }

    private (string Served, string Thumbnail) PathsOf(Guid id)
    {
        if (id.Version != 7)
        {
            throw new ArgumentException("Photo ids are version-7 GUIDs from PhotoProcessor.", nameof(id));
        }

        // A version-7 GUID starts with 48 bits of Unix milliseconds (RFC 9562, section 5.7).
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        var milliseconds = 0L;
        foreach (var b in bytes[..6])
        {
            milliseconds = (milliseconds << 8) | b;
        }

        var created = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        var folder = Path.Combine(RootPath, created.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
            created.ToString("MM", System.Globalization.CultureInfo.InvariantCulture));
        var name = id.ToString("D");
        return (Path.Combine(folder, name + ".jpg"), Path.Combine(folder, name + ".thumb.jpg"));
    }

    private void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // Created one level at a time so that photos/, yyyy/ and MM/ all get the owner-only mode.
        foreach (var level in new[] { RootPath, Path.GetDirectoryName(path)!, path })
        {
            if (!Directory.Exists(level))
            {
                Directory.CreateDirectory(level, OwnerOnlyFolder);
            }
        }
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static FileStream? OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
