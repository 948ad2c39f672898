namespace CivicGrid.Domain.Cases;

/// <summary>
/// A case verb refused because one of the workflow's rules forbids it. Nothing on the case changed.
/// <see cref="Rule"/> is a stable name (e.g. <c>case.accept.only-when-reported</c>) for clients and tests;
/// <see cref="Exception.Message"/> is English for logs, <see cref="ChineseMessage"/> is for the person acting.
/// </summary>
public sealed class CaseRuleException : Exception
{
    public CaseRuleException(string rule, string message, string chineseMessage)
        : base(message)
    {
        Rule = rule;
        ChineseMessage = chineseMessage;
    }

    public CaseRuleException(CaseRule rule)
        : this(rule.Name, rule.Message, rule.ChineseMessage)
    {
    }

    /// <summary>The broken rule's stable kebab-case name; one of <see cref="CaseRules.All"/>.</summary>
    public string Rule { get; }

    public string ChineseMessage { get; }
}

/// <summary>
/// A case verb refused because the caller acted on a version of the case that is no longer current: someone
/// else changed it in between. The server is to answer 409 with <see cref="CurrentStatus"/> and <see cref="CurrentVersion"/>.
/// </summary>
public sealed class CaseConcurrencyException : Exception
{
    public CaseConcurrencyException(string caseNumber, int expectedVersion, int currentVersion, CaseStatus currentStatus)
        : base($"Case {caseNumber} is at version {currentVersion} ({currentStatus}), not {expectedVersion}: someone changed it since it was read.")
    {
        CaseNumber = caseNumber;
        ExpectedVersion = expectedVersion;
        CurrentVersion = currentVersion;
        CurrentStatus = currentStatus;
    }

    public string CaseNumber { get; }

    /// <summary>The version the caller saw.</summary>
    public int ExpectedVersion { get; }

    public int CurrentVersion { get; }

    public CaseStatus CurrentStatus { get; }

    public string ChineseMessage => $"案件 {CaseNumber} 已被他人更新（当前状态：{CurrentStatus.ToChinese()}），请刷新后重试。";
}
