using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CivicGrid.Bench;

switch (args.Length == 0 ? null : args[0])
{
    case "locator":
        var quick = args.Contains("--quick");
        if (!quick)
        {
            var job = Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance);
            var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);
            BenchmarkRunner.Run<LocatorBenchmarks>(config);
        }

        await LocatorReport.RunAsync(quick);
        return 0;
    case "routing":
        return RoutingQualityHarness.Run(args[1..]);
    case "duplicates":
        return DuplicateSearchBench.Run(args[1..]);
    case "patrols":
        return await PatrolBench.RunAsync(args[1..]);
    case "assessment":
        return await AssessmentBench.RunAsync(args[1..]);
    case "doors":
        return await DoorsBench.RunAsync(args[1..]);
    case "dashboard":
        return await DashboardBench.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/CivicGrid.Bench -- locator [--quick]");
        Console.Error.WriteLine("       " + RoutingQualityHarness.Usage);
        Console.Error.WriteLine("       dotnet run -c Release --project bench/CivicGrid.Bench -- " + DuplicateSearchBench.Usage);
        Console.Error.WriteLine("       dotnet run -c Release --project bench/CivicGrid.Bench -- " + PatrolBench.Usage);
        Console.Error.WriteLine("       dotnet run -c Release --project bench/CivicGrid.Bench -- " + AssessmentBench.Usage);
        Console.Error.WriteLine("       dotnet run -c Release --project bench/CivicGrid.Bench -- " + DoorsBench.Usage);
        Console.Error.WriteLine("       dotnet run -c Release --project bench/CivicGrid.Bench -- " + DashboardBench.Usage);
        return 2;
}
