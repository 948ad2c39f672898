using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>Gives the scope of whoever the current unit of work acts for.</summary>
public interface IScopeAccessor
{
    Scope Current { get; }
}

/// <summary>A fixed scope: the system itself in operator commands, jobs and start-up work.</summary>
public sealed class FixedScopeAccessor(Scope scope) : IScopeAccessor
{
    public static FixedScopeAccessor System { get; } = new(Scope.System);

    public Scope Current { get; } = scope;
}
