namespace CivicGrid.Server.Features.WeChat;

/// <summary>
/// The official account's access token or JS-SDK ticket, cached in the database so that every instance uses one and only
/// one instance refreshes it: WeChat allows a limited number of token calls a day, and a fresh token makes the previous
/// one expire shortly after, so two instances refreshing at once would knock each other's token out.
/// </summary>
public sealed class WeChatCredential
{
    public const string AccessToken = "access_token";
    public const string JsApiTicket = "jsapi_ticket";

    private WeChatCredential()
    {
        Kind = null!;
    }

    public WeChatCredential(string kind)
    {
        Kind = kind;
    }

    /// <summary><see cref="AccessToken"/> or <see cref="JsApiTicket"/>.</summary>
    public string Kind { get; private set; }

    /// <summary>The token or ticket; null until first fetched. Sealed at rest.</summary>
    public string? Value { get; private set; }

    /// <summary>When WeChat said it expires (now + expires_in at the time it was fetched).</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Counts refreshes; a refresh is written only by the instance that claimed the lease on this version.</summary>
    public int Version { get; private set; }

    /// <summary>The instance refreshing it now, until <see cref="LeaseUntil"/>.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }
}

/// <summary>
/// One OAuth <c>state</c> handed to WeChat's authorisation page: bound to the browser by a cookie holding the same value,
/// valid for <see cref="WeChatOptions.StateLifetime"/>, and used once (a conditional update sets <see cref="UsedAt"/>).
/// Only its hash is stored.
/// </summary>
public sealed class WeChatSignInState
{
    private WeChatSignInState()
    {
        StateHash = null!;
        ReturnPath = null!;
        Scope = null!;
    }

    public WeChatSignInState(string stateHash, string returnPath, string scope, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Id = Guid.CreateVersion7();
        StateHash = stateHash;
        ReturnPath = returnPath;
        Scope = scope;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }

    /// <summary>SHA-256 of the state, hex.</summary>
    public string StateHash { get; private set; }

    /// <summary>The phone page to return to, a local path under /m/.</summary>
    public string ReturnPath { get; private set; }

    public string Scope { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }
}

/// <summary>
/// A WeChat identity of a resident account: the openid the official account sees (one per account and app) and, when the
/// account is bound to a WeChat Open Platform, the unionid shared by the platform's apps. Sign-in finds the account by
/// openid, else by unionid (another app of the same platform signed the resident up first), else creates it.
/// Both ids are sealed at rest and found through their blind indexes.
/// </summary>
public sealed class WeChatIdentity
{
    private WeChatIdentity()
    {
        AppId = null!;
        OpenId = null!;
    }

    public WeChatIdentity(Guid userId, string appId, string openId, string? unionId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(openId);
        Id = Guid.CreateVersion7();
        UserId = userId;
        AppId = appId;
        OpenId = openId;
        UnionId = string.IsNullOrWhiteSpace(unionId) ? null : unionId;
        CreatedAt = at;
        LastSignInAt = at;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string AppId { get; private set; }

    public string OpenId { get; private set; }

    public string? UnionId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastSignInAt { get; private set; }

    /// <summary>Signed in again; a unionid learnt now (the account was bound to an Open Platform since) is kept.</summary>
    public void SignedIn(string? unionId, DateTimeOffset at)
    {
        LastSignInAt = at;
        if (!string.IsNullOrWhiteSpace(unionId))
        {
            UnionId = unionId;
        }
    }
}

/// <summary>What WeChat answered to one template message: recorded so that a retry never sends an accepted message again.</summary>
public sealed class WeChatTemplateDelivery
{
    private WeChatTemplateDelivery()
    {
        MessageId = null!;
        Outcome = null!;
    }

    public WeChatTemplateDelivery(string messageId, string outcome, long? msgId, int errCode, DateTimeOffset at)
    {
        MessageId = messageId;
        Outcome = outcome;
        MsgId = msgId;
        ErrCode = errCode;
        At = at;
    }

    /// <summary>Our outbox message id (also sent as <c>client_msg_id</c>).</summary>
    public string MessageId { get; private set; }

    /// <summary><c>sent</c>, or <c>refused</c> (43101: the resident refused messages), or <c>opted-out</c>.</summary>
    public string Outcome { get; private set; }

    /// <summary>WeChat's <c>msgid</c> of an accepted message.</summary>
    public long? MsgId { get; private set; }

    public int ErrCode { get; private set; }

    public DateTimeOffset At { get; private set; }
}
