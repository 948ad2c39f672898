using CivicGrid.Server.Commands;
using CivicGrid.Spatial.CoordinateSystems;

namespace CivicGrid.Server.Features.GridImport;

/// <summary>Imports grids, compounds and buildings from a file; nothing changes when the file has errors.</summary>
[OperatorCommand("grids import", "<file>", "import grids, compounds, buildings (GeoJSON or zipped Shapefile) [--crs C] [--dry-run]")]
internal sealed class ImportGridsCommand(GridImporter importer) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var path = context.FirstArgument("--crs");
        if (path is null || !File.Exists(path))
        {
            await context.Error.WriteLineAsync(path is null
                ? "Usage: grids import <file.geojson|file.zip> [--crs wgs84|cgcs2000|gcj02|bd09] [--dry-run]"
                : $"No such file: {path}");
            return 2;
        }

        var crs = CoordinateSystem.Wgs84;
        if (context.Option("--crs") is { } crsName && !CoordinateSystemNames.TryParse(crsName, out crs))
        {
            await context.Error.WriteLineAsync($"Unknown coordinate system '{crsName}': use {string.Join(", ", CoordinateSystemNames.ApiNames)}.");
            return 2;
        }

        await context.MigrateAsync();
        IReadOnlyList<ImportFeature> features;
        try
        {
            await using var file = File.OpenRead(path);
            features = await ImportFileReader.ReadAsync(file, CancellationToken.None);
        }
        catch (ImportFileException e)
        {
            await context.Error.WriteLineAsync($"{e.MessageZh} / {e.Message}");
            return 1;
        }

        var report = await importer.ImportAsync(features, crs, context.Flag("--dry-run"), CancellationToken.None);
        await context.Out.WriteAsync(report.ToText());
        return report.Accepted ? 0 : 1;
    }
}

/// <summary>Checks the stored grids' topology; exit 1 when there are errors.</summary>
[OperatorCommand("grids validate", "", "check the stored grids' topology [--format text|json|geojson] [--language zh|en] [--output F]")]
internal sealed class ValidateGridsCommand : IOperatorCommand
{
    private static readonly System.Text.Json.JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        var report = await GridImportApi.ValidateStoredAsync(context.Database, CancellationToken.None);
        var output = (context.Option("--format") ?? "text") switch
        {
            "json" => System.Text.Json.JsonSerializer.Serialize(report.ToJsonModel(), JsonOutput),
            "geojson" => report.ToGeoJson(),
            "text" => report.ToText(context.Option("--language") is "en" ? "en" : "zh"),
            _ => null,
        };
        if (output is null)
        {
            await context.Error.WriteLineAsync("--format takes text, json or geojson.");
            return 2;
        }

        if (context.Option("--output") is { } file)
        {
            await File.WriteAllTextAsync(file, output);
            await context.Out.WriteLineAsync($"{report.ErrorCount} errors, {report.WarningCount} warnings; report written to {file}.");
        }
        else
        {
            await context.Out.WriteLineAsync(output);
        }

        return report.IsAcceptable ? 0 : 1;
    }
}
