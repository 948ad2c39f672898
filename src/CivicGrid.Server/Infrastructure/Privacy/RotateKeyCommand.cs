using CivicGrid.Server.Commands;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Infrastructure.Privacy;

/// <summary>
/// Key rotation for personal data at rest (ADR 0019): writes a new key and re-seals, in batches, every value of every
/// sealed column still under an older key — residents, cases' callers, timelines, accounts, the roster, council members,
/// followers — and any clear text left from before a column was sealed. With <c>--reseal-only</c> no key is added (finish
/// an interrupted rotation). Old keys stay in the folder so that a restored backup can still be read; delete one only
/// after every row and backup is past it.
/// </summary>
[OperatorCommand("personal-data rotate-key", "", "write a new key for personal data at rest and re-encrypt every encrypted column with it [--reseal-only]")]
internal sealed class RotateKeyCommand(FieldVault vault) : IOperatorCommand
{
    public Task<int> RunAsync(CommandContext context) => RunAsync(context, vault);

    /// <summary>The rotation, shared with the older name of the command (<c>residents rotate-key</c>).</summary>
    public static async Task<int> RunAsync(CommandContext context, FieldVault vault)
    {
        var key = context.Options.Contains("--reseal-only") ? vault.CurrentKeyId : vault.AddKey();
        var rewritten = await ColumnSealer.ResealAsync(context.Database, vault, CancellationToken.None);
        await context.Out.WriteLineAsync($"Personal data key {key} is current; {rewritten} row(s) re-encrypted with it.");
        return 0;
    }
}
