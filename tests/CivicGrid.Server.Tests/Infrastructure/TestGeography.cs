using System.Text.Json;
using CivicGrid.Spatial.CoordinateSystems;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>
/// Small grid trees for import tests, placed north of the demo district so they never touch it:
/// a district, its subdistrict and community (one 2 km × 1 km rectangle), split into a west and an
/// east 2nd-level grid along a north–south border. Built in WGS-84 and written in any system.
/// </summary>
public sealed class TestGeography
{
    public const double WidthDegrees = 0.02;
    public const double HeightDegrees = 0.01;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(Factory) } };

    public TestGeography(string countyCode, int slot)
    {
        County = countyCode;
        West = 108.60 + (slot * 0.05);
        South = 34.40;
    }

    public string County { get; }

    public string Subdistrict => County + "001";

    public string Community => Subdistrict + "001";

    public string WestGrid => Community + "01";

    public string EastGrid => Community + "02";

    public double West { get; }

    public double South { get; }

    /// <summary>Longitude of the border between the west and east grids (WGS-84).</summary>
    public double BorderLon => West + (WidthDegrees / 2);

    public double MidLat => South + (HeightDegrees / 2);

    public List<IFeature> Features(double borderShiftDegrees = 0, double westShrink = 0)
    {
        var whole = Box(West, South, West + WidthDegrees, South + HeightDegrees);
        var border = BorderLon + borderShiftDegrees;
        return
        [
            Feature(whole, County, "测试区", "district", null),
            Feature(whole, Subdistrict, "测试街道", "subdistrict", County),
            Feature(whole, Community, "测试社区", "community", Subdistrict),
            Feature(Box(West, South, border - westShrink, South + HeightDegrees), WestGrid, "测试社区第一网格", "grid-2", Community),
            Feature(Box(border, South, West + WidthDegrees, South + HeightDegrees), EastGrid, "测试社区第二网格", "grid-2", Community),
        ];
    }

    /// <summary>
    /// The same five grids with the district, the subdistrict and their children's parent codes written as the National Bureau
    /// of Statistics publishes them (12 digits: the county + 000000, the subdistrict + 000).
    /// </summary>
    public List<IFeature> PublishedFeatures()
    {
        var features = Features();
        foreach (var attributes in features.Select(f => f.Attributes))
        {
            foreach (var name in new[] { "code", "parentCode" })
            {
                if (attributes.Exists(name) && attributes[name] is string code && (code == County || code == Subdistrict))
                {
                    attributes[name] = code.PadRight(12, '0');
                }
            }
        }

        return features;
    }

    /// <summary>The features as a GeoJSON FeatureCollection with coordinates in <paramref name="crs"/>.</summary>
    public static string ToGeoJson(IEnumerable<IFeature> features, CoordinateSystem crs)
    {
        var collection = new FeatureCollection();
        foreach (var feature in features)
        {
            collection.Add(new Feature(ChinaCoordinates.FromWgs84(feature.Geometry, crs), feature.Attributes));
        }

        return JsonSerializer.Serialize(collection, GeoJson);
    }

    public static Polygon Box(double minLon, double minLat, double maxLon, double maxLat) => Factory.CreatePolygon(
        [new(minLon, minLat), new(maxLon, minLat), new(maxLon, maxLat), new(minLon, maxLat), new(minLon, minLat)]);

    public static IFeature Feature(Geometry geometry, string code, string name, string level, string? parentCode, string? kind = null)
    {
        var attributes = new AttributesTable { { "code", code }, { "name", name }, { "level", level } };
        if (parentCode is not null)
        {
            attributes.Add("parentCode", parentCode);
        }

        if (kind is not null)
        {
            attributes.Add("kind", kind);
        }

        return new Feature(geometry, attributes);
    }
}
