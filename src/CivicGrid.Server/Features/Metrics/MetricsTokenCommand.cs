using CivicGrid.Server.Commands;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Metrics;

/// <summary>
/// Generates the Prometheus scrape token into the data directory (readable by the owner only) and prints it once, for the
/// scraper's <c>authorization.credentials_file</c>. An existing token is kept unless <c>--replace</c> is given; a token
/// set in <c>Metrics:ScrapeToken</c> takes precedence over the file. Running servers read the file at their first scrape,
/// so a replaced token takes effect when they restart.
/// </summary>
[OperatorCommand("metrics token", "[--replace]", "generate the Prometheus scrape token in the data directory and print it")]
internal sealed class MetricsTokenCommand(IOptions<MetricsOptions> options, DataDirectory dataDirectory, SecurityAudit audit) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var file = ScrapeToken.FileOf(options.Value, dataDirectory);
        if (File.Exists(file) && !context.Flag("--replace"))
        {
            await context.Error.WriteLineAsync($"A scrape token already exists in {file}; give --replace to generate a new one.");
            return 1;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var token = ScrapeToken.Generate();
        await File.WriteAllTextAsync(file, token + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await context.MigrateAsync();
        audit.Record(context.Database, SecurityEventKind.ConfigurationChanged, null, "运维命令生成了运行指标采集令牌（Prometheus）", actorName: $"operator:{Environment.UserName}");
        await context.Database.SaveChangesAsync();
        if (!string.IsNullOrWhiteSpace(options.Value.ScrapeToken))
        {
            await context.Error.WriteLineAsync("Note: Metrics:ScrapeToken is set and takes precedence over this file.");
        }

        await context.Out.WriteLineAsync($"Scrape token written to {file} (shown once; give it to Prometheus as a bearer token):");
        await context.Out.WriteLineAsync(token);
        return 0;
    }
}
