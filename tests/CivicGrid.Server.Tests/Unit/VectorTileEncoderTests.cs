using CivicGrid.Server.Features.Basemap;
using CivicGrid.Server.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The base map's tile encoder against the Mapbox Vector Tile specification 2.1, decoded by an independent reader.</summary>
public class VectorTileEncoderTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static Dictionary<string, (uint Extent, List<DecodedFeature> Features)> Encode(Geometry geometry, Dictionary<string, object>? attributes = null) =>
        VectorTileReader.Decode(VectorTileEncoder.Encode(0, 0, 0, [("layer", [new TileFeature(geometry, attributes ?? [])])]));

    [Fact]
    public void APointAtTheOrigin_IsOneMoveToTheTileCentre()
    {
        var feature = Assert.Single(Encode(Factory.CreatePoint(new Coordinate(0, 0)))["layer"].Features);
        // MoveTo, count 1 (9); 2048 zig-zagged is 4096: the centre of the 4096 extent at zoom 0.
        Assert.Equal(1, feature.Type);
        Assert.Equal([9u, 4096u, 4096u], feature.Geometry);
    }

    [Fact]
    public void ALine_IsAMoveToAndLineTosOfDeltas()
    {
        var feature = Assert.Single(Encode(Factory.CreateLineString([new Coordinate(0, 0), new Coordinate(90, 0)]))["layer"].Features);
        // MoveTo(1) to (2048, 2048); LineTo(1) (count 1: 10) by +1024 east (2048 zig-zagged), 0 south.
        Assert.Equal(2, feature.Type);
        Assert.Equal([9u, 4096u, 4096u, 10u, 2048u, 0u], feature.Geometry);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APolygon_HasItsExteriorRingWoundAsTheSpecificationSays_WhicheverWayItCameIn(bool reversed)
    {
        Coordinate[] ring = [new(0, 0), new(45, 0), new(45, 40), new(0, 40), new(0, 0)];
        var polygon = Factory.CreatePolygon(reversed ? [.. ring.Reverse()] : ring);
        var feature = Assert.Single(Encode(polygon)["layer"].Features);
        Assert.Equal(3, feature.Type);
        // MoveTo(1), LineTo(3): the closing point is left out; ClosePath(1) = 15.
        Assert.Equal((9u, 26u, 15u), (feature.Geometry[0], feature.Geometry[3], feature.Geometry[^1]));
        var path = Assert.Single(VectorTileReader.Paths(feature.Geometry));
        long area = 0;
        for (var i = 0; i < path.Count; i++)
        {
            var (a, b) = (path[i], path[(i + 1) % path.Count]);
            area += ((long)a.X * b.Y) - ((long)b.X * a.Y);
        }

        Assert.True(area > 0, "an exterior ring must have a positive area by the specification's formula (clockwise with y down)");
    }

    [Fact]
    public void Attributes_AreSharedKeysAndValues()
    {
        var tile = VectorTileReader.Decode(VectorTileEncoder.Encode(0, 0, 0, [("roads",
        [
            new TileFeature(Factory.CreateLineString([new Coordinate(0, 0), new Coordinate(10, 0)]), new Dictionary<string, object> { ["name"] = "长乐路", ["class"] = "primary" }),
            new TileFeature(Factory.CreateLineString([new Coordinate(0, 5), new Coordinate(10, 5)]), new Dictionary<string, object> { ["name"] = "东新街", ["class"] = "primary", ["lanes"] = 4 }),
        ])]));
        var (extent, features) = tile["roads"];
        Assert.Equal(4096u, extent);
        Assert.Equal(["长乐路", "东新街"], features.Select(f => f.Attributes["name"]));
        Assert.All(features, f => Assert.Equal("primary", f.Attributes["class"]));
        Assert.Equal(4L, features[1].Attributes["lanes"]);
    }

    [Fact]
    public void WhatLiesOutsideTheTile_IsClippedAway_AndAnEmptyTileHasNoBytes()
    {
        // Zoom 1, tile (1, 0): the north-east quarter of the world. A line from the west to the east is cut at the edge (with the margin).
        var line = Factory.CreateLineString([new Coordinate(-90, 10), new Coordinate(90, 10)]);
        var tile = VectorTileReader.Decode(VectorTileEncoder.Encode(1, 1, 0, [("layer", [new TileFeature(line, new Dictionary<string, object>())])]));
        var path = Assert.Single(VectorTileReader.Paths(Assert.Single(tile["layer"].Features).Geometry));
        Assert.Equal(-VectorTileEncoder.Buffer, path[0].X);
        Assert.Equal(2048, path[^1].X); // 90° east is the middle of the eastern half.
        Assert.Empty(VectorTileEncoder.Encode(1, 0, 1, [("layer", [new TileFeature(line, new Dictionary<string, object>())])]));
    }
}
