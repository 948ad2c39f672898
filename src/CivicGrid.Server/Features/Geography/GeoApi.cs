using System.Globalization;
using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CivicGrid.Server.Features.Geography;

/// <summary>A GeoJSON FeatureCollection (RFC 7946) of grids, WGS-84 lon/lat.</summary>
public sealed record GridFeatureCollection(string Type, IReadOnlyList<GridFeature> Features);

/// <param name="Geometry">GeoJSON Polygon or MultiPolygon, WGS-84 lon/lat.</param>
public sealed record GridFeature(string Type, string Id, JsonElement Geometry, GridFeatureProperties Properties);

/// <param name="Level">district, subdistrict, community, grid-2, grid-3 or micro.</param>
/// <param name="Kind">territorial or dedicated.</param>
public sealed record GridFeatureProperties(string Code, string Name, [property: ApiValues(typeof(GridLevelNames), nameof(GridLevelNames.All))] string Level, string Kind, string? ParentCode, int? Households);

public sealed record BuildingFeatureCollection(string Type, IReadOnlyList<BuildingFeature> Features);

/// <param name="Coordinates">[lon, lat], WGS-84.</param>
public sealed record PointGeometry(string Type, double[] Coordinates);

public sealed record BuildingFeature(string Type, string Id, PointGeometry Geometry, BuildingFeatureProperties Properties);

public sealed record BuildingFeatureProperties(string Code, string Name, string Address, string GridCode, string? CompoundCode, int Floors, int Households);

/// <summary>Map data: grid polygons from our own database, never tiles from the internet.</summary>
public static class GeoApi
{
    /// <summary>GeoJSON output: coordinates rounded to 7 decimals (about 1 cm), plenty for a grid edge.</summary>
    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(GeometryFactory.Default, false, null, RingOrientationOption.EnforceRfc9746) },
    };

    public static RouteGroupBuilder MapGeoApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/geo").WithTags("Geo").RequireAuthorization(Policies.Staff);
        group.MapGet("/grids", GetGrids).WithName("GetGridFeatures")
            .WithSummary("Grids of one level (or all) inside a bounding box, as GeoJSON in WGS-84, simplified for a map zoom, current or as of a date; only grids in the caller's scope.");
        group.MapGet("/buildings", GetBuildings).WithName("GetBuildingFeatures")
            .WithSummary("Buildings inside a bounding box, as GeoJSON points (main entrances) in WGS-84; only buildings in the caller's scope.");
        return group;
    }

    /// <param name="level">district, subdistrict, community, grid-2, grid-3 or micro; all levels when absent.</param>
    /// <param name="bbox">minLon,minLat,maxLon,maxLat in WGS-84 degrees; everything when absent.</param>
    /// <param name="kind">territorial or dedicated; both when absent.</param>
    /// <param name="asOf">An ISO 8601 date or time: the boundaries in force then; the current ones when absent.</param>
    /// <param name="zoom">Web map zoom 0–22: boundaries are simplified to about half a pixel at that zoom; exact when absent.</param>
    public static async Task<Results<Ok<GridFeatureCollection>, ProblemHttpResult>> GetGrids(
        [ApiValues(typeof(GridLevelNames), nameof(GridLevelNames.All))] string? level, string? bbox, string? kind, string? asOf, double? zoom, CivicGridDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        GridLevel? levelFilter = null;
        GridKind? kindFilter = null;
        Envelope? box = null;
        DateTimeOffset? at = null;
        if (!string.IsNullOrWhiteSpace(level))
        {
            if (GridLevelNames.TryParse(level, out var parsed))
            {
                levelFilter = parsed;
            }
            else
            {
                errors["level"] = [$"未知的网格层级“{level}”，可用：{string.Join("、", GridLevelNames.All)}。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (GridLevelNames.TryParseKind(kind, out var parsedKind))
            {
                kindFilter = parsedKind;
            }
            else
            {
                errors["kind"] = [$"未知的网格类型“{kind}”，可用：territorial、dedicated。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(bbox))
        {
            box = ParseBoundingBox(bbox);
            if (box is null)
            {
                errors["bbox"] = ["bbox 应为“最小经度,最小纬度,最大经度,最大纬度”（WGS-84，度），且最小值小于最大值。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(asOf))
        {
            if (DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsedAt))
            {
                // A bare date means the start of that day in Beijing time, when the people who ask work.
                at = asOf.Trim().Length == 10 ? new DateTimeOffset(parsedAt.Date, TimeSpan.FromHours(8)) : parsedAt;
            }
            else
            {
                errors["asOf"] = ["asOf 应为日期或时间，如 2026-07-01 或 2026-07-01T08:00:00+08:00。"];
            }
        }

        if (zoom is { } z && (z is < 0 or > 22 || !double.IsFinite(z)))
        {
            errors["zoom"] = ["zoom 应在 0 到 22 之间。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var current = Filter(db.Grids.AsNoTracking(), levelFilter, kindFilter, box);
        var rows = at is { } when
            ? (await current.Where(g => g.ValidFrom <= when).Select(ToRow).ToListAsync(ct))
                .Concat(await Filter(db.GridVersions.AsNoTracking(), levelFilter, kindFilter, box)
                    .Where(v => v.ValidFrom <= when && v.ValidTo > when)
                    .Select(v => new GridRow(v.Code, v.Name, v.Level, v.Kind, v.ParentCode, v.Households, v.Boundary))
                    .ToListAsync(ct))
            : await current.Select(ToRow).ToListAsync(ct);

        var grids = rows.OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        var boundaries = zoom is { } zoomLevel && zoomLevel < 18 ? Simplify(grids, zoomLevel) : grids.Select(g => g.Boundary).ToArray();
        var features = grids.Select((g, i) => new GridFeature("Feature", g.Code, JsonSerializer.SerializeToElement(Round(boundaries[i]), GeoJson),
            new GridFeatureProperties(g.Code, g.Name, g.Level.ToApiName(), g.Kind.ToApiName(), g.ParentCode, g.Households))).ToList();
        return TypedResults.Ok(new GridFeatureCollection("FeatureCollection", features));
    }

    /// <param name="bbox">minLon,minLat,maxLon,maxLat in WGS-84 degrees; required, at most 0.1° on a side.</param>
    public static async Task<Results<Ok<BuildingFeatureCollection>, ProblemHttpResult>> GetBuildings(string? bbox, CivicGridDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(bbox) || ParseBoundingBox(bbox) is not { } box || box.Width > 0.1 || box.Height > 0.1)
        {
            return Problems.Validation("bbox", "请给出 bbox“最小经度,最小纬度,最大经度,最大纬度”（WGS-84，度），每边不超过 0.1 度。");
        }

        // Buildings carry the code of the grid they lie in: take the grids whose envelope meets the box
        // (an indexed query on both providers), then their buildings, then the exact point test.
        var (minX, maxX, minY, maxY) = (box.MinX, box.MaxX, box.MinY, box.MaxY);
        var gridCodes = await db.Grids.AsNoTracking()
            .Where(g => g.MinLon <= maxX && g.MaxLon >= minX && g.MinLat <= maxY && g.MaxLat >= minY)
            .Select(g => g.Code).ToListAsync(ct);
        var rows = await db.Buildings.AsNoTracking().Where(b => gridCodes.Contains(b.GridCode))
            .Select(b => new { b.Code, b.Name, b.Address, b.GridCode, b.CompoundId, b.Floors, b.Households, b.Location })
            .ToListAsync(ct);
        var compoundIds = rows.Where(b => b.CompoundId != null).Select(b => b.CompoundId!.Value).Distinct().ToList();
        var compounds = await db.Compounds.AsNoTracking().Where(c => compoundIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        var features = rows.Where(b => box.Contains(b.Location.Coordinate)).OrderBy(b => b.Code, StringComparer.Ordinal)
            .Select(b => new BuildingFeature("Feature", b.Code, new PointGeometry("Point", [Math.Round(b.Location.X, 7), Math.Round(b.Location.Y, 7)]),
                new BuildingFeatureProperties(b.Code, b.Name, b.Address, b.GridCode, b.CompoundId is { } id ? compounds.GetValueOrDefault(id) : null, b.Floors, b.Households)))
            .ToList();
        return TypedResults.Ok(new BuildingFeatureCollection("FeatureCollection", features));
    }

    /// <summary>
    /// Simplifies to about half a pixel at the zoom. Each level and kind is simplified as a coverage,
    /// so neighbouring grids keep sharing their edges (no slivers open between them on the map).
    /// </summary>
    private static Geometry[] Simplify(List<GridRow> grids, double zoom)
    {
        var tolerance = 0.5 * 360.0 / (256 * Math.Pow(2, zoom));
        var result = new Geometry[grids.Count];
        foreach (var group in grids.Select((g, i) => (g, i)).GroupBy(x => (x.g.Level, x.g.Kind)))
        {
            var members = group.ToList();
            Geometry[] simplified;
            try
            {
                simplified = group.Key.Kind == GridKind.Territorial
                    ? NetTopologySuite.Coverage.CoverageSimplifier.Simplify([.. members.Select(m => m.g.Boundary)], tolerance)
                    : [.. members.Select(m => NetTopologySuite.Simplify.TopologyPreservingSimplifier.Simplify(m.g.Boundary, tolerance))];
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NetTopologySuite.Geometries.TopologyException)
            {
                // Invalid survey data is not a coverage; simplify grid by grid instead of failing the map.
                simplified = [.. members.Select(m => NetTopologySuite.Simplify.TopologyPreservingSimplifier.Simplify(m.g.Boundary, tolerance))];
            }

            for (var k = 0; k < members.Count; k++)
            {
                result[members[k].i] = simplified[k];
            }
        }

        return result;
    }

    private static readonly System.Linq.Expressions.Expression<Func<Grid, GridRow>> ToRow =
        g => new GridRow(g.Code, g.Name, g.Level, g.Kind, g.ParentCode, g.Households, g.Boundary);

    /// <summary>Level, kind and bounding-box filters, on current grids and past versions alike (by their kept envelopes).</summary>
    private static IQueryable<T> Filter<T>(IQueryable<T> query, GridLevel? level, GridKind? kind, Envelope? box)
        where T : class, IGridExtent
    {
        if (level is { } l)
        {
            query = query.Where(g => g.Level == l);
        }

        if (kind is { } k)
        {
            query = query.Where(g => g.Kind == k);
        }

        if (box is not null)
        {
            var (minX, maxX, minY, maxY) = (box.MinX, box.MaxX, box.MinY, box.MaxY);
            query = query.Where(g => g.MinLon <= maxX && g.MaxLon >= minX && g.MinLat <= maxY && g.MaxLat >= minY);
        }

        return query;
    }

    private sealed record GridRow(string Code, string Name, GridLevel Level, GridKind Kind, string? ParentCode, int? Households, Geometry Boundary);

    /// <summary>Parses <c>minLon,minLat,maxLon,maxLat</c>; null when malformed or out of range.</summary>
    public static Envelope? ParseBoundingBox(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            return null;
        }

        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                return null;
            }
        }

        var (minLon, minLat, maxLon, maxLat) = (values[0], values[1], values[2], values[3]);
        if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat)
        {
            return null;
        }

        return new Envelope(minLon, maxLon, minLat, maxLat);
    }

    private static Geometry Round(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.Apply(new RoundingFilter());
        return copy;
    }

    private sealed class RoundingFilter : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), 7));
            seq.SetY(i, Math.Round(seq.GetY(i), 7));
        }
    }
}
