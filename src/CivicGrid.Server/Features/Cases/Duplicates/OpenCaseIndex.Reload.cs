using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>Reading every open case from the database: on start-up and every reload interval.</summary>
public sealed partial class OpenCaseIndex
{
    /// <summary>
    /// All open cases as one fixed SQL statement read with ADO.NET (the reload reads tens of thousands of rows; the
    /// columns come from the EF model and value converters, so it is the same statement on both databases).
    /// </summary>
    private sealed class OpenCasesQuery
    {
        private static readonly ConditionalWeakTable<IModel, OpenCasesQuery> PerModel = [];

        private readonly string _sql;
        private readonly ValueConverter? _reportedAt;
        private readonly ValueConverter? _status;

        private OpenCasesQuery(IModel model)
        {
            var entity = model.FindEntityType(typeof(Case)) ?? throw new InvalidOperationException("Case is not in the model.");
            string Column(string property) => $"\"{(entity.FindProperty(property) ?? throw new InvalidOperationException(property)).GetColumnName()}\"";
            _reportedAt = entity.FindProperty(nameof(Case.ReportedAt))!.GetTypeMapping().Converter;
            _status = entity.FindProperty(nameof(Case.Status))!.GetTypeMapping().Converter;
            var finals = string.Join(", ", Enum.GetValues<CaseStatus>().Where(s => s.IsFinal())
                .Select(s => Convert.ToString(_status is null ? (int)s : _status.ConvertToProvider(s), CultureInfo.InvariantCulture)));
            _sql = $"SELECT {Column(nameof(Case.Number))}, {Column(nameof(Case.CategoryCode))}, {Column(nameof(Case.Status))}, "
                + $"{Column(nameof(Case.ReportedAt))}, {Column(CaseLocationColumns.Lon)}, {Column(CaseLocationColumns.Lat)}, {Column(nameof(Case.Version))} "
                + $"FROM \"{entity.GetTableName()}\" WHERE {Column(nameof(Case.Status))} NOT IN ({finals})";
        }

        public static OpenCasesQuery For(IModel model) => PerModel.GetValue(model, m => new OpenCasesQuery(m));

        public async Task<List<OpenCase>> ReadAsync(CivicGridDbContext db, CancellationToken ct)
        {
            var rows = new List<OpenCase>();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = _sql;
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    if (reader.IsDBNull(4) || reader.IsDBNull(5))
                    {
                        continue;
                    }

                    rows.Add(OpenCase.Stored(reader.GetString(0), reader.GetString(1), FromProvider<CaseStatus>(_status, reader, 2),
                        FromProvider<DateTimeOffset>(_reportedAt, reader, 3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt32(6)));
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return rows;
        }

        private static T FromProvider<T>(ValueConverter? converter, DbDataReader reader, int ordinal) =>
            converter is null
                ? reader.GetFieldValue<T>(ordinal)
                : (T)converter.ConvertFromProvider(Convert.ChangeType(reader.GetValue(ordinal), converter.ProviderClrType, CultureInfo.InvariantCulture))!;
    }

    /// <summary>Loads the index at start-up and reloads it every <see cref="DuplicateOptions.ReloadInterval"/>.</summary>
    internal sealed class Reloader(OpenCaseIndex index, IServiceScopeFactory scopes, IOptions<DuplicateOptions> options, TimeProvider time,
        ILogger<Reloader> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                    await index.ReloadAsync(db, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is DbException or InvalidOperationException)
                {
                    // Before migrations ran, or the database is away for a moment: the searches wait for the first load.
                    logger.LogWarning(e, "Could not load the open cases for the duplicate search; trying again shortly");
                    await Task.Delay(index.Loaded.IsCompleted ? options.Value.ReloadInterval : TimeSpan.FromSeconds(1), time, stoppingToken)
                        .ContinueWith(_ => { }, TaskScheduler.Default);
                    continue;
                }

                await Task.Delay(options.Value.ReloadInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
