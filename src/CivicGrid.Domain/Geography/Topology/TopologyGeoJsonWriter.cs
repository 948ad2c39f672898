using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// Writes a <see cref="TopologyReport"/> as an RFC 7946 FeatureCollection with <see cref="Utf8JsonWriter"/>:
/// the Domain project does not reference NetTopologySuite.IO.GeoJSON4STJ.
/// </summary>
internal static class TopologyGeoJsonWriter
{
    /// <summary>About 1 cm on the ground, RFC 7946's advice for lon/lat precision.</summary>
    private const int Decimals = 7;

    private static readonly JsonWriterOptions Options = new()
    {
        // Chinese messages stay readable in the file instead of becoming \uXXXX escapes.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Write(TopologyReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var problem in report.Problems)
            {
                if (problem.Location is not { IsEmpty: false } location)
                {
                    continue;
                }

                // The geometry carries the location, so the properties are the JSON model's without its WKT.
                var properties = TopologyReport.ToJsonProblem(problem, wkt: null);
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WritePropertyName("geometry");
                WriteGeometry(json, location);
                json.WriteStartObject("properties");
                json.WriteString("severity", properties.Severity);
                json.WriteString("kind", properties.Kind);
                if (properties.FeatureIndex is { } index)
                {
                    json.WriteNumber("featureIndex", index);
                }
                else
                {
                    json.WriteNull("featureIndex");
                }

                json.WriteString("code", properties.Code);
                json.WriteString("otherCode", properties.OtherCode);
                if (properties.AreaSquareMeters is { } area)
                {
                    json.WriteNumber("areaSquareMeters", area);
                }
                else
                {
                    json.WriteNull("areaSquareMeters");
                }

                json.WriteString("messageZh", properties.MessageZh);
                json.WriteString("messageEn", properties.MessageEn);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static void WriteGeometry(Utf8JsonWriter json, Geometry geometry)
    {
        json.WriteStartObject();
        switch (geometry)
        {
            case Point point:
                json.WriteString("type", "Point");
                json.WritePropertyName("coordinates");
                if (point.IsEmpty)
                {
                    json.WriteStartArray();
                    json.WriteEndArray();
                }
                else
                {
                    WritePosition(json, point.CoordinateSequence, 0);
                }

                break;
            case LineString line:
                json.WriteString("type", "LineString");
                json.WritePropertyName("coordinates");
                WritePositions(json, line.CoordinateSequence, reverse: false);
                break;
            case Polygon polygon:
                json.WriteString("type", "Polygon");
                json.WritePropertyName("coordinates");
                WritePolygon(json, polygon);
                break;
            case MultiPoint points:
                json.WriteString("type", "MultiPoint");
                json.WriteStartArray("coordinates");
                foreach (var point in points.Geometries.Cast<Point>().Where(p => !p.IsEmpty))
                {
                    WritePosition(json, point.CoordinateSequence, 0);
                }

                json.WriteEndArray();
                break;
            case MultiLineString lines:
                json.WriteString("type", "MultiLineString");
                json.WriteStartArray("coordinates");
                foreach (var line in lines.Geometries.Cast<LineString>())
                {
                    WritePositions(json, line.CoordinateSequence, reverse: false);
                }

                json.WriteEndArray();
                break;
            case MultiPolygon polygons:
                json.WriteString("type", "MultiPolygon");
                json.WriteStartArray("coordinates");
                foreach (var polygon in polygons.Geometries.Cast<Polygon>())
                {
                    WritePolygon(json, polygon);
                }

                json.WriteEndArray();
                break;
            case GeometryCollection collection:
                json.WriteString("type", "GeometryCollection");
                json.WriteStartArray("geometries");
                foreach (var member in collection.Geometries)
                {
                    WriteGeometry(json, member);
                }

                json.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"GeoJSON has no geometry type for {geometry.GeometryType}.");
        }

        json.WriteEndObject();
    }

    /// <summary>RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.</summary>
    private static void WritePolygon(Utf8JsonWriter json, Polygon polygon)
    {
        json.WriteStartArray();
        if (!polygon.IsEmpty)
        {
            WriteRing(json, polygon.ExteriorRing.CoordinateSequence, counterClockwise: true);
            foreach (var hole in polygon.InteriorRings)
            {
                WriteRing(json, hole.CoordinateSequence, counterClockwise: false);
            }
        }

        json.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter json, CoordinateSequence ring, bool counterClockwise)
    {
        var isCounterClockwise = ring.Count >= 4 && Orientation.IsCCW(ring);
        WritePositions(json, ring, reverse: ring.Count >= 4 && isCounterClockwise != counterClockwise);
    }

    private static void WritePositions(Utf8JsonWriter json, CoordinateSequence sequence, bool reverse)
    {
        json.WriteStartArray();
        for (var i = 0; i < sequence.Count; i++)
        {
            WritePosition(json, sequence, reverse ? sequence.Count - 1 - i : i);
        }

        json.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter json, CoordinateSequence sequence, int index)
    {
        json.WriteStartArray();
        json.WriteNumberValue(Math.Round(sequence.GetX(index), Decimals));
        json.WriteNumberValue(Math.Round(sequence.GetY(index), Decimals));
        json.WriteEndArray();
    }
}
