using CivicGrid.Server.Commands;

namespace CivicGrid.Server.Features.Audit;

/// <summary>Re-computes every case timeline's hash chain and names each case whose stored entries were tampered with.</summary>
[OperatorCommand("audit verify", "", "re-compute every case timeline's hash chain; exit 1 when one was tampered with")]
internal sealed class AuditVerifyCommand(TimelineAudit audit) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        var report = await audit.VerifyAsync(CancellationToken.None);
        foreach (var broken in report.Broken)
        {
            await context.Out.WriteLineAsync($"BROKEN case {broken.CaseNumber}: timeline entry {broken.BrokenAtSequence} does not match its hash chain");
        }

        await context.Out.WriteLineAsync(report.IsIntact
            ? $"Timelines intact: {report.CasesChecked} cases, {report.EntriesChecked} entries verified."
            : $"{report.Broken.Count} of {report.CasesChecked} cases have a broken timeline ({report.EntriesChecked} entries checked).");
        if (!report.IsIntact)
        {
            context.Logger.LogCritical("Audit verify found {Broken} cases with a broken timeline", report.Broken.Count);
        }

        return report.IsIntact ? 0 : 1;
    }
}
