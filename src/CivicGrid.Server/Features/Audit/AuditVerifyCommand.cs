using CivicGrid.Server.Commands;

namespace CivicGrid.Server.Features.Audit;

/// <summary>
/// Re-computes every case timeline's hash chain and the security audit trail's chain, and names what was tampered with.
/// </summary>
[OperatorCommand("audit verify", "", "re-compute the hash chains of every case timeline and of the security audit trail; exit 1 when one was tampered with")]
internal sealed class AuditVerifyCommand(TimelineAudit audit, SecurityChainVerifier securityChain) : IOperatorCommand
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

        var security = await securityChain.VerifyAsync(CancellationToken.None);
        await context.Out.WriteLineAsync(security.IsIntact
            ? $"Security audit trail intact: {security.EntriesChecked} entries verified."
            : $"BROKEN security audit trail at entry {security.BrokenAtSequence}: {security.Problem}");
        if (!security.IsIntact)
        {
            context.Logger.LogCritical("Audit verify found the security audit trail broken at entry {Sequence}: {Problem}",
                security.BrokenAtSequence, security.Problem);
        }

        return report.IsIntact && security.IsIntact ? 0 : 1;
    }
}
