using System.Buffers;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>
/// Every open case (not rejected, closed or merged) in memory, bucketed by position, so that the duplicate search that
/// runs on every report reads no database at all (<see cref="DuplicateFinder"/>).
/// </summary>
/// <remarks>
/// <para>Kept current in two ways. <b>This instance's changes</b>: <see cref="Interceptor"/> sees every case a
/// <see cref="CivicGridDbContext"/> adds or changes and applies it once the change is committed (after SaveChanges
/// without an explicit transaction, or when the explicit transaction commits; nothing on a rollback). <b>Everyone
/// else's</b> (other server instances on the same PostgreSQL database, operator commands in another process, SQL by
/// hand): <see cref="ReloadAsync"/> reads all open cases again, on start-up and every
/// <see cref="DuplicateOptions.ReloadInterval"/>. Entries carry the case's version, so a reload that read a row
/// before a local change committed cannot undo that change; a case that became final keeps a tombstone until the
/// next reload for the same reason.</para>
/// <para>Suggestions are advice, so another instance's change reaching this one up to one interval late is
/// acceptable; a merge into a case closed meanwhile is refused by the case itself.</para>
/// </remarks>
public sealed partial class OpenCaseIndex(ILogger<OpenCaseIndex> logger)
{
    /// <summary>Cell edge in degrees of latitude (about 111 m); a search reads the few cells its box touches.</summary>
    private const double CellDegrees = 0.001;

    /// <summary>Rows a reload applies per hold of the lock.</summary>
    private const int ReloadSlice = 2_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Lat, int Lon), Cell> _cells = [];

    /// <summary>A small number per category code seen, for the search's category test; only grows (codes are few).</summary>
    private readonly Dictionary<string, int> _categoryIds = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _clock;
    private CommitHook? _hook;

    /// <summary>A save hook to add to the context options; applies committed case changes to this index.</summary>
    public IInterceptor Interceptor => _hook ??= new CommitHook(this);

    /// <summary>Open cases held now (tombstones not counted).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byNumber.Values.Count(s => !s.Final);
            }
        }
    }

    /// <summary>Completes once the first load from the database has been applied.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>
    /// Open cases of the given categories inside the lon/lat box, reported within [since, until]: at most
    /// <paramref name="limit"/>, the most recently reported first. Each match carries its position and report time from
    /// the index's own arrays; the case's record is read only when the caller asks for it (<see cref="OpenCaseMatch.Case"/>).
    /// </summary>
    /// <remarks>
    /// Each cell is in report-time order, so the search merges the cells the box touches from their newest entries back,
    /// like a k-way merge, and stops after <paramref name="limit"/> matches or at the period's start: a hotspot's older
    /// cases are never read, and the answer comes out already in order.
    /// </remarks>
    public List<OpenCaseMatch> Search(double minLon, double minLat, double maxLon, double maxLat, DateTimeOffset since, DateTimeOffset until,
        IReadOnlySet<string> categories, int limit)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (lat0, lat1) = (CellOf(minLat), CellOf(maxLat));
        var (lon0, lon1) = (CellOf(minLon), CellOf(maxLon));
        var box = new Box(minLon, minLat, maxLon, maxLat, since.UtcTicks, until.UtcTicks);
        var found = new List<OpenCaseMatch>(Math.Min(limit, 16));
        var cursors = ArrayPool<Cursor>.Shared.Rent(16);
        var count = 0;
        try
        {
            lock (_gate)
            {
                // Categories as small numbers: the scan compares an index into this array, never a code string.
                var wanted = new bool[_categoryIds.Count];
                var any = false;
                foreach (var code in categories)
                {
                    if (_categoryIds.TryGetValue(code, out var id))
                    {
                        wanted[id] = any = true;
                    }
                }

                if (!any)
                {
                    return found;
                }

                // One cursor per cell, at its newest match; the cursors form a heap on that match's report time.
                for (var y = lat0; y <= lat1; y++)
                {
                    for (var x = lon0; x <= lon1; x++)
                    {
                        if (!_cells.TryGetValue((y, x), out var cell))
                        {
                            continue;
                        }

                        var cursor = new Cursor(cell.Entries, Cell.After(cell.Entries.AsSpan(0, cell.Count), box.UntilTicks));
                        if (!cursor.MoveToMatch(box, wanted))
                        {
                            continue;
                        }

                        if (count == cursors.Length)
                        {
                            var larger = ArrayPool<Cursor>.Shared.Rent(count * 2);
                            Array.Copy(cursors, larger, count);
                            ArrayPool<Cursor>.Shared.Return(cursors, clearArray: true);
                            cursors = larger;
                        }

                        cursors[count] = cursor;
                        SiftUp(cursors, count++);
                    }
                }

                while (count > 0 && found.Count < limit)
                {
                    ref var newest = ref cursors[0];
                    ref readonly var e = ref newest.Current;
                    found.Add(new OpenCaseMatch(e.Lon, e.Lat, e.ReportedAtTicks, e.Slot!));
                    if (!newest.MoveToMatch(box, wanted))
                    {
                        cursors[0] = cursors[--count];
                        cursors[count] = default;
                    }

                    SiftDown(cursors, count);
                }
            }

            return found;
        }
        finally
        {
            ArrayPool<Cursor>.Shared.Return(cursors, clearArray: true);
        }
    }

    /// <summary>Applies one committed state of a case: added or moved if open, removed if final.</summary>
    public void Apply(OpenCase state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state = OpenCase.Stored(state.Number, state.CategoryCode, state.Status, state.ReportedAt, state.Lon, state.Lat, state.Version);
        lock (_gate)
        {
            ApplyLocked(state, ++_clock);
        }
    }

    /// <summary>
    /// Reads every open case from the database and merges it in: newer versions win; entries this instance has not
    /// touched since the read began and that the database no longer lists as open are dropped.
    /// </summary>
    public async Task ReloadAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        long started;
        lock (_gate)
        {
            started = _clock;
        }

        var rows = await OpenCasesQuery.For(db.Model).ReadAsync(db, ct);

        // In report-time order, so that each case joins the end of its cell rather than the middle (see Cell).
        rows.Sort(static (a, b) => a.ReportedAt.UtcTicks.CompareTo(b.ReportedAt.UtcTicks));
        var seen = new HashSet<string>(rows.Count, StringComparer.Ordinal);
        int dropped = 0, before;
        lock (_gate)
        {
            before = _byNumber.Count;
        }

        // In slices, releasing the lock between them: a city's open cases take tens of milliseconds to apply, and every
        // report's duplicate search waits for this lock. Versions keep each slice correct on its own.
        for (var first = 0; first < rows.Count; first += ReloadSlice)
        {
            lock (_gate)
            {
                for (var i = first; i < Math.Min(first + ReloadSlice, rows.Count); i++)
                {
                    seen.Add(rows[i].Number);
                    ApplyLocked(rows[i], stamp: 0);
                }
            }
        }

        List<Slot> stale;
        lock (_gate)
        {
            stale = [.. _byNumber.Values.Where(s => s.Stamp <= started && !seen.Contains(s.Case.Number))];
            foreach (var slot in stale)
            {
                RemoveLocked(slot);
            }
        }

        dropped = stale.Count;

        _loaded.TrySetResult();
        logger.LogDebug("Open case index reloaded: {Rows} open cases read, {Dropped} dropped, {Before} entries before", rows.Count, dropped, before);
    }

    private void ApplyLocked(OpenCase state, long stamp)
    {
        if (!_categoryIds.TryGetValue(state.CategoryCode, out var category))
        {
            category = _categoryIds.Count;
            _categoryIds.Add(state.CategoryCode, category);
        }

        if (_byNumber.TryGetValue(state.Number, out var slot))
        {
            if (state.Version < slot.Case.Version)
            {
                return;
            }

            // Still open, in the same cell, reported at the same time (a status change, a reload reading it again): its
            // entry keeps its place in the cell's time order and is rewritten there.
            if (slot.Cell is { } cell && !state.Status.IsFinal() && state.ReportedAt.UtcTicks == slot.Ticks && CellKey(state) == cell.Key)
            {
                slot.Case = state;
                slot.Stamp = Math.Max(slot.Stamp, stamp);
                cell.Update(slot, category);
                return;
            }

            slot.Cell?.Remove(slot);
        }
        else
        {
            slot = new Slot();
            _byNumber[state.Number] = slot;
        }

        slot.Case = state;
        slot.Stamp = Math.Max(slot.Stamp, stamp);
        if (!state.Status.IsFinal())
        {
            CellAt(state).Add(slot, category);
        }
        else if (stamp == 0)
        {
            // A reload never needs a tombstone: it is the database's own word.
            _byNumber.Remove(state.Number);
        }
    }

    private void RemoveLocked(Slot slot)
    {
        slot.Cell?.Remove(slot);
        _byNumber.Remove(slot.Case.Number);
    }

    private Cell CellAt(OpenCase c)
    {
        var key = CellKey(c);
        if (!_cells.TryGetValue(key, out var cell))
        {
            cell = new Cell(key);
            _cells[key] = cell;
        }

        return cell;
    }

    private static (int Lat, int Lon) CellKey(OpenCase c) => (CellOf(c.Lat), CellOf(c.Lon));

    private static int CellOf(double degrees) => (int)Math.Floor(degrees / CellDegrees);
}
