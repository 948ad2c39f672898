using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Server.Features.Audit;

/// <summary>What happened, in the security audit trail (MLPS level 3 "security audit"). Serialised kebab-case.</summary>
public enum SecurityEventKind
{
    SignIn = 1,
    SignInFailed,
    LockedOut,
    SignOut,
    AccountCreated,
    AccountChanged,
    AccountDeactivated,
    AccountReactivated,
    AccountUnlocked,
    PasswordReset,
    PasswordChanged,
    RoleGrantRequested,
    RoleGrantApproved,
    RoleGrantRejected,
    SecondFactorEnrolled,
    SecondFactorReset,
    SecondFactorFailed,
    RecoveryCodeUsed,
    SignInCodeIssued,
    TrustedDeviceSignedIn,
    TrustedDeviceRevoked,
    ApiKeyIssued,
    ApiKeyRevoked,
    DeviceSecretIssued,
    ConfigurationChanged,
    CalendarChanged,
    OrganisationChanged,
    Imported,
    Exported,
    PersonalDataRevealed,
    PersonalDataRefused,
    AccessDenied,

    /// <summary>A grid worker's work ID (网格员工作证) was issued.</summary>
    WorkIdIssued,

    /// <summary>A work ID was revoked (by staff, or because its holder left the roster).</summary>
    WorkIdRevoked,

    /// <summary>An operator made a backup (database, photos, keys) with the <c>backup</c> command.</summary>
    BackupMade,

    /// <summary>An operator restored a backup with the <c>restore</c> command (recorded in the restored database).</summary>
    BackupRestored,
}

/// <summary>How it ended.</summary>
public enum SecurityOutcome
{
    Success = 1,
    Failure,
    Refused,
}

/// <summary>
/// One entry of the security audit trail: who did what to whom, from where, when, and how it ended. Append-only: the
/// database refuses updates and deletes (triggers), and each entry carries the SHA-256 of its content chained to the entry
/// before it, so one changed, removed or inserted behind the application's back breaks the chain (<c>audit verify</c>).
/// Kept at least 180 days (MLPS level 3 asks for six months); CivicGrid never deletes them.
/// </summary>
public sealed class SecurityEvent
{
    private SecurityEvent()
    {
        ActorName = null!;
        Detail = null!;
        ScopeCode = null!;
        PreviousHash = null!;
        Hash = null!;
    }

    public SecurityEvent(DateTimeOffset at, SecurityEventKind kind, SecurityOutcome outcome, Guid? actorId, string actorName,
        string? subjectKind, string? subjectId, string? subjectName, string scopeCode, string? clientAddress, string detail)
    {
        Id = Guid.CreateVersion7();
        // Kept to the millisecond, what the SQLite mapping stores (PostgreSQL keeps microseconds), so the hash computed now is
        // the hash of what is read back.
        At = new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        Kind = kind;
        Outcome = outcome;
        ActorId = actorId;
        ActorName = Clip(actorName, 100);
        SubjectKind = subjectKind;
        SubjectId = subjectId is null ? null : Clip(subjectId, 64);
        SubjectName = subjectName is null ? null : Clip(subjectName, 200);
        ScopeCode = scopeCode;
        ClientAddress = clientAddress is null ? null : Clip(clientAddress, 64);
        Detail = Clip(detail, 1000);
        PreviousHash = string.Empty;
        Hash = string.Empty;
    }

    /// <summary>The row's key (the sequence is given only when the entry is sealed, as part of the save).</summary>
    public Guid Id { get; private set; }

    /// <summary>Position in the one chain of the installation, from 1, without gaps.</summary>
    public long Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }

    public SecurityEventKind Kind { get; private set; }

    public SecurityOutcome Outcome { get; private set; }

    /// <summary>The account that acted; null for an anonymous caller, an operator command or the system.</summary>
    public Guid? ActorId { get; private set; }

    /// <summary>The actor's login name at the time (or <c>operator</c>, <c>system</c>, or the name someone tried).</summary>
    public string ActorName { get; private set; }

    /// <summary>What was acted on: <c>user</c>, <c>organisation</c>, <c>api-key</c>, <c>device</c>, <c>case</c>, <c>calendar</c>…</summary>
    public string? SubjectKind { get; private set; }

    public string? SubjectId { get; private set; }

    public string? SubjectName { get; private set; }

    /// <summary>The region the subject belongs to; an auditor of a region reads that region's entries.</summary>
    public string ScopeCode { get; private set; }

    public string? ClientAddress { get; private set; }

    /// <summary>What changed, in words (never a password, code, key or personal data in full).</summary>
    public string Detail { get; private set; }

    public string PreviousHash { get; private set; }

    /// <summary>Hex SHA-256 of <see cref="PreviousHash"/> and every field above.</summary>
    public string Hash { get; private set; }

    /// <summary>Puts the entry at <paramref name="sequence"/> after the entry whose hash is <paramref name="previousHash"/>.</summary>
    internal void Seal(long sequence, string previousHash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>The hash this entry's stored content should have (compare with <see cref="Hash"/>).</summary>
    public string ComputeHash()
    {
        var text = string.Join('\u001f', PreviousHash, Sequence, At.UtcTicks, (int)Kind, (int)Outcome, ActorId?.ToString() ?? "", ActorName,
            SubjectKind ?? "", SubjectId ?? "", SubjectName ?? "", ScopeCode, ClientAddress ?? "", Detail);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>The end of the chain: the last sequence and hash. One row; every append locks it, so appends from several
/// requests or server instances queue up and the chain never forks.</summary>
public sealed class SecurityAuditHead
{
    public int Id { get; set; }

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = string.Empty;
}
