using System.Collections.Concurrent;
using System.Data.Common;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>What the per-request session check reads: the session's limits, its account's flag and its trusted device's limits.</summary>
/// <param name="DeviceId">The trusted phone the session lives on, or null for a password session.</param>
/// <param name="DeviceFound">False when the session names a device that no longer exists.</param>
internal sealed record SessionState(DateTimeOffset? EndedAt, DateTimeOffset ExpiresAt, DateTimeOffset LastSeenAt, bool MustChangePassword, Guid? DeviceId,
    bool DeviceFound, DateTimeOffset? DeviceRevokedAt, DateTimeOffset DeviceExpiresAt, DateTimeOffset DeviceLastSeenAt);

/// <summary>
/// The session check's one read, as a single prepared command on the request's connection instead of a LINQ query:
/// every authenticated request pays for it, and EF's query pipeline (parameter extraction, cache lookup, tracking)
/// cost several times the database's own work (bench/README, patrols). Table and column names, parameter binding and
/// value conversion (SQLite's Unix-millisecond time stamps, Guids as text) all come from the EF model and its type
/// mappings, so the command cannot drift from the schema. Writes (activity, a device's sliding expiry) stay with EF.
/// </summary>
internal sealed class SessionProbe
{
    private static readonly ConcurrentDictionary<Type, SessionProbe> ByContext = new();

    private readonly string _sql;
    private readonly IReadOnlyList<RelationalTypeMapping> _columns;
    private readonly RelationalTypeMapping _sessionId;
    private readonly RelationalTypeMapping _userId;

    private SessionProbe(IModel model)
    {
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
        ];
        _columns = [.. columns.Select(c => (RelationalTypeMapping)c.Property.GetTypeMapping())];
        _sessionId = (RelationalTypeMapping)P(session, nameof(UserSession.Id)).GetTypeMapping();
        _userId = (RelationalTypeMapping)P(session, nameof(UserSession.UserId)).GetTypeMapping();
        _sql = $"SELECT {string.Join(", ", columns.Select(c => c.Sql))} FROM {Table(session)} AS s "
            + $"INNER JOIN {Table(user)} AS u ON {C("u", user, nameof(UserAccount.Id))} = {C("s", session, nameof(UserSession.UserId))} "
            + $"LEFT JOIN {Table(device)} AS d ON {C("d", device, nameof(TrustedDevice.Id))} = {C("s", session, nameof(UserSession.TrustedDeviceId))} "
            + $"WHERE {C("s", session, nameof(UserSession.Id))} = @session AND {C("s", session, nameof(UserSession.UserId))} = @user "
            + $"AND {C("u", user, nameof(UserAccount.IsActive))}";
    }

    public static SessionProbe For(CivicGridDbContext db) => ByContext.GetOrAdd(db.GetType(), _ => new SessionProbe(db.Model));

    /// <summary>The session's state, or null when there is no such session of this user or the account is deactivated.</summary>
    public async Task<SessionState?> ReadAsync(CivicGridDbContext db, Guid sessionId, Guid userId, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.Parameters.Add(_sessionId.CreateParameter(command, "@session", sessionId, nullable: false));
            command.Parameters.Add(_userId.CreateParameter(command, "@user", userId, nullable: false));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            var deviceId = Read<Guid?>(reader, 4);
            var deviceFound = Read<Guid?>(reader, 5) is not null;
            return new SessionState(Read<DateTimeOffset?>(reader, 0), Read<DateTimeOffset>(reader, 1), Read<DateTimeOffset>(reader, 2), Read<bool>(reader, 3),
                deviceId, deviceFound, Read<DateTimeOffset?>(reader, 6), Read<DateTimeOffset>(reader, 7), Read<DateTimeOffset>(reader, 8));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private T Read<T>(DbDataReader reader, int ordinal)
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
