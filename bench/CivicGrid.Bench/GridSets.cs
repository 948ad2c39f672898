using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using CivicGrid.Spatial.Indexing;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CivicGrid.Bench;

/// <summary>A grid set for the routing harness: the grids, which of them are subdistricts, and where it came from.</summary>
/// <param name="Name">How the set is described in the output.</param>
/// <param name="Grids">Territorial tree and dedicated grids, WGS-84 longitude/latitude in degrees.</param>
/// <param name="SubdistrictCodes">Codes of the grids at subdistrict level.</param>
public sealed record GridSet(string Name, IReadOnlyList<IndexedGrid> Grids, IReadOnlyList<string> SubdistrictCodes)
{
    /// <summary>Anchor date of the demo grids; the geometry depends on the seed only, the date is fixed for repeatability.</summary>
    public static readonly DateOnly DemoDate = new(2026, 1, 1);

    /// <summary>Seed of the demo grids, independent of the simulation's seed.</summary>
    public const int DemoSeed = 2026;

    private static readonly JsonSerializerOptions GeoJsonOptions = new()
    {
        Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), 4326)) },
    };

    /// <summary>The demo grids: 示范街道 610103099 and its neighbour 610103098 in Xi'an, sharing a border.</summary>
    public static GridSet Demo()
    {
        var grids = DemoSubdistrictGenerator.Generate(DemoDate, DemoSeed).Grids;
        return new GridSet(
            $"demo (DemoSubdistrictGenerator, date {DemoDate:yyyy-MM-dd}, seed {DemoSeed})",
            [.. grids.Select(g => new IndexedGrid(g.Code, g.ParentCode, g.Kind == GridKind.Dedicated, g.Boundary))],
            [.. grids.Where(g => g.Level == GridLevel.Subdistrict).Select(g => g.Code)]);
    }

    /// <summary>
    /// Reads a GeoJSON FeatureCollection in WGS-84 whose features carry the properties <c>code</c>,
    /// <c>parentCode</c>, <c>level</c> (<c>district</c>, <c>subdistrict</c>, <c>community</c>, <c>grid-2</c>,
    /// <c>grid-3</c>, <c>micro</c>) and <c>kind</c> (<c>territorial</c>, the default, or <c>dedicated</c>),
    /// as the server's grid import writes and reads them.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not such a collection.</exception>
    public static GridSet ReadGeoJson(string path)
    {
        FeatureCollection? collection;
        using (var stream = File.OpenRead(path))
        {
            collection = JsonSerializer.Deserialize<FeatureCollection>(stream, GeoJsonOptions);
        }

        if (collection is null)
        {
            throw new InvalidDataException($"{path}: not a GeoJSON FeatureCollection.");
        }

        var grids = new List<IndexedGrid>();
        var subdistricts = new List<string>();
        for (var i = 0; i < collection.Count; i++)
        {
            var feature = collection[i];
            var code = Text(feature.Attributes, "code")
                ?? throw new InvalidDataException($"{path}: feature {i} has no 'code'.");
            if (feature.Geometry is null)
            {
                throw new InvalidDataException($"{path}: feature {i} ({code}) has no geometry.");
            }

            if (!GridLevelNames.TryParseKind(Text(feature.Attributes, "kind"), out var kind))
            {
                throw new InvalidDataException($"{path}: feature {i} ({code}) has an unknown 'kind'.");
            }

            if (GridLevelNames.TryParse(Text(feature.Attributes, "level"), out var level) && level == GridLevel.Subdistrict)
            {
                subdistricts.Add(code);
            }

            grids.Add(new IndexedGrid(code, Text(feature.Attributes, "parentCode"), kind == GridKind.Dedicated, feature.Geometry));
        }

        return new GridSet(Path.GetFileName(path), grids, subdistricts);
    }

    /// <summary>A property as text: strings as they are, numbers (codes written as numbers) as written, null when absent or empty.</summary>
    private static string? Text(IAttributesTable? attributes, string name)
    {
        if (attributes is null || !attributes.Exists(name))
        {
            return null;
        }

        var text = attributes[name] switch
        {
            JsonElement { ValueKind: JsonValueKind.String } s => s.GetString(),
            JsonElement { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            JsonElement => null,
            null => null,
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
