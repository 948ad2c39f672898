using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases.Queries;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Dashboard;

/// <summary>
/// Every case of a scope counted per grid (total since the beginning, open now), for the map, from the roll-ups: the
/// all-time and open-now rows (<see cref="RollupPeriod.All"/>, <see cref="RollupPeriod.Now"/>: one each per scope) of
/// every scope under the caller's. A scope's rows count its own cases and its descendants'; a grid's own cases are its
/// rows less its children's.
/// </summary>
public static class GridCaseTotals
{
    public static async Task<List<GridCaseCount>> ReadAsync(CivicGridDbContext db, string scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        // The scopes under this one as a key range (codes are digits: every code that extends "610103099" sorts before
        // "610103100" in any collation), which both databases read from the primary keys' ranges.
        var whole = scope.Length == 0;
        var next = whole ? string.Empty : NextCode(scope);
        var rows = await db.CaseCountRollups.AsNoTracking()
            .Where(r => (r.Period == RollupPeriod.All || r.Period == RollupPeriod.Now)
                && (whole || (string.Compare(r.ScopeCode, scope) >= 0 && string.Compare(r.ScopeCode, next) < 0)))
            .Select(r => new { r.ScopeCode, r.Period, r.Reported }).ToListAsync(ct);

        var own = new Dictionary<string, (int Total, int Open)>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            Add(own, r.ScopeCode, r.Period == RollupPeriod.All ? r.Reported : 0, r.Period == RollupPeriod.Now ? r.Reported : 0);
        }

        // Take each scope's counts away from its parent's: what stays is the parent's own cases.
        foreach (var (code, counts) in own.ToList())
        {
            if (code.Length != 0 && ParentOf(code) is { } parent && own.ContainsKey(parent))
            {
                Add(own, parent, -counts.Total, -counts.Open);
            }
        }

        return [.. own.Where(p => p.Key.Length != 0 && (p.Value.Total != 0 || p.Value.Open != 0)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new GridCaseCount(p.Key, p.Value.Total, p.Value.Open))];
    }

    private static void Add(Dictionary<string, (int Total, int Open)> into, string code, int total, int open)
    {
        var (t, o) = into.GetValueOrDefault(code);
        into[code] = (t + total, o + open);
    }

    private static string? ParentOf(string code)
    {
        try
        {
            return GridCodes.ParentCodeOf(code) ?? string.Empty;
        }
        catch (ArgumentException)
        {
            return string.Empty;
        }
    }

    /// <summary>The smallest digit string of the same length greater than every code that starts with <paramref name="code"/>.</summary>
    private static string NextCode(string code)
    {
        var digits = code.ToCharArray();
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (digits[i] < '9')
            {
                digits[i]++;
                return new string(digits, 0, i + 1);
            }
        }

        // All nines: nothing sorts after every extension but a longer run of nines' successor.
        return code + ":";
    }
}
