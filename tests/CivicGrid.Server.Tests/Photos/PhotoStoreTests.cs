using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Photos;

public sealed class PhotoStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "civicgrid-photos-" + Guid.NewGuid().ToString("N"));
    private readonly PhotoStore _store;

    public PhotoStoreTests() => _store = new PhotoStore(new DataDirectory(_root));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ProcessedPhoto AcceptedIn(DateTimeOffset now)
    {
        var processor = new PhotoProcessor(Options.Create(new PhotoOptions()), new FixedTime(now), NullLogger<PhotoProcessor>.Instance);
        using var stream = new MemoryStream(TestPhotos.Jpeg(640, 480));
        return processor.Process(stream, "photo.jpg");
    }

    private static async Task<byte[]?> ReadAll(Task<Stream?> open)
    {
        await using var stream = await open;
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    [Fact]
    public async Task Save_ThenOpen_ReturnsTheSameBytes()
    {
        var photo = AcceptedIn(DateTimeOffset.UtcNow);

        await _store.SaveAsync(photo, TestContext.Current.CancellationToken);

        Assert.Equal(photo.Served, await ReadAll(_store.OpenServedAsync(photo.Id)));
        Assert.Equal(photo.Thumbnail, await ReadAll(_store.OpenThumbnailAsync(photo.Id)));
    }

    [Fact]
    public async Task Save_FilesByTheMonthInTheId_WithNoTemporaryFilesLeft()
    {
        var photo = AcceptedIn(new DateTimeOffset(2025, 3, 14, 23, 0, 0, TimeSpan.Zero));

        await _store.SaveAsync(photo, TestContext.Current.CancellationToken);

        var folder = Path.Combine(_root, "photos", "2025", "03");
        Assert.Equal(
            [$"{photo.Id:D}.jpg", $"{photo.Id:D}.thumb.jpg"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Save_MakesFoldersAndFilesOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions only.");
            return;
        }

        var photo = AcceptedIn(new DateTimeOffset(2025, 3, 14, 23, 0, 0, TimeSpan.Zero));

        await _store.SaveAsync(photo, TestContext.Current.CancellationToken);

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var folder in new[] { "photos", "photos/2025", "photos/2025/03" })
        {
            Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(_root, folder)));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_root, "photos", "2025", "03", $"{photo.Id:D}.jpg")));
    }

    [Fact]
    public async Task Save_SameIdTwice_IsRefused()
    {
        var photo = AcceptedIn(DateTimeOffset.UtcNow);
        await _store.SaveAsync(photo, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<IOException>(() => _store.SaveAsync(photo, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Delete_RemovesBothFiles()
    {
        var photo = AcceptedIn(DateTimeOffset.UtcNow);
        await _store.SaveAsync(photo, TestContext.Current.CancellationToken);

        Assert.True(await _store.DeleteAsync(photo.Id));

        Assert.Null(await _store.OpenServedAsync(photo.Id));
        Assert.Null(await _store.OpenThumbnailAsync(photo.Id));
        Assert.False(await _store.DeleteAsync(photo.Id));
    }

    [Fact]
    public async Task Open_UnknownId_ReturnsNull()
    {
        Assert.Null(await _store.OpenServedAsync(Guid.CreateVersion7()));
    }

    [Fact]
    public async Task Open_IdNotFromTheProcessor_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenServedAsync(Guid.NewGuid()));
    }
}
