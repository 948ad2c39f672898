using CivicGrid.Server.Commands;

namespace CivicGrid.Server.Features.Open311;

/// <summary>Issues an Open311 API key; the key is printed once, as the last line.</summary>
[OperatorCommand("apikeys create", "--name <name>", "issue an Open311 API key [--jurisdiction <subdistrict code>]; the key is the last line")]
internal sealed class CreateApiKeyCommand(TimeProvider time) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var name = context.Option("--name");
        if (string.IsNullOrWhiteSpace(name))
        {
            await context.Error.WriteLineAsync("Usage: apikeys create --name <name> [--jurisdiction <subdistrict code>]");
            return 2;
        }

        await context.MigrateAsync();
        try
        {
            var (key, secret) = await ApiKeys.IssueAsync(context.Database, name, context.Option("--jurisdiction"), "operator command", time.GetUtcNow(),
                CancellationToken.None);
            context.Logger.LogInformation("Operator command issued Open311 API key {Prefix} ({Name})", key.Prefix, key.Name);
            await context.Out.WriteLineAsync(
                $"Issued Open311 API key {key.Id} '{key.Name}' for {key.JurisdictionCode ?? "every jurisdiction"}. The key (shown once, only its hash is kept):");
            await context.Out.WriteLineAsync(secret);
            return 0;
        }
        catch (ApiKeyRefusedException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}

/// <summary>Lists the Open311 API keys, never the keys themselves.</summary>
[OperatorCommand("apikeys list", "", "list the Open311 API keys (never the keys themselves)")]
internal sealed class ListApiKeysCommand : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        foreach (var key in await ApiKeys.ListAsync(context.Database, CancellationToken.None))
        {
            await context.Out.WriteLineAsync(
                $"{key.Id}  {key.Prefix}…  {(key.RevokedAt is null ? "active " : "revoked")}  {key.JurisdictionCode ?? "(all)",-9}  {key.CreatedAt:yyyy-MM-dd}  {key.Name}");
        }

        return 0;
    }
}

/// <summary>Revokes an Open311 API key; it stays listed.</summary>
[OperatorCommand("apikeys revoke", "<id|prefix>", "revoke an Open311 API key")]
internal sealed class RevokeApiKeyCommand(TimeProvider time) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var which = context.FirstArgument();
        if (which is null)
        {
            await context.Error.WriteLineAsync("Usage: apikeys revoke <id | prefix>");
            return 2;
        }

        await context.MigrateAsync();
        var key = await ApiKeys.RevokeAsync(context.Database, which, time.GetUtcNow(), CancellationToken.None);
        if (key is null)
        {
            await context.Error.WriteLineAsync($"No single API key matches '{which}'.");
            return 1;
        }

        context.Logger.LogInformation("Operator command revoked Open311 API key {Prefix} ({Name})", key.Prefix, key.Name);
        await context.Out.WriteLineAsync($"Revoked API key {key.Id} '{key.Name}'.");
        return 0;
    }
}
