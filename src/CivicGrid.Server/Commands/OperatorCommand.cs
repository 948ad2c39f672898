using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Commands;

/// <summary>
/// Names a class as an operator command carried by the server binary (<see cref="OperatorCommands"/> finds it): a feature
/// contributes its commands by putting such classes in its own folder, nothing else to register.
/// </summary>
/// <param name="words">The words that name the command, space-separated ("grids import").</param>
/// <param name="usage">What follows the words, for the help ("&lt;file&gt;"); empty when nothing does.</param>
/// <param name="summary">One line for the help.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OperatorCommandAttribute(string words, string usage, string summary) : Attribute
{
    public IReadOnlyList<string> Words { get; } = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public string Usage { get; } = usage;

    public string Summary { get; } = summary;
}

/// <summary>
/// One operator command. Made for each run by dependency injection in a fresh scope, so a command takes the services it
/// needs in its constructor. Exit codes: 0 done, 1 the work failed or found a problem, 2 the command was used wrongly.
/// </summary>
public interface IOperatorCommand
{
    Task<int> RunAsync(CommandContext context);
}

/// <summary>What a running command gets: its options, where to write, and the database.</summary>
/// <param name="Options">The arguments after the command's words.</param>
public sealed record CommandContext(IReadOnlyList<string> Options, CivicGridDbContext Database, ILogger Logger, TextWriter Out, TextWriter Error)
{
    /// <summary>The value after <paramref name="name"/> (<c>--crs gcj02</c>), or null.</summary>
    public string? Option(string name)
    {
        for (var i = 0; i < Options.Count - 1; i++)
        {
            if (Options[i] == name)
            {
                return Options[i + 1];
            }
        }

        return null;
    }

    /// <summary>True when the bare flag is present (<c>--dry-run</c>).</summary>
    public bool Flag(string name) => Options.Contains(name);

    /// <summary>The first argument that is neither an option name nor an option's value.</summary>
    public string? FirstArgument(params string[] valuedOptions)
    {
        for (var i = 0; i < Options.Count; i++)
        {
            if (valuedOptions.Contains(Options[i]))
            {
                i++;
            }
            else if (!Options[i].StartsWith('-'))
            {
                return Options[i];
            }
        }

        return null;
    }

    /// <summary>Applies pending migrations first, as every command that touches data does.</summary>
    public Task MigrateAsync() => DatabaseInitializer.MigrateAsync(Database, Logger, CancellationToken.None);
}
