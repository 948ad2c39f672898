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

namespace CivicGrid.Server.Features.Geo;

/// <summary>A GeoJSON FeatureCollection (RFC 7946) of grids, WGS-84 lon/lat.</summary>
public sealed record GridFeatureCollection(string Type, IReadOnlyList<GridFeature> Features);

/// <param name="Geometry">GeoJSON Polygon or MultiPolygon, WGS-84 lon/lat.</param>
public sealed record GridFeature(string Type, string Id, JsonElement Geometry, GridFeatureProperties Properties);

/// <param name="Level">district, subdistrict, community, grid-2, grid-3 or micro.</param>
/// <param name="Kind">territorial or dedicated.</param>
public sealed record GridFeatureProperties(string Code, string Name, string Level, string Kind, string? ParentCode, int? Households);

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
            .WithSummary("Grids of one level (or all) inside a bounding box, as GeoJSON in WGS-84; only grids in the caller's scope.");
        return group;
    }

    /// <param name="level">district, subdistrict, community, grid-2, grid-3 or micro; all levels when absent.</param>
    /// <param name="bbox">minLon,minLat,maxLon,maxLat in WGS-84 degrees; everything when absent.</param>
    /// <param name="kind">territorial or dedicated; both when absent.</param>
    public static async Task<Results<Ok<GridFeatureCollection>, ProblemHttpResult>> GetGrids(
        string? level, string? bbox, string? kind, CivicGridDbContext db, CancellationToken ct)
    {
        var query = db.Grids.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(level))
        {
            if (!GridLevelNames.TryParse(level, out var parsed))
            {
                return Problems.Validation("level", $"未知的网格层级“{level}”，可用：{string.Join("、", GridLevelNames.All)}。");
            }

            query = query.Where(g => g.Level == parsed);
        }

        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!GridLevelNames.TryParseKind(kind, out var parsedKind))
            {
                return Problems.Validation("kind", $"未知的网格类型“{kind}”，可用：territorial、dedicated。");
            }

            query = query.Where(g => g.Kind == parsedKind);
        }

        if (!string.IsNullOrWhiteSpace(bbox))
        {
            if (ParseBoundingBox(bbox) is not { } box)
            {
                return Problems.Validation("bbox", "bbox 应为“最小经度,最小纬度,最大经度,最大纬度”（WGS-84，度），且最小值小于最大值。");
            }

            query = query.Where(g => g.MinLon <= box.MaxX && g.MaxLon >= box.MinX && g.MinLat <= box.MaxY && g.MaxLat >= box.MinY);
        }

        var grids = await query.OrderBy(g => g.Code).ToListAsync(ct);
        var features = grids.Select(g => new GridFeature("Feature", g.Code, JsonSerializer.SerializeToElement(Round(g.Boundary), GeoJson),
            new GridFeatureProperties(g.Code, g.Name, g.Level.ToApiName(), g.Kind.ToApiName(), g.ParentCode, g.Households))).ToList();
        return TypedResults.Ok(new GridFeatureCollection("FeatureCollection", features));
    }

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
