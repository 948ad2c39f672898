namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// A feature's part in every save of <see cref="CivicGridDbContext"/>, whoever saves (an endpoint, a job, intake, the
/// demo): it may add or change tracked rows so they are written in the same transaction as the change that called for
/// them. Register it as a singleton with <see cref="SaveHookRegistration.AddSaveHook{THook}"/>; the context finds every
/// registered hook and runs them in registration order before it writes.
/// </summary>
public interface ISaveHook
{
    /// <summary>
    /// Runs before the rows are written. Returns what to do once the save is over (called with true when it was
    /// written, false when it failed), or null when there is nothing to do.
    /// </summary>
    ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct);

    /// <summary>
    /// True when this save will make the hook write rows of its own (plain SQL) that must commit with the save's rows: a save
    /// with no transaction open then gets one, begun before the hooks run and committed after the save.
    /// </summary>
    bool NeedsTransaction(CivicGridDbContext db) => false;
}

public static class SaveHookRegistration
{
    /// <summary>Adds a save hook that every context of this application runs (see <see cref="ISaveHook"/>).</summary>
    public static IServiceCollection AddSaveHook<THook>(this IServiceCollection services)
        where THook : class, ISaveHook
    {
        services.AddSingleton<ISaveHook, THook>();
        return services;
    }
}
