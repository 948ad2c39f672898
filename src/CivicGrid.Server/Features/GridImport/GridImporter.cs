using System.Globalization;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Geography.Topology;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.CoordinateSystems;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.GridImport;

/// <summary>One problem with an import, for the person who made the file.</summary>
/// <param name="FeatureIndex">Zero-based position of the feature in the file; null for a problem of stored data.</param>
/// <param name="Severity">error or warning; any error refuses the whole file.</param>
/// <param name="Kind">Kebab-case kind, e.g. missing-code, overlap, gap.</param>
/// <param name="Where">WKT of the problem's place in WGS-84, or null.</param>
public sealed record ImportProblem(int? FeatureIndex, string? Code, string Severity, string Kind, string MessageZh, string MessageEn, string? Where);

/// <summary>
/// Codes of one kind that the file wrote in the published 12-digit form (统计用区划代码) and the import read as ours, e.g.
/// every subdistrict code 110101001000 → 110101001.
/// </summary>
/// <param name="Kind">district-code, subdistrict-code, district-parent-code or subdistrict-parent-code.</param>
/// <param name="Count">How many features had a code of this kind normalised.</param>
/// <param name="Example">The first one, as "110101001000 → 110101001".</param>
/// <param name="MessageZh">The line for the report, in Chinese.</param>
public sealed record CodeNormalisation(string Kind, int Count, string Example, string MessageZh, string MessageEn);

/// <summary>The outcome of an import (or of a dry run).</summary>
/// <param name="Normalisations">One line per kind of code read from the published 12-digit form; empty when the file used our codes.</param>
public sealed record ImportReport(bool Accepted, bool DryRun, int Features, int GridsCreated, int GridsRedrawn, int GridsUnchanged,
    int CompoundsCreated, int CompoundsUpdated, int BuildingsCreated, int BuildingsUpdated, IReadOnlyList<ImportProblem> Problems,
    IReadOnlyList<CodeNormalisation> Normalisations)
{
    public int ErrorCount => Problems.Count(p => p.Severity == "error");

    public int WarningCount => Problems.Count(p => p.Severity == "warning");

    /// <summary>A readable report in Chinese and English.</summary>
    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(Accepted
            ? $"{(DryRun ? "试导入通过" : "导入完成")}：{Features} 个要素；网格 新建 {GridsCreated}、重绘 {GridsRedrawn}、未变 {GridsUnchanged}；院落 新建 {CompoundsCreated}、更新 {CompoundsUpdated}；楼栋 新建 {BuildingsCreated}、更新 {BuildingsUpdated}。"
            : $"导入被拒绝：{ErrorCount} 个错误，{WarningCount} 个警告；数据未作任何改动。");
        text.AppendLine(Accepted
            ? $"{(DryRun ? "Dry run passed" : "Imported")}: {Features} features; grids created {GridsCreated}, redrawn {GridsRedrawn}, unchanged {GridsUnchanged}; compounds created {CompoundsCreated}, updated {CompoundsUpdated}; buildings created {BuildingsCreated}, updated {BuildingsUpdated}."
            : $"Import refused: {ErrorCount} errors, {WarningCount} warnings; nothing was changed.");
        foreach (var n in Normalisations)
        {
            text.AppendLine($"  [normalised] {n.Kind}: {n.MessageZh} / {n.MessageEn}");
        }

        foreach (var p in Problems.OrderBy(p => p.Severity == "error" ? 0 : 1).ThenBy(p => p.FeatureIndex ?? -1))
        {
            var feature = p.FeatureIndex is { } i ? $"#{i}" : "-";
            text.AppendLine($"  [{p.Severity}] {p.Kind} feature {feature} {p.Code}: {p.MessageZh} / {p.MessageEn}{(p.Where is null ? string.Empty : $" @ {Shorten(p.Where)}")}");
        }

        return text.ToString();
    }

    private static string Shorten(string wkt) => wkt.Length <= 120 ? wkt : wkt[..117] + "...";
}

/// <summary>
/// Imports grids, compounds and buildings from GeoJSON or zipped Shapefiles, in one transaction:
/// every feature is read and checked, the resulting grid set is validated (全域覆盖、边界清晰), and
/// only a file without errors changes anything. A grid whose boundary, name or parent changed is
/// redrawn as a new version; cases keep the grid they were routed to.
/// </summary>
public sealed class GridImporter(CivicGridDbContext db, GeographyIndex geography, TimeProvider time, ILogger<GridImporter> logger)
{
    private static readonly GridTopologyValidator Validator = new();

    public async Task<ImportReport> ImportAsync(IReadOnlyList<ImportFeature> features, CoordinateSystem crs, bool dryRun, CancellationToken ct)
    {
        var problems = new List<ImportProblem>();
        var grids = new List<ParsedGrid>();
        var compounds = new List<ParsedCompound>();
        var buildings = new List<ParsedBuilding>();
        var published = new PublishedCodes();
        foreach (var feature in features)
        {
            Parse(feature, crs, grids, compounds, buildings, problems, published);
        }

        var normalisations = published.Report();

        // Compound and building codes differ in length, so one grouping finds duplicates of both.
        foreach (var duplicate in compounds.Select(c => (c.Code, c.Index)).Concat(buildings.Select(b => (b.Code, b.Index)))
            .GroupBy(x => x.Code).Where(g => g.Count() > 1))
        {
            var indexes = string.Join(", ", duplicate.Select(d => $"#{d.Index}"));
            problems.Add(new ImportProblem(duplicate.First().Index, duplicate.Key, "error", "duplicate-code",
                $"编码 {duplicate.Key} 在文件中出现多次（{indexes}）。", $"Code {duplicate.Key} appears more than once in the file ({indexes}).", null));
        }

        // Validate the grid set as it would be after the import: stored grids, replaced by the file's.
        var stored = await db.Grids.IgnoreQueryFilters().ToListAsync(ct);
        var shapes = stored.ToDictionary(g => g.Code, g => new GridShape(-1, g.Code, g.Name, g.Level, g.Kind, g.ParentCode, g.Boundary), StringComparer.Ordinal);
        var fileCodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in grids)
        {
            if (!fileCodes.Add(g.Code))
            {
                problems.Add(new ImportProblem(g.Index, g.Code, "error", "duplicate-code", $"网格编码 {g.Code} 在文件中出现多次。",
                    $"Grid code {g.Code} appears more than once in the file.", null));
                continue;
            }

            shapes[g.Code] = new GridShape(g.Index, g.Code, g.Name, g.Level, g.Kind, g.ParentCode, g.Boundary);
        }

        var affected = new HashSet<string>(fileCodes, StringComparer.Ordinal);
        foreach (var g in grids.Where(g => g.ParentCode is not null))
        {
            affected.Add(g.ParentCode!);
        }

        var topology = Validator.Validate([.. shapes.Values]);
        problems.AddRange(topology.Problems
            .Where(p => affected.Contains(p.Code) || (p.OtherCode is not null && affected.Contains(p.OtherCode)))
            .Select(p => new ImportProblem(p.FeatureIndex is >= 0 ? p.FeatureIndex : null, p.Code, TopologyNames.Of(p.Severity), TopologyNames.Of(p.Kind),
                p.MessageZh, p.MessageEn, p.Location is null ? null : NetTopologySuite.IO.WKTWriter.ToPoint(p.Location.InteriorPoint.Coordinate))));

        // Compounds and buildings go to the finest territorial grid of the new set.
        var index = GridIndex.Build([.. shapes.Values.Select(s => new IndexedGrid(s.Code, s.ParentCode, s.Kind == GridKind.Dedicated, s.Boundary))]);
        var compoundGrids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in compounds)
        {
            var grid = c.GridCode ?? LocateGrid(index, c.Geometry.InteriorPoint);
            if (grid is null || !GridCodes.IsWithin(grid, c.Code[..GridCodes.CommunityLength]))
            {
                problems.Add(new ImportProblem(c.Index, c.Code, "error", "compound-outside-community",
                    $"院落 {c.Code} 不在其编码所属社区的网格内。", $"Compound {c.Code} does not lie in a grid of the community its code names.",
                    NetTopologySuite.IO.WKTWriter.ToPoint(c.Geometry.InteriorPoint.Coordinate)));
                continue;
            }

            compoundGrids[c.Code] = grid;
        }

        var buildingGrids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in buildings)
        {
            var grid = b.GridCode ?? LocateGrid(index, (Point)b.Location);
            if (grid is null)
            {
                problems.Add(new ImportProblem(b.Index, b.Code, "error", "building-outside-grids", $"楼栋 {b.Code} 不在任何网格内。",
                    $"Building {b.Code} lies in no grid.", NetTopologySuite.IO.WKTWriter.ToPoint(b.Location.Coordinate)));
                continue;
            }

            buildingGrids[b.Code] = grid;
        }

        var knownCompoundCodes = (await db.Compounds.IgnoreQueryFilters().Select(c => c.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var b in buildings.Where(b => b.CompoundCode is not null && !knownCompoundCodes.Contains(b.CompoundCode) && !compounds.Any(c => c.Code == b.CompoundCode)))
        {
            problems.Add(new ImportProblem(b.Index, b.Code, "error", "unknown-compound", $"楼栋 {b.Code} 所属院落 {b.CompoundCode} 不存在。",
                $"Building {b.Code} names compound {b.CompoundCode}, which does not exist.", null));
        }

        if (problems.Any(p => p.Severity == "error"))
        {
            logger.LogWarning("Grid import refused: {Errors} errors in {Features} features", problems.Count(p => p.Severity == "error"), features.Count);
            return new ImportReport(false, dryRun, features.Count, 0, 0, 0, 0, 0, 0, 0, problems, normalisations);
        }

        var now = time.GetUtcNow();
        var storedByCode = stored.ToDictionary(g => g.Code, StringComparer.Ordinal);
        int created = 0, redrawn = 0, unchanged = 0;
        foreach (var g in grids)
        {
            if (!storedByCode.TryGetValue(g.Code, out var existing))
            {
                db.Grids.Add(new Grid(g.Code, g.Name, g.Level, g.Kind, g.ParentCode, g.Boundary, now) { Households = g.Households });
                created++;
            }
            else if (existing.Boundary.EqualsExact(g.Boundary) && existing.Name == g.Name && existing.ParentCode == g.ParentCode)
            {
                unchanged++;
            }
            else if (existing.Level != g.Level || existing.Kind != g.Kind)
            {
                problems.Add(new ImportProblem(g.Index, g.Code, "error", "level-changed", $"网格 {g.Code} 已存在且层级或类型不同；请使用新编码。",
                    $"Grid {g.Code} exists with another level or kind; use a new code.", null));
            }
            else
            {
                db.GridVersions.Add(existing.Redraw(g.Boundary, g.Name, g.ParentCode, now));
                existing.Households = g.Households ?? existing.Households;
                redrawn++;
            }
        }

        if (problems.Any(p => p.Severity == "error"))
        {
            db.ChangeTracker.Clear();
            return new ImportReport(false, dryRun, features.Count, 0, 0, 0, 0, 0, 0, 0, problems, normalisations);
        }

        var storedCompounds = await db.Compounds.IgnoreQueryFilters().ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, ct);
        int compoundsCreated = 0, compoundsUpdated = 0;
        foreach (var c in compounds)
        {
            if (storedCompounds.TryGetValue(c.Code, out var existing))
            {
                existing.Revise(c.Name, c.Address, compoundGrids[c.Code], c.Geometry);
                compoundsUpdated++;
            }
            else
            {
                var compound = new Compound(c.Code, c.Name, c.Address, compoundGrids[c.Code], c.Geometry, null);
                db.Compounds.Add(compound);
                storedCompounds[c.Code] = compound;
                compoundsCreated++;
            }
        }

        var storedBuildings = await db.Buildings.IgnoreQueryFilters().ToDictionaryAsync(b => b.Code, StringComparer.Ordinal, ct);
        int buildingsCreated = 0, buildingsUpdated = 0;
        foreach (var b in buildings)
        {
            var compoundId = b.CompoundCode is null ? (Guid?)null : storedCompounds[b.CompoundCode].Id;
            var footprint = b.Footprint;
            if (storedBuildings.TryGetValue(b.Code, out var existing))
            {
                existing.Revise(b.Name, b.Address, buildingGrids[b.Code], compoundId, b.Location, footprint, b.Floors, b.Households);
                buildingsUpdated++;
            }
            else
            {
                db.Buildings.Add(new Building(b.Code, b.Name, b.Address, buildingGrids[b.Code], compoundId, b.Location, footprint, b.Floors, b.Households));
                buildingsCreated++;
            }
        }

        var report = new ImportReport(true, dryRun, features.Count, created, redrawn, unchanged, compoundsCreated, compoundsUpdated,
            buildingsCreated, buildingsUpdated, problems, normalisations);
        if (dryRun)
        {
            db.ChangeTracker.Clear();
            return report;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        geography.RequestRebuild();
        logger.LogInformation("Grid import: {Created} grids created, {Redrawn} redrawn, {Unchanged} unchanged; {Compounds} compounds, {Buildings} buildings",
            created, redrawn, unchanged, compoundsCreated + compoundsUpdated, buildingsCreated + buildingsUpdated);
        return report;
    }

    private static string? LocateGrid(GridIndex index, Point point)
    {
        var found = index.Locate(point.X, point.Y);
        return found.Leaf >= 0 ? index.CodeOf(found.Leaf) : null;
    }

    private static void Parse(ImportFeature feature, CoordinateSystem crs, List<ParsedGrid> grids, List<ParsedCompound> compounds,
        List<ParsedBuilding> buildings, List<ImportProblem> problems, PublishedCodes published)
    {
        var i = feature.Index;
        var code = Text(feature, "code");
        var levelName = Text(feature, "level");
        void Fail(string kind, string zh, string en) => problems.Add(new ImportProblem(i, code, "error", kind, zh, en, null));

        if (code is null)
        {
            Fail("missing-code", $"第 {i} 个要素缺少编码（code）。", $"Feature {i} has no code.");
            return;
        }

        if (levelName is null)
        {
            Fail("missing-level", $"要素 {code} 缺少层级（level）。", $"Feature {code} has no level.");
            return;
        }

        if (feature.Geometry is null || feature.Geometry.IsEmpty)
        {
            Fail("missing-geometry", $"要素 {code} 没有几何图形。", $"Feature {code} has no geometry.");
            return;
        }

        Geometry geometry;
        try
        {
            geometry = ChinaCoordinates.ToWgs84(feature.Geometry, crs);
        }
        catch (ArgumentOutOfRangeException)
        {
            Fail("coordinates-out-of-range", $"要素 {code} 的坐标超出经纬度范围：请确认文件为经纬度坐标（不是投影坐标）。",
                $"Feature {code} has coordinates outside longitude/latitude range: is the file in degrees, not a projected system?");
            return;
        }

        geometry.SRID = 4326;
        var name = Text(feature, "name") ?? code;
        switch (levelName.ToLowerInvariant())
        {
            case "compound":
                if (geometry is not (Polygon or MultiPolygon))
                {
                    Fail("bad-geometry", $"院落 {code} 应为面。", $"Compound {code} must be a polygon.");
                    return;
                }

                if (code.Length != GridCodes.CommunityLength + 4 || !code.All(char.IsAsciiDigit))
                {
                    Fail("bad-code", $"院落编码 {code} 应为社区编码加 4 位数字。", $"Compound code {code} must be the community code and 4 digits.");
                    return;
                }

                compounds.Add(new ParsedCompound(i, code, name, Text(feature, "address") ?? name, Text(feature, "gridCode", "grid_code"), geometry));
                return;

            case "building":
                if (code.Length != GridCodes.CommunityLength + 5 || !code.All(char.IsAsciiDigit))
                {
                    Fail("bad-code", $"楼栋编码 {code} 应为社区编码加 5 位数字。", $"Building code {code} must be the community code and 5 digits.");
                    return;
                }

                var (location, footprint) = geometry switch
                {
                    Point p => (p, (Polygon?)null),
                    Polygon poly => ((Point)poly.InteriorPoint, poly),
                    MultiPolygon multi => ((Point)multi.InteriorPoint, (Polygon?)multi.Geometries.OfType<Polygon>().MaxBy(x => x.Area)),
                    _ => ((Point?)null, (Polygon?)null),
                };
                if (location is null)
                {
                    Fail("bad-geometry", $"楼栋 {code} 应为点或面。", $"Building {code} must be a point or a polygon.");
                    return;
                }

                buildings.Add(new ParsedBuilding(i, code, name, Text(feature, "address") ?? name, Text(feature, "gridCode", "grid_code"),
                    Text(feature, "compoundCode", "compound_c", "compoundco"), location, footprint,
                    Number(feature, "floors") ?? 0, Number(feature, "households", "househol") ?? 0));
                return;
        }

        if (!GridLevelNames.TryParse(levelName, out var level))
        {
            Fail("bad-level", $"要素 {code} 的层级“{levelName}”无效，可用：{string.Join("、", GridLevelNames.All)}、compound、building。",
                $"Feature {code} has an unknown level '{levelName}'.");
            return;
        }

        if (!GridLevelNames.TryParseKind(Text(feature, "kind"), out var kind))
        {
            Fail("bad-kind", $"要素 {code} 的类型“{Text(feature, "kind")}”无效，可用：territorial、dedicated。", $"Feature {code} has an unknown kind.");
            return;
        }

        var parentCode = Text(feature, "parentCode", "parent_code", "parent_cod", "parentcode");
        if (kind == GridKind.Territorial)
        {
            code = published.Normalise(code, level, parent: false);
        }

        if (parentCode is not null && GridCodes.ParentLevelOf(level, kind) is { } parentLevel)
        {
            parentCode = published.Normalise(parentCode, parentLevel, parent: true);
        }

        grids.Add(new ParsedGrid(i, code, name, level, kind, parentCode, geometry, Number(feature, "households", "househol")));
    }

    /// <summary>A property as text; numbers from DBF files come as doubles and are written without decimals.</summary>
    private static string? Text(ImportFeature feature, params string[] names)
    {
        foreach (var name in names)
        {
            if (feature.Properties.TryGetValue(name, out var value) && value is not null)
            {
                var text = value switch
                {
                    double d when d == Math.Floor(d) => d.ToString("F0", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                };
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return text.Trim();
                }
            }
        }

        return null;
    }

    private static int? Number(ImportFeature feature, params string[] names) =>
        Text(feature, names) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value < int.MaxValue
            ? (int)value
            : null;

    /// <summary>Reads published 12-digit district and subdistrict codes as ours and counts each kind for the report.</summary>
    private sealed class PublishedCodes
    {
        private readonly Dictionary<string, (GridLevel Level, bool Parent, int Count, string Example)> _kinds = new(StringComparer.Ordinal);

        public string Normalise(string code, GridLevel level, bool parent)
        {
            if (!GridCodes.TryNormalisePublished(code, level, out var ours))
            {
                return code;
            }

            var kind = $"{level.ToApiName()}-{(parent ? "parent-code" : "code")}";
            _kinds[kind] = _kinds.TryGetValue(kind, out var seen)
                ? seen with { Count = seen.Count + 1 }
                : (level, parent, 1, $"{code} → {ours}");
            return ours;
        }

        public List<CodeNormalisation> Report() => [.. _kinds.OrderBy(k => k.Value.Parent).ThenBy(k => k.Value.Level).Select(k =>
        {
            var (level, parent, count, example) = k.Value;
            var digits = GridCodes.LengthOf(level, GridKind.Territorial);
            var whose = parent ? $"上级{level.ToChinese()}编码" : $"{level.ToChinese()}编码";
            var whoseEn = parent ? $"parent {level.ToApiName()} codes" : $"{level.ToApiName()} codes";
            return new CodeNormalisation(k.Key, count, example,
                $"{count} 个{whose}按统计用区划代码的 12 位写法给出，已转换为 {digits} 位编码（例：{example}）。",
                $"{count} {whoseEn} were given in the published 12-digit form and read as {digits}-digit codes (e.g. {example}).");
        })];
    }

    private sealed record ParsedGrid(int Index, string Code, string Name, GridLevel Level, GridKind Kind, string? ParentCode, Geometry Boundary, int? Households);

    private sealed record ParsedCompound(int Index, string Code, string Name, string Address, string? GridCode, Geometry Geometry);

    private sealed record ParsedBuilding(int Index, string Code, string Name, string Address, string? GridCode, string? CompoundCode,
        Point Location, Polygon? Footprint, int Floors, int Households);
}
