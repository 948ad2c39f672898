using System.Globalization;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Demo;

/// <summary>
/// Adds millions of generated cases to a database that has its grids, for benchmarks at production size. Generated
/// history is not a subdistrict's record, so the command refuses in Production unless <c>--force</c> says the operator
/// means it (a staging copy configured as Production).
/// </summary>
[OperatorCommand("seed scale", "--cases N [--seed S] [--years Y] [--force]",
    "add N generated cases over the last Y years (default 3) to a database that has its grids (after seed demo or a grid import), with their roll-ups; not in Production without --force")]
internal sealed class SeedScaleCommand(ScaleSeeder seeder, IHostEnvironment environment) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        if (!long.TryParse(context.Option("--cases"), NumberStyles.None, CultureInfo.InvariantCulture, out var cases)
            || !int.TryParse(context.Option("--seed") ?? "1", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
            || !int.TryParse(context.Option("--years") ?? "3", NumberStyles.None, CultureInfo.InvariantCulture, out var years))
        {
            await context.Error.WriteLineAsync("usage: seed scale --cases N [--seed S] [--years Y] [--force]");
            return 2;
        }

        if (environment.IsProduction() && !context.Flag("--force"))
        {
            await context.Error.WriteLineAsync(
                "seed scale writes generated cases; it refuses in Production. Add --force only for a copy that is not a subdistrict's record.");
            return 1;
        }

        await context.MigrateAsync();
        if (await seeder.RefusalAsync(cases, years, CancellationToken.None) is { } refusal)
        {
            await context.Error.WriteLineAsync(refusal);
            return 1;
        }

        var lastReport = TimeSpan.Zero;
        var result = await seeder.SeedAsync(cases, seed, years, (written, elapsed) =>
        {
            if (elapsed - lastReport >= TimeSpan.FromSeconds(5) || written == cases)
            {
                lastReport = elapsed;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{written:N0} of {cases:N0} cases written, {written / Math.Max(elapsed.TotalSeconds, 0.001):N0}/s"));
            }
        }, CancellationToken.None);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {result.Cases:N0} cases over {years} years in {result.Grids} micro-grids and {result.Categories} categories in {result.Elapsed.TotalSeconds:F1} s "
            + $"({result.CasesPerSecond:N0} cases/s with the roll-ups: {result.CountRows:N0} count rows and {result.OpenRows:N0} open rows written in {result.RollupTime.TotalSeconds:F1} s; "
            + $"generating {result.GenerationTime.TotalSeconds:F1} s beside the writes, which waited {result.WaitTime.TotalSeconds:F1} s for it; "
            + $"{result.IndexesRebuilt} indexes built after the load in {result.IndexTime.TotalSeconds:F1} s; {BulkRows.Timings})."));
        return 0;
    }
}
