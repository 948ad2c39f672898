namespace CivicGrid.Server.Features.Notifications;

/// <summary>
/// Someone who hears a case's public steps without having reported it: the reporter of a duplicate merged into it
/// ("merge keeps both reporters informed"). A signed-in reporter follows by user id, an anonymous one by phone.
/// </summary>
public sealed class CaseFollower
{
    private CaseFollower()
    {
        CaseNumber = null!;
        SourceCaseNumber = null!;
    }

    /// <param name="caseNumber">The case followed.</param>
    /// <param name="sourceCaseNumber">The merged case whose reporter this is; one follower per merged case.</param>
    public CaseFollower(string caseNumber, string sourceCaseNumber, Guid? userId, string? phone, DateTimeOffset createdAt)
    {
        if (userId is null && string.IsNullOrWhiteSpace(phone))
        {
            throw new ArgumentException("A follower is a user or a phone number.", nameof(userId));
        }

        Id = Guid.CreateVersion7();
        CaseNumber = caseNumber;
        SourceCaseNumber = sourceCaseNumber;
        UserId = userId;
        Phone = userId is null ? phone : null;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string CaseNumber { get; private set; }

    public string SourceCaseNumber { get; private set; }

    public Guid? UserId { get; private set; }

    /// <summary>An anonymous follower's phone number; personal data, masked in logs.</summary>
    public string? Phone { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>
/// An address a user can be reached at outside the app, e.g. the WeChat openid of the official account they
/// follow (bound when they sign in through WeChat). Users with a WeChat binding get template messages too.
/// </summary>
public sealed class UserChannelAddress
{
    private UserChannelAddress()
    {
        Address = null!;
    }

    public UserChannelAddress(Guid userId, OutboxChannel channel, string address, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        UserId = userId;
        Channel = channel;
        Address = address.Trim();
        CreatedAt = createdAt;
    }

    public Guid UserId { get; private set; }

    public OutboxChannel Channel { get; private set; }

    /// <summary>A phone number (SMS) or an openid (WeChat).</summary>
    public string Address { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The user turned this channel off (我的消息设置): nothing more is sent to it until they turn it on again.</summary>
    public bool OptedOut { get; private set; }

    public DateTimeOffset? OptedOutAt { get; private set; }

    /// <summary>Turns the channel off or on again; the address is kept either way.</summary>
    public void SetOptedOut(bool optedOut, DateTimeOffset at)
    {
        if (OptedOut == optedOut)
        {
            return;
        }

        OptedOut = optedOut;
        OptedOutAt = optedOut ? at : null;
    }

    /// <summary>The user gave a new number or openid for this channel.</summary>
    public void ChangeTo(string address, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        Address = address.Trim();
        CreatedAt = at;
    }
}
