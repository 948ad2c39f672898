using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Features.Audit;

/// <summary>What a security event is about.</summary>
/// <param name="Kind">user, organisation, api-key, device, case, calendar, configuration, import, export…</param>
/// <param name="ScopeCode">The region it belongs to (empty: the whole installation).</param>
public sealed record SecuritySubject(string Kind, string? Id, string? Name, string ScopeCode)
{
    public static SecuritySubject User(UserAccount user) => new("user", user.Id.ToString(), user.UserName, user.ScopeCode);
}

/// <summary>
/// Records security events. <see cref="Record"/> adds the entry to the caller's context, so it is written in the same
/// transaction as the change it describes (the chain is sealed by <see cref="SecurityChainHook"/> as part of that save);
/// call <c>SaveChangesAsync</c> as usual, or right away for an event with no other change (a failed sign-in).
/// The actor and the client address are read from the current request; outside one the actor is <c>system</c> unless
/// given (operator commands pass <c>operator</c>).
/// </summary>
public sealed class SecurityAudit(IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>
    /// True once this request's handler recorded an event itself (with names, in its own transaction): the endpoint's
    /// <see cref="SecurityEventFilter"/> then adds no second, generic one for a successful call.
    /// </summary>
    public bool Recorded { get; private set; }

    public SecurityEvent Record(CivicGridDbContext db, SecurityEventKind kind, SecuritySubject? subject, string detail,
        SecurityOutcome outcome = SecurityOutcome.Success, string? actorName = null, Guid? actorId = null)
    {
        var context = http.HttpContext;
        var principal = context?.User;
        var signedIn = principal?.Identity?.IsAuthenticated == true;
        var entry = new SecurityEvent(time.GetUtcNow(), kind, outcome,
            actorId ?? (signedIn ? principal!.GetUserId() : null),
            actorName ?? (signedIn ? principal!.Identity!.Name ?? "?" : context is null ? "system" : "anonymous"),
            subject?.Kind, subject?.Id, subject?.Name,
            subject?.ScopeCode ?? (signedIn ? principal!.GetScope().Code : string.Empty),
            context?.Connection.RemoteIpAddress?.ToString(), detail);
        db.Set<SecurityEvent>().Add(entry);
        Recorded = true;
        return entry;
    }
}

/// <summary>
/// Seals the security events of a save into the chain: locks the chain's head row (so appends from every request and
/// instance queue), numbers the new entries after it, hashes each onto the one before and moves the head, all in the
/// save's transaction (one is opened for the save when the caller has none). Also turns every personal-data reveal
/// written by the save into a security event, so the audit administrator reads them in one trail.
/// </summary>
internal sealed class SecurityChainHook : ISaveHook
{
    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        foreach (var reveal in db.ChangeTracker.Entries<PersonalDataReveal>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList())
        {
            var revealed = reveal.Outcome == PersonalDataReveal.Revealed;
            db.Set<SecurityEvent>().Add(new SecurityEvent(reveal.At,
                revealed ? SecurityEventKind.PersonalDataRevealed : SecurityEventKind.PersonalDataRefused,
                revealed ? SecurityOutcome.Success : SecurityOutcome.Refused, reveal.UserId, reveal.UserName, "case", reveal.CaseNumber, null,
                reveal.GridCode, reveal.ClientIp, $"个人信息字段：{(reveal.Fields.Length == 0 ? "无" : reveal.Fields)}；理由：{reveal.Reason ?? "未填写"}"));
        }

        var pending = db.ChangeTracker.Entries<SecurityEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        IDbContextTransaction? own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var head = db.Set<SecurityAuditHead>().Where(h => h.Id == SecurityAuditStorage.HeadId);
            // A write first: it takes the row lock on PostgreSQL and the write lock on SQLite before the head is read.
            await head.ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, h => h.LastSequence), ct);
            var (sequence, hash) = await head.AsNoTracking().Select(h => new ValueTuple<long, string>(h.LastSequence, h.LastHash)).SingleAsync(ct);
            foreach (var entry in pending)
            {
                entry.Seal(++sequence, hash);
                hash = entry.Hash;
            }

            await head.ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, sequence).SetProperty(h => h.LastHash, hash), ct);
        }
        catch
        {
            own?.Dispose();
            throw;
        }

        if (own is null)
        {
            return null;
        }

        return written =>
        {
            using (own)
            {
                if (written)
                {
                    own.Commit();
                }
                else
                {
                    own.Rollback();
                }
            }
        };
    }
}
