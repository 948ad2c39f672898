using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Photos;

/// <summary>
/// Security review (issue 21): uploads decoded without bound, so many at once could exhaust memory. Decoding now takes one
/// of a fixed number of process-wide slots; past a short wait the upload is answered 503 with Retry-After, in Chinese.
/// </summary>
public sealed class PhotoDecodingSlotsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProcessAsync_WhenEverySlotStaysBusy_IsRefusedAsBusy_AndTheNextUploadGetsTheSlotBack()
    {
        var processor = new PhotoProcessor(Options.Create(new PhotoOptions { MaxConcurrentDecodes = 1, DecodeWait = TimeSpan.FromMilliseconds(50) }),
            TimeProvider.System, NullLogger<PhotoProcessor>.Instance);
        using var slow = new GatedStream(TestPhotos.Jpeg(64, 48));
        var first = Task.Run(() => processor.ProcessAsync(slow, "slow.jpg", Ct), Ct);
        await slow.Reading.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        using var second = new MemoryStream(TestPhotos.Jpeg(64, 48));
        await Assert.ThrowsAsync<PhotoDecodingBusyException>(() => processor.ProcessAsync(second, "second.jpg", Ct));

        slow.Release.Set();
        Assert.Equal(64, (await first).Width);
        using var third = new MemoryStream(TestPhotos.Jpeg(64, 48));
        Assert.Equal(48, (await processor.ProcessAsync(third, "third.jpg", Ct)).Height);
    }

    [Fact]
    public async Task ProcessAsync_WithALowerLimit_RefusesALargerPhotoAsTooLarge()
    {
        var processor = new PhotoProcessor(Options.Create(new PhotoOptions()), TimeProvider.System, NullLogger<PhotoProcessor>.Instance);
        var photo = TestPhotos.Jpeg(800, 600);
        using var stream = new MemoryStream(photo);

        var refused = await Assert.ThrowsAsync<PhotoRejectedException>(() => processor.ProcessAsync(stream, "big.jpg", Ct, maxBytes: photo.Length - 1));

        Assert.Equal(PhotoRejectionReasons.TooLarge, refused.Reason);
    }

    [Fact]
    public async Task BusyHandler_Answers503WithRetryAfter_AndAChineseProblem()
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();

        var handled = await new PhotoDecodingBusyHandler().TryHandleAsync(http, new PhotoDecodingBusyException(), Ct);
        var other = await new PhotoDecodingBusyHandler().TryHandleAsync(new DefaultHttpContext(), new InvalidOperationException(), Ct);

        Assert.True(handled);
        Assert.False(other);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync(Ct);
        Assert.Contains("请 5 秒后重新提交", body, StringComparison.Ordinal);
    }

    /// <summary>A photo stream whose first read waits until the test lets it go: holds a decoding slot.</summary>
    private sealed class GatedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reading.TrySetResult();
            Release.Wait(TimeSpan.FromSeconds(30));
            return base.Read(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
