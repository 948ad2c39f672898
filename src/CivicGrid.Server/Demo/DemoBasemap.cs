using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Basemap;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Demo;

/// <summary>
/// The demo's base map: its streets, compounds and buildings as an MBTiles file of vector tiles in the layer names most
/// tile tools use (OpenMapTiles: <c>transportation</c>, <c>transportation_name</c>, <c>landuse</c>, <c>building</c>,
/// <c>poi</c>), so the pages' one style draws an operator's file of a real city too. Zoom 12–17; the maps over-zoom beyond.
/// </summary>
public static class DemoBasemap
{
    public const int MinZoom = 12;
    public const int MaxZoom = 17;

    /// <summary>Writes the file; returns the number of tiles.</summary>
    public static int Write(DemoDataset data, string path)
    {
        ArgumentNullException.ThrowIfNull(data);
        var streets = data.Streets.Select(s => new TileFeature(s.Line, new Dictionary<string, object> { ["class"] = s.Class })
        {
            MinZoom = s.Class == "primary" ? MinZoom : 14,
        }).ToList();
        var names = data.Streets.Select(s => new TileFeature(s.Line, new Dictionary<string, object> { ["class"] = s.Class, ["name"] = s.Name })).ToList();
        var landuse = data.Compounds.Select(c => new TileFeature(c.Boundary, new Dictionary<string, object> { ["class"] = "residential" }))
            .Concat(data.Grids.Where(g => g.Kind != GridKind.Territorial).Select(g => new TileFeature(g.Boundary, new Dictionary<string, object>
            {
                ["class"] = g.Name.Contains("医院", StringComparison.Ordinal) ? "hospital" : g.Name.Contains("小学", StringComparison.Ordinal) ? "school"
                    : g.Name.Contains("市场", StringComparison.Ordinal) ? "retail" : g.Name.Contains("工地", StringComparison.Ordinal) ? "construction" : "commercial",
            }))).ToList();
        var buildings = data.Buildings.Where(b => b.Footprint is not null)
            .Select(b => new TileFeature(b.Footprint!, new Dictionary<string, object> { ["render_height"] = b.Floors * 3, ["name"] = b.Name })).ToList();
        var places = data.Compounds.Select(c => new TileFeature(c.Boundary.InteriorPoint, new Dictionary<string, object> { ["class"] = "residential", ["name"] = c.Name }))
            .ToList();
        var bounds = new Envelope();
        data.Grids.Where(g => g.Level == GridLevel.District).ToList().ForEach(g => bounds.ExpandToInclude(g.Boundary.EnvelopeInternal));
        bounds.ExpandBy(0.004);
        return MbTiles.Write(path, "示范街道底图（演示）", "演示底图：由演示数据生成，非真实测绘", bounds, MinZoom, MaxZoom,
        [
            new BasemapLayer("landuse", 13, landuse),
            new BasemapLayer("building", 15, buildings),
            new BasemapLayer("transportation", MinZoom, streets),
            new BasemapLayer("transportation_name", 14, names),
            new BasemapLayer("poi", 16, places),
        ]);
    }
}
