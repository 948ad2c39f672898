namespace CivicGrid.Server.Infrastructure.Storage;

/// <summary>The stable reasons a photo is refused; clients and tests match on these, never on the messages.</summary>
public static class PhotoRejectionReasons
{
    /// <summary>More than <see cref="PhotoOptions.MaxBytes"/> bytes.</summary>
    public const string TooLarge = "too-large";

    /// <summary>The content is no image at all (text, an archive, an empty file), whatever its name says.</summary>
    public const string NotAnImage = "not-an-image";

    /// <summary>An image, but not JPEG, PNG or WebP (GIF, HEIC, AVIF, SVG, BMP, TIFF).</summary>
    public const string UnsupportedFormat = "unsupported-format";

    /// <summary>The header declares more than <see cref="PhotoOptions.MaxPixels"/> pixels or a side over <see cref="PhotoOptions.MaxSidePixels"/>.</summary>
    public const string TooManyPixels = "too-many-pixels";

    /// <summary>Starts like a JPEG, PNG or WebP but cannot be decoded completely.</summary>
    public const string Corrupt = "corrupt";
}

/// <summary>
/// A photo refused by <see cref="PhotoProcessor.Process"/>. <see cref="Reason"/> is one of
/// <see cref="PhotoRejectionReasons"/>; <see cref="Exception.Message"/> is English for logs,
/// <see cref="ChineseMessage"/> is for the person uploading.
/// </summary>
public sealed class PhotoRejectedException : Exception
{
    public PhotoRejectedException(string reason, string message, string chineseMessage)
        : base(message)
    {
        Reason = reason;
        ChineseMessage = chineseMessage;
    }

    /// <summary>One of <see cref="PhotoRejectionReasons"/>.</summary>
    public string Reason { get; }

    public string ChineseMessage { get; }
}

/// <summary>
/// Every photo decoding slot stayed busy for <see cref="PhotoOptions.DecodeWait"/>: the upload is answered 503 with
/// Retry-After (<see cref="PhotoDecodingBusyHandler"/>), in Chinese, and nothing of it is kept.
/// </summary>
public sealed class PhotoDecodingBusyException : Exception
{
    public PhotoDecodingBusyException()
        : base("Every photo decoding slot is busy.")
    {
    }

    public PhotoDecodingBusyException(string message)
        : base(message)
    {
    }

    public PhotoDecodingBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Answers a <see cref="PhotoDecodingBusyException"/> from any upload endpoint: 503, Retry-After, a Chinese problem.</summary>
public sealed class PhotoDecodingBusyHandler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    /// <summary>Seconds the client is asked to wait before it sends the photos again.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not PhotoDecodingBusyException)
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Http.Problems.Create(StatusCodes.Status503ServiceUnavailable, "/problems/photos-busy", "Photo processing is busy.",
            $"现在上传照片的人较多，服务器正在处理，请 {RetryAfterSeconds} 秒后重新提交（内容不会丢失）。").ExecuteAsync(httpContext);
        return true;
    }
}
