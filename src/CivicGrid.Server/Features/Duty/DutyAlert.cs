namespace CivicGrid.Server.Features.Duty;

/// <summary>Why the officer on duty is alerted.</summary>
public enum DutyAlertKind
{
    /// <summary>A case reported red, or turned red.</summary>
    RedCase = 1,

    /// <summary>A device alarm opened a case of a kind counted in natural time (fire, gas, flooding, public safety).</summary>
    UrgentAlarm = 2,

    /// <summary>A case whose category counts natural time passed its due time unfinished.</summary>
    UrgentOverdue = 3,
}

public enum DutyAlertState
{
    Open = 1,
    Acknowledged = 2,

    /// <summary>Not acknowledged in time: passed to the leader on call (or the operations centre's staff); still to be acknowledged.</summary>
    Escalated = 3,
}

/// <summary>Who an alert went to.</summary>
public enum DutyAlertAudience
{
    Officer = 1,
    Leader = 2,

    /// <summary>Nobody on duty and no leader on call: every operations-centre staff member of the subdistrict.</summary>
    OpsStaff = 3,
}

/// <summary>
/// An urgent matter for the subdistrict's officer on duty, to be acknowledged by <see cref="AcknowledgeBy"/>; otherwise it
/// escalates to the leader on call once (<see cref="Escalate"/>). The version guards every change, so two server instances
/// never escalate the same alert twice. <see cref="SourceKey"/> is unique: one cause, one alert.
/// </summary>
public sealed class DutyAlert
{
    public const int MaxSourceKeyLength = 120;
    public const int MaxTitleLength = 200;
    public const int MaxRoutingLength = 200;

    public Guid Id { get; set; }

    public string SubdistrictCode { get; set; } = string.Empty;

    public DutyAlertKind Kind { get; set; }

    /// <summary>What raised it (red:case:version, alarm:case, overdue:case:due): the unique key that keeps a cause to one alert.</summary>
    public string SourceKey { get; set; } = string.Empty;

    public string CaseNumber { get; set; } = string.Empty;

    public string CaseTitle { get; set; } = string.Empty;

    public string GridCode { get; set; } = string.Empty;

    public DateTimeOffset RaisedAt { get; set; }

    /// <summary>When it escalates if nobody acknowledged it (<c>Duty:AcknowledgeWithin</c> after it was raised).</summary>
    public DateTimeOffset AcknowledgeBy { get; set; }

    public DutyAlertState State { get; set; } = DutyAlertState.Open;

    public DutyAlertAudience Audience { get; set; }

    /// <summary>The officer (or leader) it went to; null when it went to the operations centre's staff.</summary>
    public Guid? RecipientUserId { get; set; }

    /// <summary>Who it reached, in Chinese (值班员 张三 / 无人值班，已直接提醒带班领导 李四 / …).</summary>
    public string Routing { get; set; } = string.Empty;

    public DateTimeOffset? EscalatedAt { get; set; }

    public DutyAlertAudience? EscalatedTo { get; set; }

    public Guid? EscalatedToUserId { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public Guid? AcknowledgedBy { get; set; }

    public int Version { get; set; }

    public bool IsPending => State is DutyAlertState.Open or DutyAlertState.Escalated;

    /// <summary>The person who acknowledges confirms they took it in hand; an escalated alert is acknowledged the same way.</summary>
    /// <exception cref="DutyRuleException">Already acknowledged.</exception>
    public void Acknowledge(Guid userId, DateTimeOffset at)
    {
        if (!IsPending)
        {
            throw new DutyRuleException(DutyRuleException.AlreadyAcknowledged, "该提醒已经确认，无需重复确认。");
        }

        State = DutyAlertState.Acknowledged;
        AcknowledgedAt = at;
        AcknowledgedBy = userId;
        Version++;
    }

    /// <summary>Passes an open alert whose time ran out to <paramref name="to"/>; the routing note says to whom.</summary>
    /// <exception cref="DutyRuleException">Not open, or not due yet.</exception>
    public void Escalate(DutyAlertAudience to, Guid? userId, string routing, DateTimeOffset at)
    {
        if (State != DutyAlertState.Open || at < AcknowledgeBy)
        {
            throw new DutyRuleException(DutyRuleException.NotDue, "该提醒未到升级时间或已处理。");
        }

        State = DutyAlertState.Escalated;
        EscalatedAt = at;
        EscalatedTo = to;
        EscalatedToUserId = userId;
        Routing = routing.Length > MaxRoutingLength ? routing[..MaxRoutingLength] : routing;
        Version++;
    }
}

/// <summary>An open urgent matter handed from one shift to the next.</summary>
/// <param name="Kind">red-case, duty-alert, urgent-case or note.</param>
/// <param name="Reference">The case number (or empty for a free note).</param>
public sealed record HandoverItem(string Kind, string Reference, string Title);

/// <summary>
/// A handover (交接班) at the end of a shift: the open urgent items, notes, the outgoing officer's signature (their own
/// authenticated confirmation, with its time) and, later, the incoming officer's acceptance. Kept for good.
/// </summary>
public sealed class DutyHandover
{
    public const int MaxNotesLength = 2000;
    public const int MaxItems = 100;

    public Guid Id { get; set; }

    public string SubdistrictCode { get; set; } = string.Empty;

    /// <summary>The outgoing shift.</summary>
    public Guid ShiftId { get; set; }

    public Guid PostId { get; set; }

    public Guid OutgoingUserId { get; set; }

    public DateTimeOffset OutgoingSignedAt { get; set; }

    /// <summary>Who takes over: the person of the next shift on the post, or whoever the outgoing officer named.</summary>
    public Guid? IncomingUserId { get; set; }

    public DateTimeOffset? IncomingAcceptedAt { get; set; }

    public string Notes { get; set; } = string.Empty;

    public List<HandoverItem> Items { get; set; } = [];

    public int Version { get; set; }

    /// <summary>The incoming officer accepts, signing with their own session.</summary>
    public void Accept(Guid userId, DateTimeOffset at)
    {
        if (IncomingAcceptedAt is not null)
        {
            throw new DutyRuleException(DutyRuleException.AlreadyAcknowledged, "该交接班已经接班确认。");
        }

        IncomingUserId = userId;
        IncomingAcceptedAt = at;
        Version++;
    }
}

/// <summary>One change to the roster, an alert or a handover: who, when, what (Chinese). Written with the change, never altered.</summary>
public sealed class DutyLogEntry
{
    public const int MaxDetailLength = 500;

    public Guid Id { get; set; }

    public string SubdistrictCode { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    /// <summary>The user who did it; null for the system (a job).</summary>
    public Guid? ActorId { get; set; }

    /// <summary>shift-created, shift-changed, shift-cancelled, shifts-generated, alert-raised, alert-acknowledged, alert-escalated, handover-signed, handover-accepted.</summary>
    public string Action { get; set; } = string.Empty;

    public Guid SubjectId { get; set; }

    public string Detail { get; set; } = string.Empty;

    public static DutyLogEntry Of(string subdistrict, DateTimeOffset at, Guid? actor, string action, Guid subject, string detail) => new()
    {
        Id = Guid.CreateVersion7(at), SubdistrictCode = subdistrict, At = at, ActorId = actor, Action = action, SubjectId = subject,
        Detail = detail.Length > MaxDetailLength ? detail[..MaxDetailLength] : detail,
    };
}
