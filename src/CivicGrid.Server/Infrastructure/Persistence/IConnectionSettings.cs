using System.Data.Common;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Settings a provider needs on every native connection (SQLite's pragmas). EF applies them through its connection
/// interceptor; code that opens a connection of its own beside EF (the per-request session check) applies them itself.
/// </summary>
public interface IConnectionSettings
{
    /// <summary>Applies the settings to an open connection, once per native connection.</summary>
    Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken);
}
