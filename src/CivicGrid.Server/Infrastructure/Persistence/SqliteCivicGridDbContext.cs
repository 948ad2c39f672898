using System.Data.Common;
using System.Runtime.CompilerServices;
using CivicGrid.Domain.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// The embedded default. Geometry is stored as WKB blobs and all spatial work happens in-process
/// with NetTopologySuite, so a fresh machine needs no native SpatiaLite. Time stamps are stored as
/// Unix milliseconds (UTC) so that SQLite can compare and order them.
/// </summary>
public sealed class SqliteCivicGridDbContext(DbContextOptions<SqliteCivicGridDbContext> options, IScopeAccessor scopeAccessor)
    : CivicGridDbContext(options, scopeAccessor)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<Geometry>().HaveConversion<WkbConverter<Geometry>, GeometryComparer<Geometry>>();
        configurationBuilder.Properties<Point>().HaveConversion<WkbConverter<Point>, GeometryComparer<Point>>();
        configurationBuilder.Properties<Polygon>().HaveConversion<WkbConverter<Polygon>, GeometryComparer<Polygon>>();
        configurationBuilder.Properties<MultiPolygon>().HaveConversion<WkbConverter<MultiPolygon>, GeometryComparer<MultiPolygon>>();
        configurationBuilder.Properties<LineString>().HaveConversion<WkbConverter<LineString>, GeometryComparer<LineString>>();
    }

    internal override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>Builds SQLite options for a database file; shared by the host and the design-time factory.</summary>
    /// <param name="backgroundCheckpoints">True when <see cref="SqliteCheckpointer"/> runs: connections then leave checkpoints to it.</param>
    /// <param name="cacheMegabytes">Page cache per connection (<see cref="DatabaseOptions.SqliteCacheMegabytes"/>).</param>
    public static void Configure(DbContextOptionsBuilder builder, string connectionString, TimeSpan busyTimeout, bool backgroundCheckpoints = false,
        int cacheMegabytes = DatabaseOptions.DefaultSqliteCacheMegabytes) =>
        builder.UseSqlite(connectionString, o => o
                .MigrationsAssembly(typeof(SqliteCivicGridDbContext).Assembly.GetName().Name)
                // A case owns its timeline, mediations and meeting decisions: one query per collection, not their product.
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .AddInterceptors(new SqlitePragmas(busyTimeout, backgroundCheckpoints, cacheMegabytes))
            .ReplaceService<IModelCacheKeyFactory, SealedColumns.ModelCacheKeyFactory>();

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));

    /// <summary>
    /// Time stamps to the microsecond, for columns whose values must come back exactly (hash-chained timeline entries):
    /// an entity configuration applies it on SQLite.
    /// </summary>
    public sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => (v.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
        v => new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (v * 10), TimeSpan.Zero));

    private sealed class WkbConverter<TGeometry>() : ValueConverter<TGeometry, byte[]>(
        g => Wkb.Write(g),
        b => (TGeometry)Wkb.Read(b))
        where TGeometry : Geometry;

    private sealed class GeometryComparer<TGeometry>() : ValueComparer<TGeometry>(
        (a, b) => a == null ? b == null : b != null && a.EqualsExact(b),
        g => g.GetHashCode(),
        g => (TGeometry)g.Copy())
        where TGeometry : Geometry;

    private static class Wkb
    {
        private static readonly WKBWriter Writer = new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);
        private static readonly WKBReader Reader = new(NetTopologySuite.NtsGeometryServices.Instance);

        public static byte[] Write(Geometry geometry) => Writer.Write(geometry);

        public static Geometry Read(byte[] bytes)
        {
            var geometry = Reader.Read(bytes);
            geometry.SRID = 4326;
            return geometry;
        }
    }
}

/// <summary>
/// Per-connection SQLite settings. WAL lets readers run beside the writer; <c>synchronous=FULL</c>
/// makes every committed case survive a power cut; the busy timeout makes writers queue instead of failing.
/// <c>case_sensitive_like</c> makes LIKE case-sensitive, as it is on PostgreSQL, which lets SQLite answer a code prefix
/// (<c>StartsWith</c>: every scope test) with a range of an index instead of reading every row of the table.
/// </summary>
/// <remarks>
/// The settings belong to the native connection, which the pool keeps open across many logical opens; they are
/// applied once per native connection rather than as four more statements before every query.
/// </remarks>
public sealed class SqlitePragmas(TimeSpan busyTimeout, bool backgroundCheckpoints = false,
    int cacheMegabytes = DatabaseOptions.DefaultSqliteCacheMegabytes) : DbConnectionInterceptor, IConnectionSettings
{
    /// <summary>
    /// With background checkpoints a connection still checkpoints by itself past this many WAL pages (about 40 MB), so
    /// the log stays bounded if the background task ever stops; normally it never gets there.
    /// </summary>
    public const int FallbackAutoCheckpointPages = 10_000;

    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = [];

    private readonly string _sql =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON; PRAGMA cache_size=-{cacheMegabytes * 1024}; PRAGMA busy_timeout={(int)busyTimeout.TotalMilliseconds};"
        + (backgroundCheckpoints ? $" PRAGMA wal_autocheckpoint={FallbackAutoCheckpointPages};" : string.Empty);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsSettings(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
        MarkConfigured(connection);
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);

    public async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!NeedsSettings(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        MarkConfigured(connection);
    }

    private static bool NeedsSettings(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !Configured.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Configured.AddOrUpdate(handle, Configured);
        }
    }
}

/// <summary>Lets <c>dotnet ef migrations add --context SqliteCivicGridDbContext</c> build the model without a host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCivicGridDbContext>
{
    public SqliteCivicGridDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteCivicGridDbContext>();
        SqliteCivicGridDbContext.Configure(builder, "Data Source=design-time.db", TimeSpan.FromSeconds(5));
        return new SqliteCivicGridDbContext(builder.Options, FixedScopeAccessor.System);
    }
}
