using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Duty;

/// <summary>One person on duty: the shift, the post, the person's name and phone (in full: mask it before it leaves the server).</summary>
public sealed record OnDutyPerson(Guid ShiftId, Guid PostId, string PostName, DutyPostKind Kind, Guid UserId, string Name, string? PhoneNumber,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>Who is on duty in a subdistrict at a moment: officers and leaders on call.</summary>
public sealed record OnDuty(IReadOnlyList<OnDutyPerson> People)
{
    public OnDutyPerson? Officer => People.FirstOrDefault(p => p.Kind == DutyPostKind.Officer);

    public OnDutyPerson? Leader => People.FirstOrDefault(p => p.Kind == DutyPostKind.Leader);

    public bool Includes(Guid userId) => People.Any(p => p.UserId == userId);
}

/// <summary>
/// The operations centre's desk: who is on duty at a moment, and raising an alert to them (or, with nobody on duty, to the
/// leader on call, and with neither, to the centre's staff) together with its in-app notifications, in the caller's save.
/// Reads past the caller's scope: a save made by a resident's report alerts the subdistrict all the same.
/// </summary>
public static class DutyDesk
{
    /// <summary>The kind of the in-app notifications of duty alerts and escalations.</summary>
    public const string NotificationKind = "duty-alert";

    public static string SubdistrictOf(string code) => code.Length >= GridCodes.SubdistrictLength ? code[..GridCodes.SubdistrictLength] : code;

    public static async Task<OnDuty> OnDutyAsync(CivicGridDbContext db, string subdistrict, DateTimeOffset at, CancellationToken ct)
    {
        var rows = await (
                from s in db.DutyShifts.IgnoreQueryFilters().AsNoTracking()
                join p in db.DutyPosts.IgnoreQueryFilters().AsNoTracking() on s.PostId equals p.Id
                join u in db.Users.IgnoreQueryFilters().AsNoTracking() on s.UserId equals u.Id
                where s.SubdistrictCode == subdistrict && s.CancelledAt == null && s.StartsAt <= at && s.EndsAt > at
                select new { s.Id, s.PostId, PostName = p.Name, p.Kind, s.UserId, u.DisplayName, u.PhoneNumber, s.StartsAt, s.EndsAt })
            .ToListAsync(ct);
        return new OnDuty([.. rows.OrderBy(r => r.Kind).ThenBy(r => r.PostName, StringComparer.Ordinal)
            .Select(r => new OnDutyPerson(r.Id, r.PostId, r.PostName, r.Kind, r.UserId, r.DisplayName, r.PhoneNumber, r.StartsAt, r.EndsAt))]);
    }

    /// <summary>
    /// Adds an alert about <paramref name="subject"/> (unless one with the same source key exists) routed to whoever is on
    /// duty at <paramref name="at"/>, and its notifications, to <paramref name="writer"/>'s unit of work. Returns it, or null.
    /// </summary>
    public static async Task<DutyAlert?> RaiseAsync(CivicGridDbContext db, NotificationWriter writer, DutyAlertKind kind, string sourceKey, Case subject,
        DateTimeOffset at, TimeSpan acknowledgeWithin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.GridCode.Length < GridCodes.SubdistrictLength
            || await db.DutyAlerts.IgnoreQueryFilters().AnyAsync(a => a.SourceKey == sourceKey, ct))
        {
            return null;
        }

        var subdistrict = SubdistrictOf(subject.GridCode);
        var onDuty = await OnDutyAsync(db, subdistrict, at, ct);
        var (audience, person) = onDuty.Officer is { } officer ? (DutyAlertAudience.Officer, officer)
            : onDuty.Leader is { } leader ? (DutyAlertAudience.Leader, leader) : (DutyAlertAudience.OpsStaff, (OnDutyPerson?)null);
        var routing = audience switch
        {
            DutyAlertAudience.Officer => $"已提醒值班员 {person!.Name}",
            DutyAlertAudience.Leader => $"当前无人值班，已直接提醒带班领导 {person!.Name}",
            _ => "当前无人值班且无带班领导，已提醒街道城运中心全体人员",
        };
        var alert = new DutyAlert
        {
            Id = Guid.CreateVersion7(at), SubdistrictCode = subdistrict, Kind = kind, SourceKey = sourceKey, CaseNumber = subject.Number,
            CaseTitle = subject.Title.Length > DutyAlert.MaxTitleLength ? subject.Title[..DutyAlert.MaxTitleLength] : subject.Title,
            GridCode = subject.GridCode, RaisedAt = at, AcknowledgeBy = at + acknowledgeWithin, Audience = audience, RecipientUserId = person?.UserId,
            Routing = routing,
        };
        writer.Add(alert);
        writer.Add(DutyLogEntry.Of(subdistrict, at, null, "alert-raised", alert.Id, $"{KindText(kind)}：案件 {subject.Number}「{alert.CaseTitle}」，{routing}。"));
        IReadOnlyList<Guid> recipients = person is not null ? [person.UserId] : await writer.OwnerStaffAsync(subdistrict, CaseTier.Blue, ct);
        await writer.NotifyUsersAsync(recipients, null, "duty-alert:" + alert.Id.ToString("N"), NotificationKind, $"值班紧急提醒：{KindText(kind)}",
            $"案件 {subject.Number}「{alert.CaseTitle}」（{KindText(kind)}），请在 {DutyRules.Describe(alert.AcknowledgeBy)} 前确认；超时未确认将升级至带班领导。",
            subject.Number, at, OutboxTemplates.CaseTask, ct);
        return alert;
    }

    /// <summary>
    /// Escalates an open alert whose time ran out, in the caller's save: to the leader on call at <paramref name="at"/>, or, with
    /// none, to the operations centre's staff; the notifications ride along. The alert's version keeps a second run from doing it again.
    /// </summary>
    public static async Task EscalateAsync(CivicGridDbContext db, NotificationWriter writer, DutyAlert alert, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(alert);
        var onDuty = await OnDutyAsync(db, alert.SubdistrictCode, at, ct);
        var leader = onDuty.Leader;
        var routing = leader is not null
            ? $"{Describe(alert.AcknowledgeBy)}前未确认，已升级至带班领导 {leader.Name}"
            : $"{Describe(alert.AcknowledgeBy)}前未确认且无带班领导，已升级至街道城运中心全体人员";
        alert.Escalate(leader is null ? DutyAlertAudience.OpsStaff : DutyAlertAudience.Leader, leader?.UserId, routing, at);
        writer.Add(DutyLogEntry.Of(alert.SubdistrictCode, at, null, "alert-escalated", alert.Id, $"案件 {alert.CaseNumber}：{routing}。"));
        IReadOnlyList<Guid> recipients = leader is not null ? [leader.UserId] : await writer.OwnerStaffAsync(alert.SubdistrictCode, CaseTier.Blue, ct);
        await writer.NotifyUsersAsync(recipients, null, "duty-escalation:" + alert.Id.ToString("N"), NotificationKind, "值班提醒超时未确认（已升级）",
            $"案件 {alert.CaseNumber}「{alert.CaseTitle}」（{KindText(alert.Kind)}）的值班提醒超时未确认，已升级给您，请立即处置并确认。",
            alert.CaseNumber, at, OutboxTemplates.CaseTask, ct);

        static string Describe(DateTimeOffset t) => DutyRules.Describe(t);
    }

    public static string KindText(DutyAlertKind kind) => kind switch
    {
        DutyAlertKind.RedCase => "红色案件",
        DutyAlertKind.UrgentAlarm => "紧急设备报警",
        DutyAlertKind.UrgentOverdue => "紧急案件超时",
        _ => "紧急事项",
    };

    /// <summary>True for an operations-centre staff member of <paramref name="subdistrict"/> (they keep its roster).</summary>
    public static bool ManagesRoster(IReadOnlyCollection<Role> roles, Scope scope, string subdistrict) =>
        roles.Contains(Role.SubdistrictOperator) && scope.Code == subdistrict;
}
