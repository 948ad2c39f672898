using System.Text;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Hosting;

/// <summary>Once the server listens, tells the person who started it where to go and, for the demo, how to log in.</summary>
public sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, IServiceScopeFactory scopes, IOptions<DemoOptions> demo,
    IOptions<DatabaseOptions> database, DataDirectory dataDirectory, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = PrintAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task PrintAsync()
    {
        try
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var text = new StringBuilder();
            text.AppendLine().AppendLine("CivicGrid 网格化基层治理平台 is running.");
            foreach (var address in addresses)
            {
                text.AppendLine($"  Open            {address}/  (API reference: {address}/scalar, health: {address}/health/ready)");
            }

            text.AppendLine($"  Database        {database.Value.Provider} (data directory {dataDirectory.Path})");
            if (demo.Value.Enabled)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                var names = DemoAccounts.WellKnown.ToList();
                var users = await db.Users.IgnoreQueryFilters().Where(u => names.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName);
                var scopeCodes = users.Values.Select(u => u.ScopeCode).ToList();
                var scopeNames = await db.Grids.IgnoreQueryFilters().Where(g => scopeCodes.Contains(g.Code)).ToDictionaryAsync(g => g.Code, g => g.Name);
                text.AppendLine($"  Demo accounts   (password for all: {demo.Value.Password})");
                foreach (var userName in names)
                {
                    if (users.TryGetValue(userName, out var user))
                    {
                        var scopeName = user.ScopeCode.Length == 0 ? "全系统" : scopeNames.GetValueOrDefault(user.ScopeCode, user.ScopeCode);
                        text.AppendLine($"    {userName,-14} {string.Join("、", user.Roles.Select(r => r.ToChinese()))}（{scopeName}）");
                    }
                }
            }

            logger.LogInformation("{Banner}", text.ToString());
        }
        catch (Exception e) when (e is InvalidOperationException or DbUpdateException)
        {
            logger.LogWarning(e, "Could not print the start-up banner");
        }
    }
}
