using System.Reflection;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Commands;

/// <summary>
/// Operator commands carried by the server binary, so an operator needs one program. Each command is a class marked
/// with <see cref="OperatorCommandAttribute"/> in the folder of the feature it belongs to; this class finds them,
/// splits the command words off the arguments and runs the one named.
/// </summary>
public static class OperatorCommands
{
    /// <summary>Every command in this assembly, the longest words first so that "grids import" wins over a "grids".</summary>
    private static readonly Lazy<IReadOnlyList<(OperatorCommandAttribute Info, Type Type)>> All = new(() =>
        [.. typeof(OperatorCommands).Assembly.GetTypes()
            .Select(t => (Info: t.GetCustomAttribute<OperatorCommandAttribute>(), Type: t))
            .Where(c => c.Info is not null && typeof(IOperatorCommand).IsAssignableFrom(c.Type))
            .Select(c => (c.Info!, c.Type))
            .OrderByDescending(c => c.Item1.Words.Count).ThenBy(c => string.Join(' ', c.Item1.Words), StringComparer.Ordinal)]);

    /// <summary>Where the running command writes: the console, or the writers a caller (a test) gave to <see cref="RunAsync"/>.</summary>
    private static readonly AsyncLocal<(TextWriter Out, TextWriter Error)?> Writers = new();

    /// <summary>
    /// Splits the command words off the front of <paramref name="args"/>; the rest (options such as
    /// <c>--Database:Provider=Postgres</c> and the command's own options) go to the host configuration.
    /// Null when the arguments name no command: then the web server starts.
    /// </summary>
    public static string[]? Parse(string[] args, out string[] rest)
    {
        foreach (var (info, _) in All.Value)
        {
            if (args.Length >= info.Words.Count && info.Words.Select((w, i) => args[i] == w).All(x => x))
            {
                rest = args[info.Words.Count..];
                return [.. info.Words];
            }
        }

        rest = args;
        return args.Length > 0 && !args[0].StartsWith('-') ? [args[0]] : null;
    }

    /// <param name="output">Where to write what the command prints; the console when null. Tests capture it here rather than
    /// redirecting the process's console, which tests running beside them also write to.</param>
    /// <param name="error">Where to write errors; the console's error stream when null.</param>
    public static async Task<int> RunAsync(string[] command, string[] options, IServiceProvider services, TextWriter? output = null,
        TextWriter? error = null)
    {
        if (output is not null || error is not null)
        {
            Writers.Value = (output ?? Console.Out, error ?? Console.Error);
        }

        var @out = Writers.Value?.Out ?? Console.Out;
        var err = Writers.Value?.Error ?? Console.Error;
        var found = All.Value.FirstOrDefault(c => c.Info.Words.SequenceEqual(command, StringComparer.Ordinal));
        if (found.Type is null)
        {
            await err.WriteLineAsync($"Unknown command '{string.Join(' ', command)}'.");
            await @out.WriteLineAsync(Help());
            return 2;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CivicGrid.Commands");
        await using var scope = services.CreateAsyncScope();
        var context = new CommandContext(options, scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(), logger, @out, err);
        var instance = (IOperatorCommand)ActivatorUtilities.CreateInstance(scope.ServiceProvider, found.Type);
        return await instance.RunAsync(context);
    }

    /// <summary>The list of commands with their usage, in the order of their words.</summary>
    public static string Help()
    {
        var lines = All.Value.OrderBy(c => string.Join(' ', c.Info.Words), StringComparer.Ordinal)
            .Select(c => (Head: string.Join(' ', c.Info.Words) + (c.Info.Usage.Length > 0 ? " " + c.Info.Usage : string.Empty), c.Info.Summary))
            .ToList();
        var width = lines.Max(l => l.Head.Length) + 3;
        return "CivicGrid operator commands (dotnet run --project src/CivicGrid.Server -- <command>):\n"
            + string.Concat(lines.Select(l => $"  {l.Head.PadRight(width)}{l.Summary}\n"))
            + "Settings go after the command as usual, e.g. --Database:Provider=Postgres --Database:ConnectionString=\"Host=...\".";
    }
}

/// <summary>The list of commands.</summary>
[OperatorCommand("help", "", "list the commands")]
internal sealed class HelpCommand : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.Out.WriteLineAsync(OperatorCommands.Help());
        return 0;
    }
}

/// <summary>Brings the database schema up to date.</summary>
[OperatorCommand("migrate", "", "apply pending database migrations")]
internal sealed class MigrateCommand : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        await context.Out.WriteLineAsync($"Database is up to date ({context.Database.Database.ProviderName}).");
        return 0;
    }
}
