namespace CivicGrid.Server.Features.Open311;

/// <summary>
/// What an Open311 client sent beside the case itself: which key filed it and the media URL it gave. Written in the same
/// transaction as the case. The reporter's e-mail, device and account ids are not kept (minimum necessary data).
/// </summary>
public sealed class Open311Request
{
    public const int MaxMediaUrlLength = 2048;

    /// <summary>The case number, which is the <c>service_request_id</c>.</summary>
    public string CaseNumber { get; set; } = string.Empty;

    public Guid ApiKeyId { get; set; }

    /// <summary>An absolute http(s) URL of a photo or page the client gave; shown back only to that client.</summary>
    public string? MediaUrl { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
