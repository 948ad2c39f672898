using CivicGrid.Server.Commands;

namespace CivicGrid.Server.Features.Dashboard;

[OperatorCommand("rollups verify", "", "recount the dashboards' roll-ups from every case and compare; exit 1 and name the rows that differ")]
internal sealed class RollupsVerifyCommand(CaseRollupCheck check) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        var report = await check.CompareAsync(CancellationToken.None);
        foreach (var m in report.Mismatches)
        {
            await context.Out.WriteLineAsync($"DIFFERS {m.Table} {m.Key}: stored {m.Stored}, recounted {m.Recounted}");
        }

        await context.Out.WriteLineAsync(report.Matches
            ? $"Roll-ups match a recount of {report.CasesCounted} cases ({report.CountRows} count rows, {report.OpenRows} open rows)."
            : $"Roll-ups differ from a recount of {report.CasesCounted} cases (first {report.Mismatches.Count} differences above); run `rollups rebuild`.");
        return report.Matches ? 0 : 1;
    }
}

[OperatorCommand("rollups rebuild", "", "replace the dashboards' roll-ups with a recount from every case (safe while serving: one transaction)")]
internal sealed class RollupsRebuildCommand(CaseRollupCheck check) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        var cases = await check.RebuildAsync(CancellationToken.None);
        await context.Out.WriteLineAsync($"Roll-ups rebuilt from {cases} cases.");
        return 0;
    }
}
