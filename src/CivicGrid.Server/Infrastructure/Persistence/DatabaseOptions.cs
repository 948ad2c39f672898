using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Infrastructure.Persistence;

public enum DatabaseProvider
{
    /// <summary>Embedded SQLite file in the data directory; the default.</summary>
    Sqlite,

    /// <summary>PostgreSQL 15+ with PostGIS 3, for production.</summary>
    Postgres,
}

/// <summary>The <c>Database</c> section of the configuration.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Connection string. For SQLite it may be left empty: the file <c>civicgrid.db</c> in the data
    /// directory is used. For PostgreSQL it is required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when the server starts (the <c>migrate</c> command does it on demand).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>SQLite busy timeout: how long a writer waits for a lock before failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite: how often a background task copies the write-ahead log into the database file (a passive checkpoint),
    /// so that the commit of a report never does it. Zero leaves it to SQLite (every 1,000 pages, inside a commit).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SqliteCheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// SQLite: the page cache of each open connection, in megabytes (SQLite's own default is 2). Intake inserts touch
    /// index pages all over a growing file; with the default cache each batch read many of them back from the operating
    /// system. Filled only as a connection reads, so idle pooled connections cost little.
    /// </summary>
    [Range(2, 1024)]
    public int SqliteCacheMegabytes { get; set; } = DefaultSqliteCacheMegabytes;

    /// <summary>The default of <see cref="SqliteCacheMegabytes"/>, also for contexts built without options (design time, tests).</summary>
    public const int DefaultSqliteCacheMegabytes = 16;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Database:Provider is Postgres but Database:ConnectionString is empty. Set it, e.g. Database__ConnectionString=\"Host=localhost;Database=civicgrid;Username=civicgrid;Password=...\".",
                [nameof(ConnectionString)]);
        }
    }
}
