using System.Diagnostics;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Routing;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Geography;

/// <summary>
/// Holds the current <see cref="GeographySnapshot"/> and rebuilds it, without stopping service,
/// when the geography or the lessons change: at once when this instance changed them
/// (<see cref="RequestRebuild"/>), and within <see cref="PollInterval"/> when another instance did.
/// </summary>
public sealed class GeographyIndex(IServiceScopeFactory scopes, ILogger<GeographyIndex> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _rebuild = new(0, 1);
    private GeographySnapshot? _current;

    /// <summary>The snapshot in use; null until the first build at start finishes.</summary>
    public GeographySnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Waits for the first snapshot (built right after migrations at start).</summary>
    public async Task<GeographySnapshot> GetAsync(CancellationToken ct)
    {
        await _ready.Task.WaitAsync(ct);
        return Current!;
    }

    /// <summary>Asks for a rebuild soon; calls while one is pending fold into it.</summary>
    public void RequestRebuild()
    {
        if (_rebuild.CurrentCount == 0)
        {
            try
            {
                _rebuild.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller asked at the same moment: one rebuild serves both.
            }
        }
    }

    /// <summary>
    /// Makes a lesson just stored take effect at once on this instance, so the very next report about that building
    /// routes right; the full rebuild that follows (and other instances' polls) picks it up from the database too.
    /// </summary>
    public void ApplyLesson(RoutingOverride lesson)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        while (Current is { } current)
        {
            var overrides = new Dictionary<(OverrideSubject, string), RoutingOverride>(current.Overrides)
            {
                [(lesson.Subject, lesson.SubjectKey)] = lesson,
            };
            var next = new GeographySnapshot(current.Index, current.Grids, current.Buildings, current.Compounds, current.AddressesLongestFirst,
                overrides, current.Version, current.BuildTime);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
            {
                break;
            }
        }

        RequestRebuild();
    }

    /// <summary>Builds a fresh snapshot now and installs it; used at start, by tests and by the rebuild loop.</summary>
    public async Task<GeographySnapshot> RebuildAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var snapshot = await BuildAsync(db, ct);
        Volatile.Write(ref _current, snapshot);
        _ready.TrySetResult();
        logger.LogInformation("Routing index built: {Leaves} leaf grids, {Cells} cells, {Bytes} KiB, {Addresses} addresses, {Lessons} lessons in {Ms} ms",
            snapshot.Index.Count, snapshot.Index.CellCount, snapshot.Index.EstimatedBytes / 1024, snapshot.AddressesLongestFirst.Count,
            snapshot.Overrides.Count, (int)snapshot.BuildTime.TotalMilliseconds);
        return snapshot;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RebuildAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not build the routing index at start; locating is unavailable until it builds");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var asked = await _rebuild.WaitAsync(PollInterval, stoppingToken);
                if (asked || Current is null || await VersionAsync(stoppingToken) != Current.Version)
                {
                    await RebuildAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or DbUpdateException or System.Data.Common.DbException or TimeoutException)
            {
                logger.LogWarning(e, "Routing index rebuild failed; the previous index stays in use");
            }
        }
    }

    private async Task<string> VersionAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await VersionAsync(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(), ct);
    }

    /// <summary>A cheap stamp of everything a snapshot is built from.</summary>
    private static async Task<string> VersionAsync(CivicGridDbContext db, CancellationToken ct)
    {
        var grids = await db.Grids.IgnoreQueryFilters().CountAsync(ct);
        var latestGrid = grids == 0 ? DateTimeOffset.UnixEpoch : await db.Grids.IgnoreQueryFilters().MaxAsync(g => g.ValidFrom, ct);
        var buildings = await db.Buildings.IgnoreQueryFilters().CountAsync(ct);
        var compounds = await db.Compounds.IgnoreQueryFilters().CountAsync(ct);
        var lessons = await db.RoutingOverrides.IgnoreQueryFilters().CountAsync(ct);
        var withdrawn = await db.RoutingOverrides.IgnoreQueryFilters().CountAsync(o => o.WithdrawnAt != null, ct);
        return $"{grids}:{latestGrid.ToUnixTimeMilliseconds()}:{buildings}:{compounds}:{lessons}:{withdrawn}";
    }

    private static async Task<GeographySnapshot> BuildAsync(CivicGridDbContext db, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var version = await VersionAsync(db, ct);
        var grids = await db.Grids.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
        var index = GridIndex.Build([.. grids.Select(g => new IndexedGrid(g.Code, g.ParentCode, g.Kind == GridKind.Dedicated, g.Boundary))]);
        var infos = grids.ToDictionary(g => g.Code, g => new GridInfo(g.Code, g.Name, g.Level, g.Kind, g.ParentCode), StringComparer.Ordinal);

        var buildings = (await db.Buildings.IgnoreQueryFilters().AsNoTracking().Select(b => new { b.Code, b.Address, b.GridCode }).ToListAsync(ct))
            .ToDictionary(b => b.Code, b => new KnownAddress(AddressText.Normalize(b.Address), b.Code, b.GridCode, OverrideSubject.Building), StringComparer.Ordinal);
        var compounds = (await db.Compounds.IgnoreQueryFilters().AsNoTracking().Select(c => new { c.Code, c.Address, c.GridCode }).ToListAsync(ct))
            .ToDictionary(c => c.Code, c => new KnownAddress(AddressText.Normalize(c.Address), c.Code, c.GridCode, OverrideSubject.Compound), StringComparer.Ordinal);
        var addresses = buildings.Values.Concat(compounds.Values).Where(a => a.NormalizedAddress.Length >= 4)
            .OrderByDescending(a => a.NormalizedAddress.Length).ThenBy(a => a.Subject).ToList();

        var lessons = await db.RoutingOverrides.IgnoreQueryFilters().AsNoTracking().Where(o => o.WithdrawnAt == null).ToListAsync(ct);
        var overrides = lessons.GroupBy(o => (o.Subject, o.SubjectKey)).ToDictionary(g => g.Key, g => g.MaxBy(o => o.CreatedAt)!);
        return new GeographySnapshot(index, infos, buildings, compounds, addresses, overrides, version, clock.Elapsed);
    }
}
