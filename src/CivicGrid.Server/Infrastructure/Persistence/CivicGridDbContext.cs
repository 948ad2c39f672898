using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;
using CivicGrid.Domain.Routing;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// The one EF Core model of CivicGrid. Provider-specific mapping (geometry columns, time stamps)
/// lives in <see cref="SqliteCivicGridDbContext"/> and <see cref="PostgresCivicGridDbContext"/>,
/// which also own their migrations.
/// <para>
/// Scope is enforced here, in one place: every scoped entity has a global query filter that keeps
/// only rows inside the caller's subtree (a code prefix), or, for a resident, the rows they own.
/// Code that must see everything (login, the locator index, jobs) asks for it explicitly with
/// <c>IgnoreQueryFilters()</c> or runs under <see cref="Scope.System"/>.
/// </para>
/// </summary>
public abstract partial class CivicGridDbContext(DbContextOptions options, IScopeAccessor scopeAccessor) : DbContext(options)
{

    public DbSet<Grid> Grids => Set<Grid>();

    public DbSet<GridVersion> GridVersions => Set<GridVersion>();

    public DbSet<Compound> Compounds => Set<Compound>();

    public DbSet<Building> Buildings => Set<Building>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<CaseCategory> CaseCategories => Set<CaseCategory>();

    public DbSet<Case> Cases => Set<Case>();

    public DbSet<RoutingOverride> RoutingOverrides => Set<RoutingOverride>();

    /// <summary>Photos of cases; read only through a case the caller may see.</summary>
    public DbSet<Features.Cases.StoredPhoto> CasePhotos => Set<Features.Cases.StoredPhoto>();

    /// <summary>Daily case-number counters; written only by intake, never read by a caller.</summary>
    public DbSet<Features.Cases.CaseNumberCounter> CaseNumberCounters => Set<Features.Cases.CaseNumberCounter>();

    public DbSet<Features.Cases.LocationClaim> LocationClaims => Set<Features.Cases.LocationClaim>();

    public DbSet<Features.Cases.DistrictReferral> DistrictReferrals => Set<Features.Cases.DistrictReferral>();

    public DbSet<Features.Cases.JointMeeting> JointMeetings => Set<Features.Cases.JointMeeting>();

    public DbSet<Features.District.DistrictDelivery> DistrictDeliveries => Set<Features.District.DistrictDelivery>();

    public DbSet<Features.Hotline.HotlineMapping> HotlineMappings => Set<Features.Hotline.HotlineMapping>();

    public DbSet<SystemSetting> SystemSettings => Set<SystemSetting>();

    /// <summary>Idempotency keys of creates and their stored answers; not scoped (keys are per caller).</summary>
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>Audit of every full view of a case's personal data; scoped by the case's grid.</summary>
    public DbSet<PersonalDataReveal> PersonalDataReveals => Set<PersonalDataReveal>();

    /// <summary>In-app inboxes; each user sees only their own.</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>SMS and WeChat messages waiting for the dispatcher; not scoped (only the system reads them).</summary>
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<CaseFollower> CaseFollowers => Set<CaseFollower>();

    public DbSet<UserChannelAddress> UserChannelAddresses => Set<UserChannelAddress>();

    /// <summary>Open311 clients' keys (hashes only); not scoped (only the system admin lists them).</summary>
    public DbSet<Features.Open311.ApiKey> ApiKeys => Set<Features.Open311.ApiKey>();

    /// <summary>Which key filed which case through Open311; not scoped (read with the case it names).</summary>
    public DbSet<Features.Open311.Open311Request> Open311Requests => Set<Features.Open311.Open311Request>();

    /// <summary>Scheduled jobs' shared state (next run, lease); not scoped (only the runner reads it).</summary>
    public DbSet<ScheduledJobState> ScheduledJobs => Set<ScheduledJobState>();

    /// <summary>One-off job actions already done; not scoped.</summary>
    public DbSet<JobMark> JobMarks => Set<JobMark>();

    /// <summary>The device registry; scoped by the grid each device lies in.</summary>
    public DbSet<Features.Devices.Device> Devices => Set<Features.Devices.Device>();

    /// <summary>Alarm type → case category; not scoped (the catalogue's extension for devices).</summary>
    public DbSet<Features.Devices.DeviceAlarmType> DeviceAlarmTypes => Set<Features.Devices.DeviceAlarmType>();

    /// <summary>Which case a device's alarm opened; read only by the device intake, as the system.</summary>
    public DbSet<Features.Devices.DeviceCase> DeviceCases => Set<Features.Devices.DeviceCase>();

    /// <summary>Nonces of signed device messages inside the acceptance window; not scoped.</summary>
    public DbSet<Features.Devices.DeviceNonce> DeviceNonces => Set<Features.Devices.DeviceNonce>();

    /// <summary>
    /// Case states this context is saving ("unsaved") or saved inside a transaction not yet committed ("pending"), for the
    /// in-memory index of open cases (<see cref="Features.Cases.OpenCaseIndex"/>), which applies them on commit.
    /// </summary>
    internal Features.Cases.OpenCaseStates OpenCaseStates { get; } = new();

    /// <summary>
    /// The scope queries are filtered by, read when each query runs (not when the context is made:
    /// in a request the context may be created before authentication has set the caller).
    /// </summary>
    public Scope Scope => scopeAccessor.Current;

    // The query filters read these members of the context; EF Core turns them into parameters of
    // each query, so one compiled model serves every caller.
    private bool ScopeIsWholeSystem => Scope.IsWholeSystem;

    private bool ScopeIsOwnRecordsOnly => Scope.OwnRecordsOnly;

    private string ScopeCode => Scope.Code;

    private Guid ScopeUserId => Scope.UserId;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CivicGridDbContext).Assembly,
            t => t.Namespace == typeof(Configurations.GridConfiguration).Namespace);

        modelBuilder.Entity<Grid>().HasQueryFilter(g =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && g.Code.StartsWith(ScopeCode)));
        modelBuilder.Entity<GridVersion>().HasQueryFilter(g =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && g.Code.StartsWith(ScopeCode)));
        modelBuilder.Entity<Compound>().HasQueryFilter(c =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && c.GridCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<Building>().HasQueryFilter(b =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && b.GridCode.StartsWith(ScopeCode)));

        // An organisation is visible to staff below the region it serves (a police station serving
        // the subdistrict is visible to a grid leader in it) and to staff above it.
        modelBuilder.Entity<Organisation>().HasQueryFilter(o =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && (o.ScopeCode.StartsWith(ScopeCode) || ScopeCode.StartsWith(o.ScopeCode))));

        modelBuilder.Entity<UserAccount>().HasQueryFilter(u =>
            ScopeIsWholeSystem || (ScopeIsOwnRecordsOnly ? u.Id == ScopeUserId : u.ScopeCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<UserSession>().HasQueryFilter(s => ScopeIsWholeSystem || s.UserId == ScopeUserId);
        modelBuilder.Entity<RoutingOverride>().HasQueryFilter(o =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && o.ToGridCode.StartsWith(ScopeCode)));
        // Staff see the cases of their subtree, and a case assigned to them personally wherever it lies (a worker of the
        // next micro-grid asked to help, a property manager serving compounds in two grids).
        modelBuilder.Entity<Case>().HasQueryFilter(c =>
            ScopeIsWholeSystem
            || (ScopeIsOwnRecordsOnly ? c.ReporterId == ScopeUserId : c.GridCode.StartsWith(ScopeCode) || c.AssigneeUserId == ScopeUserId));

        // A candidate grid's staff see the offer of an ambiguous case (not the case) until someone claims it.
        modelBuilder.Entity<Features.Cases.LocationClaim>().HasQueryFilter(c =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && c.GridCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<Features.Cases.DistrictReferral>().HasQueryFilter(r =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && r.SubdistrictCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<Features.District.DistrictDelivery>().HasQueryFilter(d =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && d.SubdistrictCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<Features.Cases.JointMeeting>().HasQueryFilter(m =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && m.SubdistrictCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<Features.Devices.Device>().HasQueryFilter(d =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && d.GridCode.StartsWith(ScopeCode)));
        modelBuilder.Entity<PersonalDataReveal>().HasQueryFilter(r =>
            ScopeIsWholeSystem || (!ScopeIsOwnRecordsOnly && r.GridCode.StartsWith(ScopeCode)));

        // Inboxes and what hangs on them are personal, whatever the caller's subtree.
        modelBuilder.Entity<Notification>().HasQueryFilter(n => ScopeIsWholeSystem || n.UserId == ScopeUserId);
        modelBuilder.Entity<CaseFollower>().HasQueryFilter(f => ScopeIsWholeSystem || f.UserId == ScopeUserId);
        modelBuilder.Entity<UserChannelAddress>().HasQueryFilter(a => ScopeIsWholeSystem || a.UserId == ScopeUserId);
    }
}
