using CivicGrid.Server.Commands;
using CivicGrid.Server.Infrastructure.Privacy;

namespace CivicGrid.Server.Features.Households;

/// <summary>
/// The first name of <c>personal-data rotate-key</c>, from when only residents were sealed; kept so operators' scripts
/// still work. It rotates the key of every sealed column, residents' and the others alike (one key ring).
/// </summary>
[OperatorCommand("residents rotate-key", "", "same as personal-data rotate-key (every encrypted column, residents included) [--reseal-only]")]
internal sealed class RotateResidentKeyCommand(FieldVault vault) : IOperatorCommand
{
    public Task<int> RunAsync(CommandContext context) => RotateKeyCommand.RunAsync(context, vault);
}
