using Microsoft.Extensions.DependencyInjection.Extensions;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Infrastructure.Hosting;

var command = OperatorCommands.Parse(args, out var hostArgs);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddCivicGrid();
if (command is not null)
{
    // Commands run alone: no web server, no start-up work beyond what they ask for.
    builder.Services.RemoveAll<IHostedService>();
}

var app = builder.Build();
if (command is not null)
{
    return await OperatorCommands.RunAsync(command, hostArgs, app.Services);
}

app.MapCivicGrid();
await app.RunAsync();
return 0;

/// <summary>The server's entry point; public so that tests can host it.</summary>
public partial class Program;
