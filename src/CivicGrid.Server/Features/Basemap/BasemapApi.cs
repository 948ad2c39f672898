using System.IO.Compression;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicGrid.Server.Features.Basemap;

/// <summary>What the maps draw underneath the grids.</summary>
/// <param name="Kind"><c>vector</c> (tiles from this server), <c>raster</c> (image tiles: this server's or an online URL) or <c>none</c> (plain paper).</param>
/// <param name="Tiles">The tile URL template, <c>{z}/{x}/{y}</c>; relative to this server for its own tiles.</param>
/// <param name="Bounds">West, south, east, north (WGS-84) where the tiles have anything.</param>
/// <param name="Center">Longitude, latitude and zoom of the territory's centre.</param>
public sealed record BasemapResponse(string Kind, string? Tiles, int MinZoom, int MaxZoom, double[]? Bounds, double[]? Center, string? Attribution);

public static class BasemapApi
{
    /// <summary>Tiles change rarely; a day in the browser's cache, revalidated by date.</summary>
    private const string TileCaching = "public, max-age=86400";

    public static IEndpointRouteBuilder MapBasemapApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/basemap").WithTags("Basemap").AllowAnonymous();
        group.MapGet("/", Describe).WithName("GetBasemap")
            .WithSummary("What the maps draw under the grids: this server's vector or raster tiles, an online tile URL, or none. Public: the residents' report page shows it.");
        group.MapGet("/tiles/{z:int}/{x:int}/{y:int}", Tile).WithName("GetBasemapTile")
            .WithSummary("One base-map tile (XYZ; a Mapbox Vector Tile, gzipped, or an image); 204 where the territory has nothing. Public.")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.mapbox-vector-tile").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return routes;
    }

    public static BasemapResponse Describe(BasemapSource source)
    {
        if (source.OnlineTiles is { } online)
        {
            return new BasemapResponse("raster", online, 0, 18, null, null, null);
        }

        return source.Info is { } info
            ? new BasemapResponse(info.Format == "pbf" ? "vector" : "raster", "/api/basemap/tiles/{z}/{x}/{y}", info.MinZoom, info.MaxZoom, info.Bounds, info.Center,
                info.Attribution)
            : new BasemapResponse("none", null, 0, 0, null, null, null);
    }

    public static Results<FileContentHttpResult, NoContent, ProblemHttpResult> Tile(int z, int x, int y, BasemapSource source, HttpContext http)
    {
        if (z is < 0 or > 22 || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z)
        {
            return Problems.Validation("z", "瓦片地址无效：缩放级别为 0–22，行列号在该级别的范围内。");
        }

        http.Response.Headers.CacheControl = TileCaching;
        if (source.Info is not { } info || z < info.MinZoom || z > info.MaxZoom || MbTiles.ReadTile(source.Path, z, x, y) is not { Length: > 0 } data)
        {
            return TypedResults.NoContent();
        }

        if (info.Format != "pbf")
        {
            return TypedResults.File(data, info.Format switch { "jpg" or "jpeg" => "image/jpeg", "webp" => "image/webp", _ => "image/png" });
        }

        var gzipped = data is [0x1f, 0x8b, ..];
        if (gzipped && http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.ContentEncoding = "gzip";
        }
        else if (gzipped)
        {
            using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            data = output.ToArray();
        }

        http.Response.Headers.Vary = "Accept-Encoding";
        return TypedResults.File(data, "application/vnd.mapbox-vector-tile");
    }
}
