namespace CivicGrid.Server.Features.Broadcast;

/// <summary>Who a broadcast is delivered to.</summary>
public enum BroadcastTargetKind
{
    /// <summary>An outdoor speaker (室外防水音柱), commanded over MQTT.</summary>
    Speaker = 1,

    /// <summary>A grid worker, by an in-app message on the phone pages.</summary>
    Worker = 2,
}

/// <summary>Where one delivery stands (待发送 / 已发送 / 已确认 / 失败).</summary>
public enum DeliveryState
{
    /// <summary>Not yet handed to the broker (a speaker's first attempt, or a retry after the broker was unreachable).</summary>
    Pending = 0,

    /// <summary>Published to the speaker, or placed in the worker's inbox; no acknowledgement yet.</summary>
    Sent = 1,

    /// <summary>The speaker or the worker confirmed it.</summary>
    Acknowledged = 2,

    /// <summary>A speaker that never acknowledged within its attempts, or could not be commanded at all.</summary>
    Failed = 3,
}

/// <summary>
/// An emergency broadcast (应急广播): a text the subdistrict's operations centre sends to the speakers and grid workers
/// of an area or of chosen grids. Stored with its deliveries in one transaction; the deliveries are then worked off by
/// <see cref="BroadcastDispatcher"/>.
/// </summary>
public sealed class EmergencyBroadcast
{
    /// <summary>The most repetitions a speaker is asked to read the text.</summary>
    public const int MaxRepeat = 5;

    private EmergencyBroadcast()
    {
        ScopeCode = null!;
        Text = null!;
        SenderName = null!;
        GridCodes = [];
    }

    /// <param name="scopeCode">The sender's scope: who may read the broadcast log (that node and the levels above).</param>
    /// <param name="area">The drawn polygon as WGS-84 [lon, lat] pairs, or null when grids were picked.</param>
    public EmergencyBroadcast(string scopeCode, string text, int repeat, bool urgent, Guid sentBy, string senderName, DateTimeOffset sentAt,
        IReadOnlyList<string> gridCodes, IReadOnlyList<double[]>? area)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(repeat, MaxRepeat);
        Id = Guid.CreateVersion7();
        ScopeCode = scopeCode;
        Text = text;
        Repeat = repeat;
        Urgent = urgent;
        SentBy = sentBy;
        SenderName = senderName;
        SentAt = sentAt;
        GridCodes = [.. gridCodes];
        Area = area is null ? null : [.. area.Select(p => (double[])[p[0], p[1]])];
    }

    public Guid Id { get; private set; }

    /// <summary>The sender's scope code; the log is visible in that subtree's ancestors and the node itself.</summary>
    public string ScopeCode { get; private set; }

    /// <summary>What the speakers read aloud and the workers read on their phones.</summary>
    public string Text { get; private set; }

    /// <summary>How many times a speaker reads the text, 1 to <see cref="MaxRepeat"/>.</summary>
    public int Repeat { get; private set; }

    /// <summary>Urgent (紧急): speakers interrupt what they play; otherwise they queue it.</summary>
    public bool Urgent { get; private set; }

    public Guid SentBy { get; private set; }

    public string SenderName { get; private set; }

    public DateTimeOffset SentAt { get; private set; }

    /// <summary>The grids targeted: those picked, or the 3rd-level grids the drawn area intersects.</summary>
    public List<string> GridCodes { get; private set; }

    /// <summary>The drawn area as WGS-84 [lon, lat] pairs (the ring, not closed); null when grids were picked.</summary>
    public List<double[]>? Area { get; private set; }
}

/// <summary>
/// One recipient of a broadcast: a speaker (retried until it acknowledges or its attempts are used up) or a worker (placed
/// in their inbox with the broadcast, acknowledged with 收到). The dispatcher claims a speaker's delivery by a conditional
/// UPDATE guarded by <see cref="Attempts"/> and a lease, so server instances sharing a database never send it twice at once.
/// </summary>
public sealed class BroadcastDelivery
{
    public const int MaxErrorLength = 500;

    private BroadcastDelivery()
    {
        TargetCode = null!;
        TargetName = null!;
        GridCode = null!;
    }

    private BroadcastDelivery(Guid broadcastId, BroadcastTargetKind kind, Guid? deviceId, Guid? userId, string targetCode, string targetName, string gridCode,
        DateTimeOffset at)
    {
        Id = Guid.CreateVersion7();
        BroadcastId = broadcastId;
        Kind = kind;
        DeviceId = deviceId;
        UserId = userId;
        TargetCode = targetCode;
        TargetName = targetName;
        GridCode = gridCode;
        NextAttemptAt = at;
    }

    /// <summary>A speaker's delivery, waiting for the dispatcher.</summary>
    public static BroadcastDelivery ToSpeaker(Guid broadcastId, Guid deviceId, string deviceCode, string name, string gridCode, DateTimeOffset at) =>
        new(broadcastId, BroadcastTargetKind.Speaker, deviceId, null, deviceCode, name, gridCode, at);

    /// <summary>A worker's delivery: sent with the broadcast, since the in-app message is saved in the same transaction.</summary>
    public static BroadcastDelivery ToWorker(Guid broadcastId, Guid userId, string userName, string displayName, string gridCode, DateTimeOffset at) =>
        new(broadcastId, BroadcastTargetKind.Worker, null, userId, userName, displayName, gridCode, at) { State = DeliveryState.Sent, SentAt = at, Attempts = 1 };

    /// <summary>Also the command id a speaker echoes in its acknowledgement.</summary>
    public Guid Id { get; private set; }

    public Guid BroadcastId { get; private set; }

    public BroadcastTargetKind Kind { get; private set; }

    public Guid? DeviceId { get; private set; }

    public Guid? UserId { get; private set; }

    /// <summary>The device code or the user name.</summary>
    public string TargetCode { get; private set; }

    /// <summary>The speaker's name (where it stands) or the worker's display name.</summary>
    public string TargetName { get; private set; }

    /// <summary>The speaker's grid, or the worker's scope.</summary>
    public string GridCode { get; private set; }

    public DeliveryState State { get; private set; }

    /// <summary>Sends started so far (a speaker's publications; 1 for a worker).</summary>
    public int Attempts { get; private set; }

    /// <summary>When the dispatcher next looks at it: the next send, or the end of the wait for an acknowledgement.</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>The dispatcher instance working on it.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    /// <summary>The first successful send.</summary>
    public DateTimeOffset? SentAt { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public DateTimeOffset? FailedAt { get; private set; }

    /// <summary>Why the last attempt failed, in Chinese for the log page.</summary>
    public string? LastError { get; private set; }

    /// <summary>The worker confirms (收到); a second confirmation keeps the first time.</summary>
    /// <exception cref="InvalidOperationException">The delivery is a speaker's: speakers acknowledge over MQTT.</exception>
    public void Acknowledge(DateTimeOffset at)
    {
        if (Kind != BroadcastTargetKind.Worker)
        {
            throw new InvalidOperationException("Speakers acknowledge over MQTT.");
        }

        AcknowledgedAt ??= at;
        State = DeliveryState.Acknowledged;
    }

    /// <summary>
    /// Sets a speaker's delivery to a past outcome, for the demo's broadcast log (a live delivery changes only through the
    /// dispatcher's guarded updates and the speaker's acknowledgement).
    /// </summary>
    internal void RecordHistory(DeliveryState state, int attempts, DateTimeOffset sentAt, DateTimeOffset? acknowledgedAt, DateTimeOffset? failedAt, string? error)
    {
        State = state;
        Attempts = attempts;
        SentAt = sentAt;
        AcknowledgedAt = acknowledgedAt;
        FailedAt = failedAt;
        LastError = error;
        NextAttemptAt = failedAt ?? acknowledgedAt ?? sentAt;
    }

    internal static string Truncate(string text) => text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength - 1), "…");
}
