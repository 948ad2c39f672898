using System.Data;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Audit;

/// <param name="CaseNumber">The case whose timeline is broken.</param>
/// <param name="BrokenAtSequence">The first entry that does not match the chain (a changed, removed or inserted entry).</param>
public sealed record BrokenTimeline(string CaseNumber, int BrokenAtSequence);

public sealed record TimelineAuditReport(int CasesChecked, int EntriesChecked, IReadOnlyList<BrokenTimeline> Broken)
{
    public bool IsIntact => Broken.Count == 0;
}

/// <summary>
/// Re-computes the hash chain of every case's timeline from the stored rows, so that an entry
/// changed, deleted or inserted behind the application's back is found (the operator command
/// <c>audit verify</c>). Reads all cases whatever the scope, in pages (each in one snapshot), without tracking.
/// </summary>
public sealed class TimelineAudit(CivicGridDbContext db)
{
    private const int PageSize = 500;

    public async Task<TimelineAuditReport> VerifyAsync(CancellationToken ct)
    {
        var broken = new List<BrokenTimeline>();
        int cases = 0, entries = 0;
        string? after = null;
        while (true)
        {
            // Keyset paging on the unique case number: stable whatever is added meanwhile.
            var query = db.Cases.IgnoreQueryFilters().AsNoTracking();
            if (after is not null)
            {
                query = query.Where(c => string.Compare(c.Number, after) > 0);
            }

            query = query.OrderBy(c => c.Number);

            // A case and its timeline are read by separate statements (split query). On a live database a case may
            // change between them; read each page in one snapshot so that such a case is not reported as broken.
            List<Domain.Cases.Case> page;
            await using (var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct))
            {
                page = await query.Take(PageSize).ToListAsync(ct);
                await snapshot.CommitAsync(ct);
            }

            if (page.Count == 0)
            {
                break;
            }

            foreach (var c in page)
            {
                cases++;
                entries += c.Timeline.Count;
                if (c.VerifyTimeline() is { } sequence)
                {
                    broken.Add(new BrokenTimeline(c.Number, sequence));
                }
            }

            after = page[^1].Number;
        }

        return new TimelineAuditReport(cases, entries, broken);
    }
}
