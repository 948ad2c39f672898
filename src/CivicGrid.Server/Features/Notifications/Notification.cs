namespace CivicGrid.Server.Features.Notifications;

/// <summary>
/// One message in a user's in-app inbox (站内消息): a case they are to act on, or news of a case they reported or
/// follow. Written in the same transaction as the change it reports, so an inbox never shows a change that was
/// rolled back and never misses one that was saved.
/// </summary>
public sealed class Notification
{
    public const int MaxTitleLength = 100;
    public const int MaxBodyLength = 1000;
    public const int MaxSourceKeyLength = 120;

    private Notification()
    {
        SourceKey = null!;
        Kind = null!;
        Title = null!;
        Body = null!;
    }

    /// <param name="sourceKey">What caused it, e.g. <c>case:{id}:{sequence}</c>; unique per user, so one cause never notifies a user twice.</param>
    public Notification(Guid userId, string sourceKey, string kind, string title, string body, string? caseNumber, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        Id = Guid.CreateVersion7();
        UserId = userId;
        SourceKey = sourceKey;
        Kind = kind;
        Title = Truncate(title, MaxTitleLength);
        Body = Truncate(body, MaxBodyLength);
        CaseNumber = caseNumber;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The recipient; only they see it.</summary>
    public Guid UserId { get; private set; }

    public string SourceKey { get; private set; }

    /// <summary>Stable kebab-case kind, see <see cref="NotificationKinds"/>.</summary>
    public string Kind { get; private set; }

    public string? CaseNumber { get; private set; }

    /// <summary>Short Chinese title, e.g. 新交办案件.</summary>
    public string Title { get; private set; }

    /// <summary>Chinese text; for residents the case's plain public text.</summary>
    public string Body { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>Marks it read; reading again keeps the first time.</summary>
    public void MarkRead(DateTimeOffset at) => ReadAt ??= at;

    internal static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}

/// <summary>The kinds of notification, stable names for clients that pick an icon or a sound.</summary>
public static class NotificationKinds
{
    /// <summary>A new case for the owning level to accept (report, transfer in).</summary>
    public const string CaseReported = "case-reported";
    public const string CaseAssigned = "case-assigned";
    public const string CaseTransferred = "case-transferred";
    public const string CaseEscalated = "case-escalated";
    public const string CaseReturned = "case-returned";
    public const string CaseSupervised = "case-supervised";
    public const string CaseReopened = "case-reopened";
    public const string CaseVerifyFailed = "case-verify-failed";

    /// <summary>The reporter added words or photos to the case (补充).</summary>
    public const string CaseSupplemented = "case-supplemented";

    /// <summary>The reporter chased the case (催办).</summary>
    public const string CaseChased = "case-chased";

    /// <summary>The reporter withdrew the report before it was accepted (撤回).</summary>
    public const string CaseWithdrawn = "case-withdrawn";

    /// <summary>A device alarmed again on an open case (the first repeat, then at most once per interval).</summary>
    public const string CaseRepeatAlarm = "case-repeat-alarm";

    /// <summary>An ambiguous case might be in the recipient's grid: claim it or let it go.</summary>
    public const string CaseLocationOffered = "case-location-offered";

    /// <summary>A public step of a case the recipient reported.</summary>
    public const string CaseProgress = "case-progress";

    /// <summary>A public step of a case the recipient follows because their own report was merged into it.</summary>
    public const string FollowedCaseProgress = "followed-case-progress";

    /// <summary>The assignment is due soon (job).</summary>
    public const string CaseDueSoon = "case-due-soon";

    /// <summary>The supervision's deadline has passed (job).</summary>
    public const string SupervisionOverdue = "supervision-overdue";

    /// <summary>An emergency broadcast to the recipient's grid, to be confirmed with 收到.</summary>
    public const string EmergencyBroadcast = "emergency-broadcast";

    /// <summary>A parked case reached its review date (job).</summary>
    public const string ParkReviewDue = "park-review-due";
}
