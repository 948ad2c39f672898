using CivicGrid.Server.Commands;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Households;

/// <summary>
/// Key rotation for residents' personal data: writes a new key and re-seals every resident still under an older one, in
/// batches. With <c>--reseal-only</c> no key is added (finish an interrupted rotation). Old keys stay in the folder so that a
/// restored backup can still be read; delete one only after every row and backup is past it.
/// </summary>
[OperatorCommand("residents rotate-key", "", "write a new key for residents' personal data and re-encrypt every resident with it [--reseal-only]")]
internal sealed class RotateResidentKeyCommand(ResidentVault vault) : IOperatorCommand
{
    private const int BatchSize = 500;

    public async Task<int> RunAsync(CommandContext context)
    {
        var key = context.Options.Contains("--reseal-only") ? vault.CurrentKeyId : vault.AddKey();
        var resealed = await ResealAllAsync(context.Database, vault, CancellationToken.None);
        await context.Out.WriteLineAsync($"Resident key {key} is current; {resealed} resident(s) re-encrypted with it.");
        return 0;
    }

    /// <summary>Re-seals every resident (all scopes) not yet under the current key; returns how many.</summary>
    public static async Task<int> ResealAllAsync(Infrastructure.Persistence.CivicGridDbContext db, ResidentVault vault, CancellationToken ct)
    {
        var count = 0;
        for (var offset = 0; ; offset += BatchSize)
        {
            // Re-sealing changes no id, so paging by offset over the id order visits every row once.
            var batch = await db.Residents.IgnoreQueryFilters().OrderBy(r => r.Id).Skip(offset).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return count;
            }

            count += batch.Count(vault.Reseal);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }
}
