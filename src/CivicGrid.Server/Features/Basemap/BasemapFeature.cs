using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Basemap;

/// <summary>The <c>Basemap</c> section.</summary>
public sealed class BasemapOptions
{
    public const string Section = "Basemap";

    /// <summary>
    /// The MBTiles file of the territory's streets and buildings (vector tiles, e.g. made with tippecanoe or planetiler
    /// from the city's survey or OpenStreetMap; or raster tiles), absolute or relative to the data directory. Default
    /// <c>basemap.mbtiles</c>; the demo writes one of its own. No file: the maps show the grids on plain paper.
    /// </summary>
    public string File { get; set; } = "basemap.mbtiles";
}

/// <summary>
/// The base map every page's map draws under the grids (ADR 0035): vector tiles served from an MBTiles file the
/// operator provides, no tiles from the internet; or an online tile URL (<c>Web:MapTiles</c>, e.g. a 天地图 proxy) when configured.
/// </summary>
public sealed class BasemapFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BasemapOptions>().Bind(configuration.GetSection(BasemapOptions.Section));
        services.AddSingleton<BasemapSource>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapBasemapApi();
}

/// <summary>The configured MBTiles file and its metadata, read again when the file changes (an operator replacing it needs no restart).</summary>
public sealed class BasemapSource(IOptions<BasemapOptions> options, IOptions<WebContentOptions> web, DataDirectory dataDirectory, ILogger<BasemapSource> logger)
{
    /// <summary>The last read, replaced whole (one reference), so concurrent tile requests never see half of one.</summary>
    private ReadFile? _read;

    /// <summary>The file's absolute path.</summary>
    public string Path => System.IO.Path.Combine(dataDirectory.Path, options.Value.File);

    /// <summary>The online raster tile URL template, when one is configured (it wins over a file).</summary>
    public string? OnlineTiles => string.IsNullOrWhiteSpace(web.Value.MapTiles) ? null : web.Value.MapTiles;

    /// <summary>The file's metadata, or null when there is no usable file.</summary>
    public MbTilesInfo? Info
    {
        get
        {
            var written = File.Exists(Path) ? File.GetLastWriteTimeUtc(Path) : DateTime.MinValue;
            if (Volatile.Read(ref _read) is { } read && read.Written == written)
            {
                return read.Info;
            }

            MbTilesInfo? info = null;
            MbTiles.Forget(Path);
            if (written != DateTime.MinValue)
            {
                try
                {
                    info = MbTiles.ReadInfo(Path);
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    logger.LogWarning(e, "The base map {Path} is not a readable MBTiles file; the maps show no base map", Path);
                }
            }

            Volatile.Write(ref _read, new ReadFile(written, info));
            return info;
        }
    }

    private sealed record ReadFile(DateTime Written, MbTilesInfo? Info);
}
