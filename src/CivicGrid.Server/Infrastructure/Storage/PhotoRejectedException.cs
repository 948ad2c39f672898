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
