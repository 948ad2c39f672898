using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;
using CivicGrid.Domain.Routing;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// The one EF Core model of CivicGrid. It knows the domain's aggregates and nothing of the features: every
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in the server assembly is applied (a feature keeps its tables, indexes
/// and scope rule beside its entities, see <see cref="EntityModel"/>), a feature reaches its own tables through
/// <c>Set&lt;T&gt;()</c> or the extension properties it declares, and a feature takes part in saves through
/// <see cref="ISaveHook"/> or an EF Core interceptor registered in the services. Provider-specific mapping (time stamps,
/// geometry encoding) lives in <see cref="SqliteCivicGridDbContext"/> and <see cref="PostgresCivicGridDbContext"/>,
/// which also own their migrations.
/// <para>
/// Scope is enforced in one place: every scoped entity has a global query filter that keeps only rows inside the
/// caller's subtree (a code prefix), or, for a resident, the rows they own. Code that must see everything (login, the
/// locator index, jobs) asks for it explicitly with <c>IgnoreQueryFilters()</c> or runs under <see cref="Scope.System"/>.
/// </para>
/// </summary>
public abstract partial class CivicGridDbContext(DbContextOptions options, IScopeAccessor scopeAccessor) : DbContext(options)
{
    private Dictionary<Type, object>? _saveState;

    /// <summary>The key ring of sealed columns (<see cref="SealedColumns"/>); null for a context made without the application's services.</summary>
    internal Privacy.FieldVault? Vault { get; } = SealedColumns.VaultOf(options);

    /// <summary>
    /// The blind index of <paramref name="value"/> as a <paramref name="kind"/> (<c>Privacy.FieldVault.PhoneField</c>…):
    /// compare it with a sealed column's index column (<see cref="EntityModel.BlindIndex{T}"/>) to find rows by an exact value.
    /// </summary>
    public string BlindIndex(string kind, string value) =>
        (Vault ?? throw new InvalidOperationException("This context was made without the application's key ring.")).Index(kind, value);

    public DbSet<Grid> Grids => Set<Grid>();

    /// <summary>
    /// The name of a grid by its code, whatever the caller's scope (a name shown beside something the caller already sees:
    /// a case's grid, an account's or an organisation's region); null for an unknown code.
    /// </summary>
    public Task<string?> GridNameAsync(string code, CancellationToken ct) =>
        Grids.IgnoreQueryFilters().AsNoTracking().Where(g => g.Code == code).Select(g => g.Name).FirstOrDefaultAsync(ct);

    public DbSet<GridVersion> GridVersions => Set<GridVersion>();

    public DbSet<Compound> Compounds => Set<Compound>();

    public DbSet<Building> Buildings => Set<Building>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<CaseCategory> CaseCategories => Set<CaseCategory>();

    public DbSet<Case> Cases => Set<Case>();

    public DbSet<RoutingOverride> RoutingOverrides => Set<RoutingOverride>();

    public DbSet<SystemSetting> SystemSettings => Set<SystemSetting>();

    /// <summary>Idempotency keys of creates and their stored answers; not scoped (keys are per caller).</summary>
    public DbSet<Http.Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Http.Idempotency.IdempotencyRecord>();

    /// <summary>Audit of every full view of a case's personal data; scoped by the case's grid.</summary>
    public DbSet<Privacy.PersonalDataReveal> PersonalDataReveals => Set<Privacy.PersonalDataReveal>();

    /// <summary>Scheduled jobs' shared state (next run, lease); not scoped (only the runner reads it).</summary>
    public DbSet<Jobs.ScheduledJobState> ScheduledJobs => Set<Jobs.ScheduledJobState>();

    /// <summary>One-off job actions already done; not scoped.</summary>
    public DbSet<Jobs.JobMark> JobMarks => Set<Jobs.JobMark>();

    /// <summary>
    /// State that save hooks and interceptors keep on this context between a save and its transaction's commit, by
    /// their own key type (for example the open-case index's pending case states).
    /// </summary>
    /// <returns>The state of type <typeparamref name="T"/>, made now when <paramref name="create"/> is true; else null when there is none.</returns>
    internal T? SaveState<T>(bool create)
        where T : class, new()
    {
        if (_saveState is not null && _saveState.TryGetValue(typeof(T), out var state))
        {
            return (T)state;
        }

        if (!create)
        {
            return null;
        }

        var made = new T();
        (_saveState ??= []).Add(typeof(T), made);
        return made;
    }

    /// <summary>
    /// The scope queries are filtered by, read when each query runs (not when the context is made:
    /// in a request the context may be created before authentication has set the caller).
    /// </summary>
    public Scope Scope => scopeAccessor.Current;

    /// <summary>The provider this context maps to.</summary>
    internal abstract DatabaseProvider Provider { get; }

    // The query filters (EntityModel.Scoped) read these members of the context; EF Core turns them into parameters of
    // each query, so one compiled model serves every caller.
    internal bool ScopeIsWholeSystem => Scope.IsWholeSystem;

    internal bool ScopeIsOwnRecordsOnly => Scope.OwnRecordsOnly;

    internal string ScopeCode => Scope.Code;

    internal Guid ScopeUserId => Scope.UserId;

    internal bool ScopeIsOwnCasesOnly => Scope.OwnCasesOnly;

    protected override void OnModelCreating(ModelBuilder modelBuilder) => new EntityModel(this, Provider, Vault).ApplyConfigurations(modelBuilder);
}
