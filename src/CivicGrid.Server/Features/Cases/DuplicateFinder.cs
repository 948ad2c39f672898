using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Cases;

/// <summary>The <c>Duplicates</c> section: what counts as "the same problem, already reported nearby".</summary>
public sealed class DuplicateOptions
{
    public const string Section = "Duplicates";

    /// <summary>How far from the new report an open case may lie, metres.</summary>
    [Range(1, 2_000)]
    public double RadiusMeters { get; set; } = 100;

    /// <summary>How long before the new report an open case may have been reported.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// An open case that may be the same problem as a new report. Public facts only: no names, phones, descriptions,
/// staff or grid — a resident sees it before reporting, anonymously.
/// </summary>
/// <param name="CategoryName">The subcategory's Chinese name.</param>
/// <param name="Status">Where it stands, in plain Chinese (已立案, 处置中…).</param>
/// <param name="DistanceMeters">From the new report, rounded to the metre.</param>
public sealed record DuplicateCandidate(string Number, string CategoryName, string Status, int DistanceMeters, DateTimeOffset ReportedAt);

/// <summary>
/// Finds open cases of the same or a related category (same major category) within <see cref="DuplicateOptions.RadiusMeters"/>
/// and reported within <see cref="DuplicateOptions.Window"/> before the new report: nearest first, at most
/// <see cref="MaxCandidates"/>. Used by the anonymous "already reported nearby — follow it?" endpoint and by intake.
/// </summary>
/// <remarks>
/// A reporter sees across scopes (an anonymous one has no scope at all), so the search ignores the scope filter
/// explicitly and answers only public facts. Spatially it is a bounding box of lon/lat columns in SQL
/// (<see cref="CaseLocationColumns"/>; the same on SQLite, where geometry is WKB, and on PostgreSQL) on an index led by
/// the category, so a search reads the related categories' cases in a band of latitude and never all recent cases;
/// then the exact great-circle distance in memory.
/// </remarks>
public sealed class DuplicateFinder(IOptions<DuplicateOptions> options, Catalogue.CategoryCache categories)
{
    public const int MaxCandidates = 5;

    /// <summary>
    /// The most recent open cases read from the box. A hotspot (an alarm storm, a street everyone reports) must not make
    /// every report read hundreds of rows; the nearest five among the latest hundred in 100 m are as good a suggestion.
    /// </summary>
    public const int MaxRowsRead = 100;

    /// <summary>Slack on the box so that the sphere's metres per degree never cut off a case the exact distance keeps.</summary>
    private const double BoxMargin = 1.02;

    private static readonly CaseStatus[] FinalStatuses = [CaseStatus.Rejected, CaseStatus.Closed, CaseStatus.Merged];

    public DuplicateOptions Options => options.Value;

    /// <param name="wgs84">Where the new report is, WGS-84 lon/lat.</param>
    /// <param name="categoryCode">The new report's subcategory; cases of any subcategory of its major category count.</param>
    /// <param name="at">When the new report is made.</param>
    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(CivicGridDbContext db, Point wgs84, string categoryCode, DateTimeOffset at,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(wgs84);
        var (lon, lat) = (wgs84.X, wgs84.Y);
        var radius = Options.RadiusMeters;
        var metresPerDegree = Math.PI / 180 * Geodesy.MeanEarthRadiusMeters;
        var dLat = radius / metresPerDegree * BoxMargin;
        var dLon = radius / (metresPerDegree * Math.Max(Math.Cos(lat * Math.PI / 180), 0.01)) * BoxMargin;
        var (minLat, maxLat, minLon, maxLon) = (lat - dLat, lat + dLat, lon - dLon, lon + dLon);
        var until = at.ToUniversalTime();
        var since = until - Options.Window;

        // Categories are not scoped; the catalogue is cached. An unknown code still matches cases of exactly that code.
        var catalogue = await categories.GetAllAsync(ct);
        var names = catalogue.TryGetValue(categoryCode, out var category)
            ? catalogue.Values.Where(c => c.MajorCode == category.MajorCode).ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var related = names.Count == 0 ? [categoryCode] : names.Keys.ToList();

        // Deliberately across scopes: see the remarks. Only the columns of public facts are read.
        var rows = await BoxQuery.For(db.Model).ReadAsync(db, since, until, (minLat, maxLat, minLon, maxLon), related, ct);
        var near = rows
            .Select(r => (Row: r, Distance: Geodesy.DistanceMeters(lon, lat, r.Lon, r.Lat)))
            .Where(x => x.Distance <= radius)
            .OrderBy(x => x.Distance).ThenByDescending(x => x.Row.ReportedAt)
            .Take(MaxCandidates)
            .ToList();
        return [.. near.Select(x => new DuplicateCandidate(x.Row.Number, names.GetValueOrDefault(x.Row.CategoryCode, x.Row.CategoryCode),
            x.Row.Status.ToChinese(), (int)Math.Round(x.Distance), x.Row.ReportedAt))];
    }

    private sealed record BoxRow(string Number, string CategoryCode, CaseStatus Status, DateTimeOffset ReportedAt, double Lon, double Lat);

    /// <summary>
    /// The box search as one fixed SQL statement per number of related categories, read with plain ADO.NET. It runs on
    /// every report; through LINQ each run paid for funcletizing, a compiled parameter extractor and SQL generation for
    /// the category list, several times the cost of the index search itself. Table, column names and value conversions
    /// come from the EF model, so the statement is the same on SQLite and PostgreSQL and follows the mapping.
    /// </summary>
    private sealed class BoxQuery
    {
        private static readonly ConditionalWeakTable<IModel, BoxQuery> PerModel = [];

        private readonly string[] _sqlByCount = new string[32];
        private readonly string _select;
        private readonly ValueConverter? _reportedAt;
        private readonly ValueConverter? _status;

        private BoxQuery(IModel model)
        {
            var entity = model.FindEntityType(typeof(Case)) ?? throw new InvalidOperationException("Case is not in the model.");
            string Column(string property) => $"\"{(entity.FindProperty(property) ?? throw new InvalidOperationException(property)).GetColumnName()}\"";
            _reportedAt = entity.FindProperty(nameof(Case.ReportedAt))!.GetTypeMapping().Converter;
            _status = entity.FindProperty(nameof(Case.Status))!.GetTypeMapping().Converter;
            var finals = string.Join(", ", FinalStatuses.Select(s => Convert.ToString(_status is null ? (int)s : _status.ConvertToProvider(s), CultureInfo.InvariantCulture)));
            var (lat, lon, reported) = (Column(CaseLocationColumns.Lat), Column(CaseLocationColumns.Lon), Column(nameof(Case.ReportedAt)));
            _select = $"SELECT {Column(nameof(Case.Number))}, {Column(nameof(Case.CategoryCode))}, {Column(nameof(Case.Status))}, {reported}, {lon}, {lat} "
                + $"FROM \"{entity.GetTableName()}\" WHERE {reported} >= @since AND {reported} <= @until "
                + $"AND {lat} >= @minLat AND {lat} <= @maxLat AND {lon} >= @minLon AND {lon} <= @maxLon "
                + $"AND {Column(nameof(Case.Status))} NOT IN ({finals}) AND {Column(nameof(Case.CategoryCode))} IN ({{0}}) "
                + $"ORDER BY {reported} DESC LIMIT {MaxRowsRead}";
        }

        public static BoxQuery For(IModel model) => PerModel.GetValue(model, m => new BoxQuery(m));

        public async Task<List<BoxRow>> ReadAsync(CivicGridDbContext db, DateTimeOffset since, DateTimeOffset until,
            (double MinLat, double MaxLat, double MinLon, double MaxLon) box, List<string> related, CancellationToken ct)
        {
            var rows = new List<BoxRow>();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                command.CommandText = Sql(related.Count);
                Add(command, "since", _reportedAt is null ? since : _reportedAt.ConvertToProvider(since));
                Add(command, "until", _reportedAt is null ? until : _reportedAt.ConvertToProvider(until));
                Add(command, "minLat", box.MinLat);
                Add(command, "maxLat", box.MaxLat);
                Add(command, "minLon", box.MinLon);
                Add(command, "maxLon", box.MaxLon);
                for (var i = 0; i < related.Count; i++)
                {
                    Add(command, $"c{i}", related[i]);
                }

                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(new BoxRow(reader.GetString(0), reader.GetString(1), FromProvider<CaseStatus>(_status, reader, 2),
                        FromProvider<DateTimeOffset>(_reportedAt, reader, 3), reader.GetDouble(4), reader.GetDouble(5)));
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return rows;
        }

        private string Sql(int count)
        {
            if (count < _sqlByCount.Length && _sqlByCount[count] is { } cached)
            {
                return cached;
            }

            var sql = string.Format(CultureInfo.InvariantCulture, _select, string.Join(", ", Enumerable.Range(0, count).Select(i => $"@c{i}")));
            if (count < _sqlByCount.Length)
            {
                _sqlByCount[count] = sql;
            }

            return sql;
        }

        private static void Add(DbCommand command, string name, object? value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        private static T FromProvider<T>(ValueConverter? converter, DbDataReader reader, int ordinal) =>
            converter is null
                ? reader.GetFieldValue<T>(ordinal)
                : (T)converter.ConvertFromProvider(Convert.ChangeType(reader.GetValue(ordinal), converter.ProviderClrType, CultureInfo.InvariantCulture))!;
    }
}
