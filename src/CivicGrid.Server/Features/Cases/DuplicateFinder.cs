using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial;
using Microsoft.EntityFrameworkCore;
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
/// (<see cref="CaseLocationColumns"/>; the same on SQLite, where geometry is WKB, and on PostgreSQL), then the exact
/// great-circle distance in memory.
/// </remarks>
public sealed class DuplicateFinder(IOptions<DuplicateOptions> options)
{
    public const int MaxCandidates = 5;

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

        // Categories are not scoped. One round trip for the related codes and their names; an unknown code still
        // matches cases of exactly that code.
        var names = await db.CaseCategories.AsNoTracking()
            .Where(c => c.MajorCode == db.CaseCategories.Where(x => x.Code == categoryCode).Select(x => x.MajorCode).FirstOrDefault())
            .ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var related = names.Count == 0 ? [categoryCode] : names.Keys.ToList();

        // Deliberately across scopes: see the remarks. Only the columns of public facts are read.
        var rows = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.ReportedAt >= since && c.ReportedAt <= until)
            .Where(c => EF.Property<double?>(c, CaseLocationColumns.Lat) >= minLat && EF.Property<double?>(c, CaseLocationColumns.Lat) <= maxLat)
            .Where(c => EF.Property<double?>(c, CaseLocationColumns.Lon) >= minLon && EF.Property<double?>(c, CaseLocationColumns.Lon) <= maxLon)
            .Where(c => !FinalStatuses.Contains(c.Status))
            .Where(c => related.Contains(c.CategoryCode))
            .Select(c => new
            {
                c.Number,
                c.CategoryCode,
                c.Status,
                c.ReportedAt,
                Lon = EF.Property<double?>(c, CaseLocationColumns.Lon),
                Lat = EF.Property<double?>(c, CaseLocationColumns.Lat),
            })
            .ToListAsync(ct);

        var near = rows
            .Select(r => (Row: r, Distance: Geodesy.DistanceMeters(lon, lat, r.Lon!.Value, r.Lat!.Value)))
            .Where(x => x.Distance <= radius)
            .OrderBy(x => x.Distance).ThenByDescending(x => x.Row.ReportedAt)
            .Take(MaxCandidates)
            .ToList();
        return [.. near.Select(x => new DuplicateCandidate(x.Row.Number, names.GetValueOrDefault(x.Row.CategoryCode, x.Row.CategoryCode),
            x.Row.Status.ToChinese(), (int)Math.Round(x.Distance), x.Row.ReportedAt))];
    }
}
