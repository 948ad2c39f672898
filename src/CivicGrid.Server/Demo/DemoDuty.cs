using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Duty;

namespace CivicGrid.Server.Demo;

/// <summary>
/// The main subdistrict's 7×24 duty as it would stand: two more duty operators and two leaders on call, a roster from a week
/// back to two weeks ahead (day and night shifts for the officers, 24-hour shifts for the leaders), <c>ops</c> on duty at the
/// time of seeding, the last handovers (the latest waiting for <c>ops</c> to accept it), and alerts on red cases: one
/// acknowledged, one escalated to the leader, one waiting for <c>ops</c>.
/// </summary>
public static class DemoDuty
{
    public const string SecondOperator = "ops02";
    public const string ThirdOperator = "ops03";
    public const string FirstChief = "chief01";
    public const string SecondChief = "chief02";

    public sealed record Roster(List<UserAccount> Accounts, List<DutyPost> Posts, List<DutyShift> Shifts, List<DutyHandover> Handovers,
        List<DutyAlert> Alerts, List<DutyLogEntry> Log);

    public static Roster Build(DemoDataset data, DateTimeOffset now, string passwordHash)
    {
        ArgumentNullException.ThrowIfNull(data);
        var code = DemoSubdistrictGenerator.SubdistrictCode;
        var created = now.AddDays(-30);
        UserAccount Account(string userName, string name)
        {
            var user = new UserAccount(userName, name, [Role.SubdistrictOperator], code, created);
            user.ChangePassword(passwordHash, now);
            return user;
        }

        var accounts = new List<UserAccount>
        {
            Account(SecondOperator, "赵晓燕"), Account(ThirdOperator, "孙立强"), Account(FirstChief, "王建国"), Account(SecondChief, "李卫东"),
        };
        var ops = data.Users.Single(u => u.UserName == DemoAccounts.Operator);
        var officerPost = new DutyPost { Id = Guid.CreateVersion7(created), SubdistrictCode = code, Name = "城运中心值班员", Kind = DutyPostKind.Officer, CreatedAt = created };
        var leaderPost = new DutyPost { Id = Guid.CreateVersion7(created), SubdistrictCode = code, Name = "带班领导", Kind = DutyPostKind.Leader, CreatedAt = created };

        var today = DutyRules.DayOf(now);
        var from = today.AddDays(-7);
        var to = today.AddDays(14);
        // The officers take turns so that ops holds the shift under way now.
        var officerShifts = DutyRules.Rotate(from, to, [Guid.Empty], ShiftPattern.DayNight);
        var current = officerShifts.ToList().FindIndex(s => s.StartsAt <= now && now < s.EndsAt);
        var turn = new[] { ops.Id, accounts[0].Id, accounts[1].Id };
        var people = Enumerable.Range(0, 3).Select(k => turn[((k - current) % 3 + 3) % 3]).ToList();
        var shifts = DutyRules.Rotate(from, to, people, ShiftPattern.DayNight).Select(p => Shift(officerPost, p)).ToList();
        shifts.AddRange(DutyRules.Rotate(from, to, [accounts[2].Id, accounts[3].Id], ShiftPattern.FullDay).Select(p => Shift(leaderPost, p)));

        DutyShift Shift(DutyPost post, PlannedShift p) => new()
        {
            Id = Guid.CreateVersion7(created), PostId = post.Id, SubdistrictCode = code, UserId = p.UserId, StartsAt = p.StartsAt, EndsAt = p.EndsAt,
            CreatedAt = created, CreatedBy = ops.Id,
        };

        var log = new List<DutyLogEntry>
        {
            DutyLogEntry.Of(code, created, ops.Id, "shifts-generated", shifts[0].Id, $"「城运中心值班员」与「带班领导」排班 {from:yyyy-MM-dd} 至 {to:yyyy-MM-dd}"),
        };

        // The last three officer shifts before the current one were handed over; the latest still waits for ops to accept it.
        var officers = shifts.Where(s => s.PostId == officerPost.Id).OrderBy(s => s.StartsAt).ToList();
        var now0 = officers.FindIndex(s => s.StartsAt <= now && now < s.EndsAt);
        var handovers = new List<DutyHandover>();
        var reds = data.Cases.Where(c => c.GridCode.StartsWith(code, StringComparison.Ordinal) && c.Tier == CaseTier.Red)
            .OrderByDescending(c => c.ReportedAt).ToList();
        for (var k = Math.Max(1, now0 - 3); k < now0; k++)
        {
            var ended = officers[k];
            var incoming = officers[k + 1];
            var signed = ended.EndsAt.AddMinutes(-5);
            var latest = k == now0 - 1;
            var handover = new DutyHandover
            {
                Id = Guid.CreateVersion7(signed), SubdistrictCode = code, ShiftId = ended.Id, PostId = officerPost.Id, OutgoingUserId = ended.UserId,
                OutgoingSignedAt = signed, IncomingUserId = incoming.UserId, IncomingAcceptedAt = latest ? null : signed.AddMinutes(3),
                Notes = latest ? "夜间平稳。红色案件已报区级，等待区级答复；请关注东片区积水点的水位计读数。" : "本班无突发情况，设备运行正常。",
                Items = [.. reds.Take(2).Select(c => new HandoverItem("red-case", c.Number, $"红色案件未办结：{c.Title}"))],
            };
            handovers.Add(handover);
            log.Add(DutyLogEntry.Of(code, signed, ended.UserId, "handover-signed", handover.Id, $"交班签字，交接事项 {handover.Items.Count} 项"));
            if (handover.IncomingAcceptedAt is { } accepted)
            {
                log.Add(DutyLogEntry.Of(code, accepted, incoming.UserId, "handover-accepted", handover.Id, "接班确认"));
            }
        }

        var alerts = new List<DutyAlert>();
        var names = accounts.Append(ops).ToDictionary(a => a.Id, a => a.DisplayName);
        if (reds.Count > 0)
        {
            // Acknowledged two hours ago by the officer then on duty.
            var raised = now.AddHours(-2);
            var officerThen = officers.First(s => s.StartsAt <= raised && raised < s.EndsAt).UserId;
            alerts.Add(Alert(reds[0], DutyAlertKind.RedCase, raised, officerThen, DutyAlertState.Acknowledged));
        }

        if (reds.Count > 1)
        {
            // Escalated yesterday evening: nobody acknowledged within ten minutes.
            var raised = DutyRules.At(today.AddDays(-1), new TimeOnly(21, 40));
            var officerThen = officers.First(s => s.StartsAt <= raised && raised < s.EndsAt).UserId;
            var leaderThen = shifts.First(s => s.PostId == leaderPost.Id && s.StartsAt <= raised && raised < s.EndsAt).UserId;
            var alert = Alert(reds[1], DutyAlertKind.RedCase, raised, officerThen, DutyAlertState.Open);
            alert.Escalate(DutyAlertAudience.Leader, leaderThen, $"{DutyRules.Describe(alert.AcknowledgeBy)}前未确认，已升级至带班领导 {names[leaderThen]}",
                alert.AcknowledgeBy.AddSeconds(30));
            log.Add(DutyLogEntry.Of(code, alert.EscalatedAt!.Value, null, "alert-escalated", alert.Id, $"案件 {alert.CaseNumber}：{alert.Routing}。"));
            alerts.Add(alert);
        }

        if (reds.Count > 2)
        {
            // Just raised: waiting for ops, who is on duty.
            alerts.Add(Alert(reds[2], DutyAlertKind.RedCase, now.AddMinutes(-2), ops.Id, DutyAlertState.Open));
        }

        return new Roster(accounts, [officerPost, leaderPost], shifts, handovers, alerts, log);

        DutyAlert Alert(Case subject, DutyAlertKind kind, DateTimeOffset raised, Guid officer, DutyAlertState state)
        {
            var alert = new DutyAlert
            {
                Id = Guid.CreateVersion7(raised), SubdistrictCode = code, Kind = kind, SourceKey = $"demo:{subject.Id:N}", CaseNumber = subject.Number,
                CaseTitle = subject.Title.Length > DutyAlert.MaxTitleLength ? subject.Title[..DutyAlert.MaxTitleLength] : subject.Title,
                GridCode = subject.GridCode, RaisedAt = raised, AcknowledgeBy = raised.AddMinutes(10), Audience = DutyAlertAudience.Officer,
                RecipientUserId = officer, Routing = $"已提醒值班员 {names[officer]}",
            };
            log.Add(DutyLogEntry.Of(code, raised, null, "alert-raised", alert.Id, $"{DutyDesk.KindText(kind)}：案件 {subject.Number}「{alert.CaseTitle}」，{alert.Routing}。"));
            if (state == DutyAlertState.Acknowledged)
            {
                alert.Acknowledge(officer, raised.AddMinutes(4));
                log.Add(DutyLogEntry.Of(code, raised.AddMinutes(4), officer, "alert-acknowledged", alert.Id, $"确认案件 {subject.Number} 的值班提醒"));
            }

            return alert;
        }
    }
}
