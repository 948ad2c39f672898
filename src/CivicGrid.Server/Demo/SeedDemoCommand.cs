using CivicGrid.Server.Commands;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Demo;

/// <summary>Loads the demo subdistrict into an empty database; only in Development (its accounts share a known password).</summary>
[OperatorCommand("seed demo", "", "load the demo subdistrict into an empty database (Development only)")]
internal sealed class SeedDemoCommand(DemoSeeder seeder, IOptions<DemoOptions> options, IHostEnvironment environment) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        if (!environment.IsDevelopment())
        {
            await context.Error.WriteLineAsync(DemoOptions.OnlyInDevelopment(environment.EnvironmentName));
            return 1;
        }

        await context.MigrateAsync();
        if (!await seeder.SeedAsync(options.Value.Password, options.Value.Seed, CancellationToken.None))
        {
            await context.Error.WriteLineAsync("The database already holds grids; the demo is loaded only into an empty database.");
            return 1;
        }

        await context.Out.WriteLineAsync("Demo subdistrict loaded. Every demo account's password is the Demo:Password setting.");
        return 0;
    }
}
