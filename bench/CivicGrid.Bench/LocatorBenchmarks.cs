using BenchmarkDotNet.Attributes;

namespace CivicGrid.Bench;

/// <summary>Locates per second, single-threaded: each invocation locates the dataset's 100,000 points once.</summary>
[MemoryDiagnoser]
public class LocatorBenchmarks
{
    private Dataset _data = null!;

    [Params("demo", "city100k")]
    public string Polygons { get; set; } = "demo";

    [GlobalSetup]
    public void Setup() => _data = Dataset.ByName(Polygons);

    [Benchmark(Baseline = true, OperationsPerInvoke = Dataset.PointCount)]
    public int Nts_StrTree_IndexedPointInArea()
    {
        var found = 0;
        var lons = _data.Lons;
        var lats = _data.Lats;
        for (var i = 0; i < lons.Length; i++)
        {
            found += _data.NtsTree.Locate(lons[i], lats[i]) >= 0 ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Dataset.PointCount)]
    public int GridIndex_Accuracy0()
    {
        var certain = 0;
        var index = _data.Index;
        var lons = _data.Lons;
        var lats = _data.Lats;
        for (var i = 0; i < lons.Length; i++)
        {
            certain += index.Locate(lons[i], lats[i]).Confidence == Spatial.Indexing.LocateConfidence.Certain ? 1 : 0;
        }

        return certain;
    }

    [Benchmark(OperationsPerInvoke = Dataset.PointCount)]
    public int GridIndex_Accuracy30m()
    {
        var certain = 0;
        var index = _data.Index;
        var lons = _data.Lons;
        var lats = _data.Lats;
        for (var i = 0; i < lons.Length; i++)
        {
            certain += index.Locate(lons[i], lats[i], 30).Confidence == Spatial.Indexing.LocateConfidence.Certain ? 1 : 0;
        }

        return certain;
    }
}
