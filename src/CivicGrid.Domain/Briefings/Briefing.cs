using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Briefings;

/// <summary>
/// A policy briefing (政策宣传): a notice staff send to a set of workers, who read it on the phone and, when asked, confirm
/// they read it. Its recipients are resolved once, when it is sent (<see cref="BriefingRecipients.Resolve"/>), and kept
/// with their names, grids and roles of that day.
/// </summary>
public sealed class Briefing
{
    public const int MaxTitleLength = 100;
    public const int MaxBodyLength = 5000;
    public const int MaxAttachmentUrlLength = 500;

    /// <summary>The furthest ahead a reading deadline may lie.</summary>
    public static readonly TimeSpan MaxReadingPeriod = TimeSpan.FromDays(90);

    private Briefing()
    {
        Title = null!;
        Body = null!;
        ScopeCode = null!;
        SenderName = null!;
    }

    /// <param name="scopeCode">The sender's scope: staff whose scope covers it see the briefing and its receipts.</param>
    /// <param name="dueAt">When it should have been read; null for no deadline (and no automatic reminders).</param>
    public Briefing(string title, string body, string? attachmentUrl, bool requiresConfirmation, DateTimeOffset? dueAt, string scopeCode,
        Guid senderId, string senderName, BriefingAudience audience, IEnumerable<BriefingCandidate> recipients, DateTimeOffset sentAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(recipients);
        Id = Guid.CreateVersion7();
        Title = title;
        Body = body;
        AttachmentUrl = attachmentUrl;
        RequiresConfirmation = requiresConfirmation;
        DueAt = dueAt;
        ScopeCode = scopeCode;
        SenderId = senderId;
        SenderName = senderName;
        SentAt = sentAt;
        AudienceGridCodes = [.. audience.GridCodes];
        AudienceKinds = [.. audience.Kinds];
        AudienceOrganisationIds = [.. audience.OrganisationIds];
        Recipients = [.. recipients.Select(r => new BriefingRecipient(this, r))];
        if (Recipients.Count == 0)
        {
            throw new ArgumentException("A briefing goes to at least one recipient.", nameof(recipients));
        }
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; }

    /// <summary>Plain text or simple Markdown (headings, lists, bold); shown escaped.</summary>
    public string Body { get; private set; }

    /// <summary>An http(s) link or a path on this site to the document the briefing is about, or null.</summary>
    public string? AttachmentUrl { get; private set; }

    /// <summary>True when each recipient must press "我已阅读"; opening it is then not enough to count as done.</summary>
    public bool RequiresConfirmation { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public string ScopeCode { get; private set; }

    public Guid SenderId { get; private set; }

    /// <summary>The sender's display name when it was sent.</summary>
    public string SenderName { get; private set; }

    public DateTimeOffset SentAt { get; private set; }

    public List<string> AudienceGridCodes { get; private set; } = [];

    public List<BriefingRecipientKind> AudienceKinds { get; private set; } = [];

    public List<Guid> AudienceOrganisationIds { get; private set; } = [];

    /// <summary>The last reminder of the outstanding recipients, by the daily job or the sender.</summary>
    public DateTimeOffset? LastRemindedAt { get; private set; }

    public List<BriefingRecipient> Recipients { get; private set; } = [];

    /// <summary>The recipients who still have to read it (or to confirm, when confirmation is asked for).</summary>
    public IEnumerable<BriefingRecipient> Outstanding => Recipients.Where(r => r.IsOutstanding(RequiresConfirmation));

    /// <summary>Records a reminder of <see cref="Outstanding"/> at <paramref name="at"/>; returns who was reminded.</summary>
    public IReadOnlyList<BriefingRecipient> Remind(DateTimeOffset at)
    {
        var reminded = Outstanding.ToList();
        foreach (var recipient in reminded)
        {
            recipient.Reminded(at);
        }

        LastRemindedAt = at;
        return reminded;
    }
}

/// <summary>One recipient of a briefing, as they were when it was sent, with their read receipt.</summary>
public sealed class BriefingRecipient
{
    private BriefingRecipient()
    {
        DisplayName = null!;
        ScopeCode = null!;
        BriefingScopeCode = null!;
    }

    internal BriefingRecipient(Briefing briefing, BriefingCandidate candidate)
    {
        Id = Guid.CreateVersion7();
        BriefingId = briefing.Id;
        BriefingScopeCode = briefing.ScopeCode;
        UserId = candidate.UserId;
        DisplayName = candidate.DisplayName;
        ScopeCode = candidate.ScopeCode;
        OrganisationId = candidate.OrganisationId;
        Roles = [.. candidate.Roles.Where(BriefingRecipients.AddressableRoles.Contains).Order()];
    }

    public Guid Id { get; private set; }

    public Guid BriefingId { get; private set; }

    /// <summary>The briefing's scope, kept here so that the sender's staff see the receipts without a join.</summary>
    public string BriefingScopeCode { get; private set; }

    public Guid UserId { get; private set; }

    public string DisplayName { get; private set; }

    /// <summary>The recipient's scope (their grid) when it was sent.</summary>
    public string ScopeCode { get; private set; }

    public Guid? OrganisationId { get; private set; }

    /// <summary>The recipient's addressable roles when it was sent.</summary>
    public List<Role> Roles { get; private set; } = [];

    /// <summary>When the recipient first opened it; opening again keeps the first time.</summary>
    public DateTimeOffset? FirstOpenedAt { get; private set; }

    /// <summary>When the recipient pressed "我已阅读"; pressing again keeps the first time.</summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }

    public int ReminderCount { get; private set; }

    public DateTimeOffset? LastRemindedAt { get; private set; }

    public bool IsOutstanding(bool confirmationRequired) => confirmationRequired ? ConfirmedAt is null : FirstOpenedAt is null;

    public void Open(DateTimeOffset at) => FirstOpenedAt ??= at;

    /// <summary>Confirms reading; a confirmation is also an opening.</summary>
    public void Confirm(DateTimeOffset at)
    {
        Open(at);
        ConfirmedAt ??= at;
    }

    internal void Reminded(DateTimeOffset at)
    {
        ReminderCount++;
        LastRemindedAt = at;
    }
}
