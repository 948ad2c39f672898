using System.Data.Common;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>
/// What the per-request session check reads: the session's limits, its account's flag, roles and scope as stored now,
/// and its trusted device's limits.
/// </summary>
/// <param name="DeviceId">The trusted phone the session lives on, or null for a password session.</param>
/// <param name="DeviceFound">False when the session names a device that no longer exists.</param>
/// <param name="Roles">The account's roles now: they, not the ones in the cookie or token, decide what the request may do.</param>
/// <param name="ScopeCode">The account's scope now.</param>
internal sealed record SessionState(DateTimeOffset? EndedAt, DateTimeOffset ExpiresAt, DateTimeOffset LastSeenAt, bool MustChangePassword, Guid? DeviceId,
    bool DeviceFound, DateTimeOffset? DeviceRevokedAt, DateTimeOffset DeviceExpiresAt, DateTimeOffset DeviceLastSeenAt, IReadOnlyList<Role> Roles,
    string ScopeCode);

/// <summary>
/// The session check's one read, as a single prepared command on a pooled connection of its own instead of a LINQ query
/// on the request's context: every authenticated request pays for it, and EF's query pipeline (parameter extraction,
/// cache lookup, tracking) and even building a context for a request that needs none (a phone's track batch) cost
/// several times the database's own work (bench/README, patrols). Table and column names, parameter binding and value
/// conversion (SQLite's Unix-millisecond time stamps, Guids as text), the connection string and the connection's
/// settings (<see cref="IConnectionSettings"/>) all come from the application's EF context, read once, so the command
/// cannot drift from the schema or open a different database. There is no cache: every request reads the row, so a
/// session revoked on one server instance is refused at once by every other. Writes stay with EF.
/// </summary>
public sealed class SessionProbe(IServiceScopeFactory scopes)
{
    private Compiled? _compiled;

    /// <summary>The session's state, or null when there is no such session of this user or the account is deactivated.</summary>
    internal async Task<SessionState?> ReadAsync(Guid sessionId, Guid userId, CancellationToken ct)
    {
        var compiled = _compiled ??= CompileOnce();
        await using var connection = compiled.Factory.CreateConnection()!;
        connection.ConnectionString = compiled.ConnectionString;
        await connection.OpenAsync(ct);
        foreach (var settings in compiled.Settings)
        {
            await settings.ApplyAsync(connection, ct);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = compiled.Sql;
        command.Parameters.Add(compiled.SessionId.CreateParameter(command, "@session", sessionId, nullable: false));
        command.Parameters.Add(compiled.UserId.CreateParameter(command, "@user", userId, nullable: false));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var deviceId = compiled.Read<Guid?>(reader, 4);
        var deviceFound = compiled.Read<Guid?>(reader, 5) is not null;
        return new SessionState(compiled.Read<DateTimeOffset?>(reader, 0), compiled.Read<DateTimeOffset>(reader, 1), compiled.Read<DateTimeOffset>(reader, 2),
            compiled.Read<bool>(reader, 3), deviceId, deviceFound, compiled.Read<DateTimeOffset?>(reader, 6), compiled.Read<DateTimeOffset>(reader, 7),
            compiled.Read<DateTimeOffset>(reader, 8), compiled.Read<List<Role>>(reader, 9) ?? [], compiled.Read<string>(reader, 10) ?? string.Empty);
    }

    /// <summary>The first request's work: a context of the application, only to read its model and connection (racing callers build equal copies).</summary>
    private Compiled CompileOnce()
    {
        using var scope = scopes.CreateScope();
        return new Compiled(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>());
    }

    /// <summary>Everything the read needs from the application's EF context, worked out once.</summary>
    private sealed class Compiled
    {
        public Compiled(CivicGridDbContext db)
        {
            var model = db.Model;
            var session = model.FindEntityType(typeof(UserSession))!;
            var user = model.FindEntityType(typeof(UserAccount))!;
            var device = model.FindEntityType(typeof(TrustedDevice))!;
            string Table(IEntityType e) => Quote(e.GetTableName()!);
            IProperty P(IEntityType e, string name) => e.FindProperty(name)!;
            string C(string alias, IEntityType e, string name) =>
                $"{alias}.{Quote(P(e, name).GetColumnName(StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema()))!)}";

            (string Sql, IProperty Property)[] columns =
            [
                (C("s", session, nameof(UserSession.EndedAt)), P(session, nameof(UserSession.EndedAt))),
                (C("s", session, nameof(UserSession.ExpiresAt)), P(session, nameof(UserSession.ExpiresAt))),
                (C("s", session, nameof(UserSession.LastSeenAt)), P(session, nameof(UserSession.LastSeenAt))),
                (C("u", user, nameof(UserAccount.MustChangePassword)), P(user, nameof(UserAccount.MustChangePassword))),
                (C("s", session, nameof(UserSession.TrustedDeviceId)), P(session, nameof(UserSession.TrustedDeviceId))),
                (C("d", device, nameof(TrustedDevice.Id)), P(device, nameof(TrustedDevice.Id))),
                (C("d", device, nameof(TrustedDevice.RevokedAt)), P(device, nameof(TrustedDevice.RevokedAt))),
                (C("d", device, nameof(TrustedDevice.ExpiresAt)), P(device, nameof(TrustedDevice.ExpiresAt))),
                (C("d", device, nameof(TrustedDevice.LastSeenAt)), P(device, nameof(TrustedDevice.LastSeenAt))),
                (C("u", user, nameof(UserAccount.Roles)), P(user, nameof(UserAccount.Roles))),
                (C("u", user, nameof(UserAccount.ScopeCode)), P(user, nameof(UserAccount.ScopeCode))),
            ];
            _columns = [.. columns.Select(c => (RelationalTypeMapping)c.Property.GetTypeMapping())];
            SessionId = (RelationalTypeMapping)P(session, nameof(UserSession.Id)).GetTypeMapping();
            UserId = (RelationalTypeMapping)P(session, nameof(UserSession.UserId)).GetTypeMapping();
            Sql = $"SELECT {string.Join(", ", columns.Select(c => c.Sql))} FROM {Table(session)} AS s "
                + $"INNER JOIN {Table(user)} AS u ON {C("u", user, nameof(UserAccount.Id))} = {C("s", session, nameof(UserSession.UserId))} "
                + $"LEFT JOIN {Table(device)} AS d ON {C("d", device, nameof(TrustedDevice.Id))} = {C("s", session, nameof(UserSession.TrustedDeviceId))} "
                + $"WHERE {C("s", session, nameof(UserSession.Id))} = @session AND {C("s", session, nameof(UserSession.UserId))} = @user "
                + $"AND {C("u", user, nameof(UserAccount.IsActive))}";

            // The same database, through the same provider's pool, with the same per-connection settings as the context.
            Factory = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!;
            ConnectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The session check needs the database's connection string.");
            Settings = [.. db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<IConnectionSettings>() ?? []];
        }

        private readonly IReadOnlyList<RelationalTypeMapping> _columns;

        public string Sql { get; }

        public RelationalTypeMapping SessionId { get; }

        public RelationalTypeMapping UserId { get; }

        public DbProviderFactory Factory { get; }

        public string ConnectionString { get; }

        public IReadOnlyList<IConnectionSettings> Settings { get; }

        public T Read<T>(DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return default!;
            }

            var mapping = _columns[ordinal];
            var underlying = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
            if (mapping.Converter is { } converter)
            {
                return (T)converter.ConvertFromProvider(reader.GetValue(ordinal))!;
            }

            return (T)(underlying == typeof(Guid) ? reader.GetFieldValue<Guid>(ordinal)
                : underlying == typeof(DateTimeOffset) ? reader.GetFieldValue<DateTimeOffset>(ordinal)
                : underlying == typeof(bool) ? reader.GetFieldValue<bool>(ordinal)
                : reader.GetValue(ordinal));
        }

        private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
