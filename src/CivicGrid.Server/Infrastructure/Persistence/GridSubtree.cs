using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Rows whose grid code lies in a subtree (starts with a code), as a condition an index on the code answers. Grid codes are
/// digits, so every code of the subtree sorts in [prefix, prefix + "a") in any collation: a range the index reads, where
/// <c>StartsWith</c> alone (LIKE with a parameter) reads the whole table on SQLite. <c>StartsWith</c> stays for exactness.
/// </summary>
public static class GridSubtree
{
    /// <summary>The condition "<paramref name="code"/> lies in the subtree of <paramref name="prefix"/>" for a query.</summary>
    public static Expression<Func<T, bool>> Holds<T>(Expression<Func<T, string>> code, string prefix)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(prefix);
        var upper = prefix + "a";
        Expression<Func<string, bool>> within = c => string.Compare(c, prefix) >= 0 && string.Compare(c, upper) < 0 && c.StartsWith(prefix);
        return Expression.Lambda<Func<T, bool>>(ReplacingExpressionVisitor.Replace(within.Parameters[0], code.Body, within.Body), code.Parameters);
    }

    /// <summary>The rows whose <paramref name="code"/> lies in the subtree of <paramref name="prefix"/>; all of them when it is null.</summary>
    public static IQueryable<T> InSubtree<T>(this IQueryable<T> rows, Expression<Func<T, string>> code, string? prefix) =>
        prefix is null ? rows : rows.Where(Holds(code, prefix));
}
