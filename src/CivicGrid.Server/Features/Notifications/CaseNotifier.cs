using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>
/// Derives notifications from the case timeline entries a save is about to insert, inside that same save
/// (a save hook, <see cref="ISaveHook"/>), so no endpoint or job has to remember to notify
/// and nothing is announced that was not stored. The policy is <see cref="CaseNotificationRules"/>; merges also
/// make the merged case's reporter (and its followers) followers of the case it was merged into.
/// </summary>
public sealed class CaseNotifier : ISaveHook
{
    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        var writer = await AddForNewEntriesAsync(db, ct);
        return writer is null ? null : written =>
        {
            if (!written)
            {
                writer.Undo();
            }
        };
    }

    /// <summary>Adds what the new timeline entries call for; returns the writer so that a failed save can undo it.</summary>
    public static async Task<NotificationWriter?> AddForNewEntriesAsync(CivicGridDbContext db, CancellationToken ct)
    {
        var added = db.ChangeTracker.Entries<CaseTimelineEntry>().Where(e => e.State == EntityState.Added).ToList();
        if (added.Count == 0)
        {
            return null;
        }

        var caseEntries = db.ChangeTracker.Entries<Case>().ToDictionary(e => e.Entity.Id);
        var cases = caseEntries.ToDictionary(e => e.Key, e => e.Value.Entity);
        var writer = new NotificationWriter(db);
        foreach (var group in added.GroupBy(e => (Guid)e.Property("CaseId").CurrentValue!))
        {
            if (!cases.TryGetValue(group.Key, out var subject))
            {
                continue;
            }

            var notices = CaseNotificationRules.NoticesFor(subject, group.Select(e => e.Entity.Sequence).ToHashSet());
            if (notices.Count == 0)
            {
                continue;
            }

            // A case being added has no followers yet: no need to ask.
            var followers = notices.Any(n => n.ToReporter) && caseEntries[group.Key].State != EntityState.Added
                ? await db.CaseFollowers.IgnoreQueryFilters().AsNoTracking().Where(f => f.CaseNumber == subject.Number).ToListAsync(ct)
                : [];
            foreach (var notice in notices)
            {
                await NotifyAsync(writer, subject, notice, followers, ct);
                if (notice.Entry.Action == "merge" && notice.Entry.Details.TryGetValue("merged-into", out var target))
                {
                    Follow(writer, subject, target, followers, notice.Entry.At);
                }
            }
        }

        return writer;
    }

    private static async Task NotifyAsync(NotificationWriter writer, Case subject, CaseNotice notice, IReadOnlyList<CaseFollower> followers, CancellationToken ct)
    {
        var entry = notice.Entry;
        var actor = entry.ActorId == Guid.Empty ? (Guid?)null : entry.ActorId;
        if (notice.Staff is { } staff)
        {
            var staffUsers = new List<Guid>();
            if (notice.Assignee is { } assignee)
            {
                staffUsers.AddRange(await writer.AssigneesAsync(assignee, ct));
            }

            foreach (var owner in notice.OwnerCodes)
            {
                staffUsers.AddRange(await writer.OwnerStaffAsync(owner, notice.OwnerTier, ct));
            }

            await writer.NotifyUsersAsync(staffUsers, actor, notice.SourceKey, staff.Kind, staff.Title, staff.Body, subject.Number, entry.At,
                OutboxTemplates.CaseTask, ct);
        }

        if (!notice.ToReporter)
        {
            return;
        }

        var progress = NotificationWriter.Parameters(subject.Number, "案件进展", entry.PublicText);
        if (subject.ReporterId is { } reporter)
        {
            await writer.NotifyUsersAsync([reporter], actor, notice.SourceKey, NotificationKinds.CaseProgress, "案件进展", entry.PublicText,
                subject.Number, entry.At, OutboxTemplates.CaseProgress, ct, entry.Action);
            if (entry.Action == "report" && actor == reporter)
            {
                // Their own report is no news in the app they just used, but WeChat confirms its receipt (件件有回音).
                await writer.WeChatOnlyAsync(reporter, notice.SourceKey, OutboxTemplates.CaseProgress,
                    NotificationWriter.Parameters(subject.Number, "案件进展", entry.PublicText, entry.Action, entry.At), subject.Number, entry.At, ct);
            }
        }
        else if (!string.IsNullOrWhiteSpace(subject.ReporterPhone))
        {
            writer.Sms(subject.ReporterPhone, notice.SourceKey, OutboxTemplates.CaseProgress, progress, subject.Number, entry.At);
        }

        var followed = $"您反映的问题已并入案件 {subject.Number} 办理：{entry.PublicText}";
        await writer.NotifyUsersAsync(followers.Where(f => f.UserId is not null).Select(f => f.UserId!.Value), actor, notice.SourceKey,
            NotificationKinds.FollowedCaseProgress, "您关注的案件有新进展", followed, subject.Number, entry.At, OutboxTemplates.CaseProgress, ct, entry.Action);
        foreach (var phone in followers.Where(f => f.UserId is null).Select(f => f.Phone!).Distinct())
        {
            writer.Sms(phone, notice.SourceKey, OutboxTemplates.CaseProgress, NotificationWriter.Parameters(subject.Number, "案件进展", followed),
                subject.Number, entry.At);
        }
    }

    /// <summary>The merged case's reporter, and whoever followed the merged case, follow the case it was merged into.</summary>
    private static void Follow(NotificationWriter writer, Case merged, string target, IReadOnlyList<CaseFollower> followers, DateTimeOffset at)
    {
        if (merged.ReporterId is not null || !string.IsNullOrWhiteSpace(merged.ReporterPhone))
        {
            writer.Add(new CaseFollower(target, merged.Number, merged.ReporterId, merged.ReporterPhone, at));
        }

        foreach (var follower in followers)
        {
            writer.Add(new CaseFollower(target, follower.SourceCaseNumber, follower.UserId, follower.Phone, at));
        }
    }
}
