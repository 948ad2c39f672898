using System.Diagnostics;

namespace CivicGrid.Bench;

/// <summary>Where the benches run: the repository, its commit, the CPU, for the reports' headers.</summary>
internal static class BenchHost
{
    /// <summary>User + system CPU seconds of a process so far, from /proc/&lt;pid&gt;/stat (fields 14 and 15, in USER_HZ = 100 ticks a second).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// Waits until a freshly started server is idle (under a tenth of a core over two seconds; at most three minutes): its
    /// start-up work (jobs' first runs, caches loading millions of rows) would otherwise land in the first query's figures.
    /// </summary>
    /// <returns>How long it waited.</returns>
    public static async Task<TimeSpan> SettleAsync(int pid)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            var before = CpuSeconds(pid);
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (CpuSeconds(pid) - before < 0.2)
            {
                break;
            }
        }

        return watch.Elapsed;
    }

    /// <summary>The directory that holds CivicGrid.slnx above the bench's binaries, else the current directory.</summary>
    public static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CivicGrid.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>The short commit of <paramref name="repo"/>, or "?" without git.</summary>
    public static string Commit(string repo)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", repo, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return commit;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    public static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    /// <summary>Makes <c>data-&lt;provider&gt;</c> under <paramref name="work"/>, measures the calibration line there and prints both.</summary>
    public static (string Data, string Calibration) ProviderDirectory(string work, string provider)
    {
        var data = Path.Combine(work, "data-" + provider);
        Directory.CreateDirectory(data);
        var calibration = Calibration.Measure(data);
        Console.WriteLine($"=== {provider} ===");
        Console.WriteLine(calibration);
        return (data, calibration);
    }

    /// <summary>Writes a bench's markdown report as <paramref name="name"/> under <paramref name="results"/>.</summary>
    public static async Task WriteReportAsync(string results, string name, System.Text.StringBuilder report)
    {
        Directory.CreateDirectory(results);
        var path = Path.Combine(results, name);
        await File.WriteAllTextAsync(path, report.ToString());
        Console.WriteLine($"written to {path}");
    }

    /// <summary>The built Release server of <paramref name="repo"/>, or null (and how to build it, printed) when it is missing.</summary>
    public static string? ReleaseServer(string repo)
    {
        var dll = Path.Combine(repo, "src/CivicGrid.Server/bin/Release/net10.0/CivicGrid.Server.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        Console.Error.WriteLine($"{dll} not found: build it first (dotnet build src/CivicGrid.Server -c Release -p:SkipWebBuild=true).");
        return null;
    }
}
