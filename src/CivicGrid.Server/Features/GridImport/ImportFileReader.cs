using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace CivicGrid.Server.Features.GridImport;

/// <summary>One feature of an import file, as read: its position, its properties by lower-case name, its geometry.</summary>
/// <param name="Index">Zero-based position of the feature in the file, for reports.</param>
public sealed record ImportFeature(int Index, IReadOnlyDictionary<string, object?> Properties, Geometry? Geometry);

/// <summary>A file that could not be read at all; the message is Chinese and English.</summary>
public sealed class ImportFileException(string messageZh, string messageEn) : Exception(messageEn)
{
    public string MessageZh { get; } = messageZh;
}

/// <summary>
/// Reads GeoJSON FeatureCollections and zipped ESRI Shapefiles (.shp + .dbf, with .cpg for the
/// text encoding; GB18030 when the .cpg is missing, as Chinese survey data usually is).
/// The format is told by content, not by name.
/// </summary>
public static class ImportFileReader
{
    /// <summary>The largest file accepted, in bytes.</summary>
    public const long MaxBytes = 200L * 1024 * 1024;

    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), 4326)) },
    };

    static ImportFileReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static async Task<IReadOnlyList<ImportFeature>> ReadAsync(Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBytes)
        {
            throw new ImportFileException("文件过大（上限 200 MB）。", "The file is larger than 200 MB.");
        }

        var bytes = buffer.ToArray();
        if (bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4)
        {
            return ReadZippedShapefile(bytes);
        }

        var start = bytes.AsSpan().TrimStart((byte)' ').TrimStart("\r\n\t\uFEFF"u8);
        if (start.Length > 0 && start[0] == (byte)'{')
        {
            return ReadGeoJson(bytes);
        }

        throw new ImportFileException("无法识别的文件格式：请上传 GeoJSON（FeatureCollection）或压缩为 .zip 的 Shapefile。",
            "Unrecognised format: upload a GeoJSON FeatureCollection or a zipped Shapefile.");
    }

    private static List<ImportFeature> ReadGeoJson(byte[] bytes)
    {
        FeatureCollection? collection;
        try
        {
            collection = JsonSerializer.Deserialize<FeatureCollection>(bytes, GeoJson);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new ImportFileException($"GeoJSON 无法解析：{e.Message}", $"The GeoJSON could not be parsed: {e.Message}");
        }

        if (collection is null)
        {
            throw new ImportFileException("GeoJSON 应为 FeatureCollection。", "The GeoJSON must be a FeatureCollection.");
        }

        return [.. collection.Select((f, i) => new ImportFeature(i, Properties(f.Attributes), f.Geometry))];
    }

    private static List<ImportFeature> ReadZippedShapefile(byte[] bytes)
    {
        var folder = Directory.CreateTempSubdirectory("civicgrid-import-");
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                long total = 0;
                foreach (var entry in zip.Entries.Where(e => e.Name.Length > 0))
                {
                    // Only the shapefile's own parts, flattened: no paths from the archive reach the disk.
                    var extension = Path.GetExtension(entry.Name).ToLowerInvariant();
                    if (extension is not (".shp" or ".shx" or ".dbf" or ".prj" or ".cpg"))
                    {
                        continue;
                    }

                    total += entry.Length;
                    if (total > MaxBytes)
                    {
                        throw new ImportFileException("压缩包解压后过大（上限 200 MB）。", "The archive expands beyond 200 MB.");
                    }

                    entry.ExtractToFile(Path.Combine(folder.FullName, Path.GetFileName(entry.Name)), overwrite: true);
                }
            }

            var shapefiles = Directory.GetFiles(folder.FullName, "*.shp");
            if (shapefiles.Length != 1)
            {
                throw new ImportFileException("压缩包中应恰好包含一个 .shp 文件（及同名 .dbf）。", "The archive must hold exactly one .shp file (with its .dbf).");
            }

            var shp = shapefiles[0];
            var options = new ShapefileReaderOptions { Factory = new GeometryFactory(new PrecisionModel(), 4326) };
            if (!File.Exists(Path.ChangeExtension(shp, ".cpg")))
            {
                options.Encoding = Encoding.GetEncoding("GB18030");
            }

            Feature[] features;
            try
            {
                features = Shapefile.ReadAllFeatures(shp, options);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or FileNotFoundException)
            {
                throw new ImportFileException($"Shapefile 无法读取：{e.Message}", $"The shapefile could not be read: {e.Message}");
            }

            return [.. features.Select((f, i) => new ImportFeature(i, Properties(f.Attributes), f.Geometry))];
        }
        catch (InvalidDataException e)
        {
            throw new ImportFileException($"压缩包已损坏：{e.Message}", $"The archive is damaged: {e.Message}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, object?> Properties(IAttributesTable? attributes)
    {
        var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (attributes is null)
        {
            return properties;
        }

        foreach (var name in attributes.GetNames())
        {
            properties[name.Trim()] = attributes[name] switch
            {
                JsonElement { ValueKind: JsonValueKind.String } s => s.GetString(),
                JsonElement { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
                JsonElement { ValueKind: JsonValueKind.Null } => null,
                string text => text.Trim(),
                var other => other,
            };
        }

        return properties;
    }
}
