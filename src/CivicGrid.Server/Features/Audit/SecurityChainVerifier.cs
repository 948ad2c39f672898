using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Audit;

/// <param name="EntriesChecked">Entries read.</param>
/// <param name="BrokenAtSequence">The first entry whose hash, link or position does not match; null when intact.</param>
/// <param name="Problem">What is wrong there, in English for operators; null when intact.</param>
public sealed record SecurityChainReport(long EntriesChecked, long? BrokenAtSequence, string? Problem)
{
    public bool IsIntact => BrokenAtSequence is null;
}

/// <summary>
/// Re-computes the security audit trail's hash chain from the stored rows, in order, and checks that the chain's head
/// matches its last entry (so removing the newest entries is found too). Reads everything whatever the caller's scope.
/// </summary>
public sealed class SecurityChainVerifier(CivicGridDbContext db)
{
    private const int PageSize = 2000;

    public async Task<SecurityChainReport> VerifyAsync(CancellationToken ct)
    {
        var events = db.SecurityEvents.IgnoreQueryFilters().AsNoTracking();
        long expected = 1, checkedCount = 0;
        var previous = string.Empty;
        while (true)
        {
            var from = expected;
            var page = await events.Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).Take(PageSize).ToListAsync(ct);
            foreach (var entry in page)
            {
                checkedCount++;
                if (entry.Sequence != expected)
                {
                    return new(checkedCount, expected, $"entry {expected} is missing (next stored is {entry.Sequence})");
                }

                if (entry.PreviousHash != previous)
                {
                    return new(checkedCount, entry.Sequence, "its link to the entry before does not match");
                }

                if (entry.ComputeHash() != entry.Hash)
                {
                    return new(checkedCount, entry.Sequence, "its content does not match its hash");
                }

                previous = entry.Hash;
                expected++;
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        var head = await db.Set<SecurityAuditHead>().AsNoTracking().SingleAsync(h => h.Id == SecurityAuditStorage.HeadId, ct);
        if (head.LastSequence != expected - 1 || head.LastHash != previous)
        {
            return new(checkedCount, expected - 1 < head.LastSequence ? expected : head.LastSequence,
                $"the chain's head says {head.LastSequence} entries but {expected - 1} were found in order");
        }

        return new(checkedCount, null, null);
    }
}
