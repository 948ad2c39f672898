namespace CivicGrid.Server.Infrastructure.Privacy;

/// <summary>
/// One time someone saw a case's personal data in full (查看完整个人信息): who, when, which case, which fields, from
/// where. Written in the same transaction that reads the data, so no reveal goes unrecorded; never changed.
/// Scoped like the case (by its grid code) so an auditor of a region sees the reveals of that region.
/// </summary>
public sealed class PersonalDataReveal
{
    private PersonalDataReveal()
    {
        UserName = null!;
        CaseNumber = null!;
        GridCode = null!;
        Fields = null!;
        Outcome = Revealed;
    }

    public PersonalDataReveal(Guid userId, string userName, Guid caseId, string caseNumber, string gridCode,
        IEnumerable<string> fields, string? clientIp, string? reason, DateTimeOffset at, string outcome = Revealed)
    {
        Outcome = outcome;
        Id = Guid.CreateVersion7();
        UserId = userId;
        UserName = userName;
        CaseId = caseId;
        CaseNumber = caseNumber;
        GridCode = gridCode;
        Fields = string.Join(',', fields);
        ClientIp = clientIp;
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        At = at;
    }

    public Guid Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The login name at the time, kept even if the account is renamed or removed.</summary>
    public string UserName { get; private set; }

    public Guid CaseId { get; private set; }

    public string CaseNumber { get; private set; }

    /// <summary>The case's grid when revealed; the scope filter reads it.</summary>
    public string GridCode { get; private set; }

    /// <summary>Comma-separated API names of what was shown in full: reporterName, reporterPhone.</summary>
    public string Fields { get; private set; }

    /// <summary>The client address as the server saw it (behind a proxy, the proxy's unless forwarded headers are configured).</summary>
    public string? ClientIp { get; private set; }

    /// <summary>Why, as the caller said (optional).</summary>
    public string? Reason { get; private set; }

    /// <summary><see cref="Revealed"/>, or <see cref="RefusedRole"/> when the caller asked without the permission (nothing shown).</summary>
    public string Outcome { get; private set; }

    public const string Revealed = "revealed";

    public const string RefusedRole = "refused-role";
}
