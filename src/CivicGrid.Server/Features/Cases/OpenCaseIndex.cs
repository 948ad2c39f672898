using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases;

/// <summary>One open case as the duplicate search needs it: public facts and where it is.</summary>
/// <param name="ReportedAt">
/// Kept to the whole millisecond (see <see cref="Stored"/>): SQLite stores milliseconds and PostgreSQL microseconds, so a
/// time read back from either must never be earlier than the index's own copy of it.
/// </param>
/// <param name="Version">The case's version when this was read; a newer one replaces an older one, never the reverse.</param>
public sealed record OpenCase(string Number, string CategoryCode, CaseStatus Status, DateTimeOffset ReportedAt, double Lon, double Lat, int Version)
{
    /// <summary>A case's state with its report time cut to the whole millisecond, whatever precision it came with.</summary>
    public static OpenCase Stored(string number, string categoryCode, CaseStatus status, DateTimeOffset reportedAt, double lon, double lat, int version) =>
        new(number, categoryCode, status, new DateTimeOffset(reportedAt.UtcTicks - (reportedAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
            lon, lat, version);
}

/// <summary>One answer of <see cref="OpenCaseIndex.Search"/>: where and when the case was reported, and the case.</summary>
/// <remarks>
/// The position and time are copied from the index's arrays under its lock. The case's record is another object on the
/// heap, and a search in a hotspot answers a hundred matches of which the caller keeps a few: reading every record was
/// a cache miss per match, most of the duplicate search's time under load. So <see cref="Case"/> reads it on demand:
/// the case's latest state at that moment, which may be newer than the search (rarely, already final).
/// </remarks>
public readonly struct OpenCaseMatch
{
    private readonly OpenCaseIndex.CaseHolder _slot;

    internal OpenCaseMatch(double lon, double lat, long reportedAtTicks, OpenCaseIndex.CaseHolder slot) =>
        (Lon, Lat, ReportedAtTicks, _slot) = (lon, lat, reportedAtTicks, slot);

    public double Lon { get; }

    public double Lat { get; }

    /// <summary>The report time, UTC ticks (whole milliseconds, see <see cref="OpenCase.ReportedAt"/>).</summary>
    public long ReportedAtTicks { get; }

    /// <summary>The case's latest state in the index.</summary>
    public OpenCase Case => _slot.Case;
}

/// <summary>What one context has saved of cases and not yet seen committed (see <see cref="OpenCaseIndex"/>'s save hook).</summary>
internal sealed class OpenCaseStates
{
    /// <summary>States of the cases a save is writing, kept apart until the save succeeds.</summary>
    public List<OpenCase>? Unsaved { get; set; }

    /// <summary>States saved inside a transaction, applied when it commits and dropped when it rolls back.</summary>
    public List<OpenCase>? Pending { get; set; }
}

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
public sealed class OpenCaseIndex(ILogger<OpenCaseIndex> logger)
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
                // Categories as small numbers: hashing each case's code was most of the search.
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

    private readonly record struct Box(double MinLon, double MinLat, double MaxLon, double MaxLat, long SinceTicks, long UntilTicks);

    /// <summary>A search's place in one cell: the entry it is at, reading from the newest back.</summary>
    private struct Cursor(Entry[] entries, int end)
    {
        private int _at = end;

        public readonly ref Entry Current => ref entries[_at];

        public readonly long Ticks => entries[_at].ReportedAtTicks;

        /// <summary>Steps back to the next entry inside the box and period and of a wanted category; false when there is none.</summary>
        public bool MoveToMatch(in Box box, bool[] wanted)
        {
            while (--_at >= 0)
            {
                ref readonly var e = ref entries[_at];
                if (e.ReportedAtTicks < box.SinceTicks)
                {
                    break;
                }

                if (e.Slot is not null && e.Lat >= box.MinLat && e.Lat <= box.MaxLat && e.Lon >= box.MinLon && e.Lon <= box.MaxLon && wanted[e.Category])
                {
                    return true;
                }
            }

            _at = -1;
            return false;
        }
    }

    private static void SiftUp(Cursor[] heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (heap[parent].Ticks >= heap[i].Ticks)
            {
                return;
            }

            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(Cursor[] heap, int count)
    {
        var i = 0;
        while (true)
        {
            var (left, right, largest) = ((2 * i) + 1, (2 * i) + 2, i);
            if (left < count && heap[left].Ticks > heap[largest].Ticks)
            {
                largest = left;
            }

            if (right < count && heap[right].Ticks > heap[largest].Ticks)
            {
                largest = right;
            }

            if (largest == i)
            {
                return;
            }

            (heap[largest], heap[i]) = (heap[i], heap[largest]);
            i = largest;
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

    /// <summary>What a search's answer reads its case through (<see cref="OpenCaseMatch.Case"/>).</summary>
    internal abstract class CaseHolder
    {
        public OpenCase Case { get; set; } = null!;
    }

    /// <summary>One case's entry: its latest state, and where its search entry is while it is open.</summary>
    private sealed class Slot : CaseHolder
    {
        /// <summary>Closed, rejected or merged: kept as a tombstone, in no cell.</summary>
        public bool Final => Cell is null;

        /// <summary>The index's clock when this instance last applied a change to it; 0 if only reloads touched it.</summary>
        public long Stamp { get; set; }

        /// <summary>The cell holding its entry, or null while it is final (a tombstone).</summary>
        public Cell? Cell { get; set; }

        /// <summary>The report time (UTC ticks) its entry is filed under in <see cref="Cell"/>.</summary>
        public long Ticks { get; set; }
    }

    /// <summary>What a search tests of one open case, copied out of its record so the scan reads one array in order.</summary>
    private struct Entry
    {
        public double Lat;
        public double Lon;
        public long ReportedAtTicks;

        /// <summary>The category's number in <see cref="_categoryIds"/>.</summary>
        public int Category;

        /// <summary>The case; null for a hole a removal left (see <see cref="Cell"/>).</summary>
        public Slot? Slot;
    }

    /// <summary>
    /// The open cases in one cell, as an array of entries in report-time order (oldest first), so that a search reads
    /// from the newest back and stops early. Reports mostly arrive in time order, so an addition is almost always an
    /// append. A removal leaves a hole (an entry without a slot) that keeps the order; holes are closed up once they are
    /// half the array.
    /// </summary>
    private sealed class Cell((int Lat, int Lon) key)
    {
        private int _holes;

        public (int Lat, int Lon) Key { get; } = key;

        public Entry[] Entries { get; private set; } = new Entry[4];

        /// <summary>Entries in use, holes included.</summary>
        public int Count { get; private set; }

        public void Add(Slot slot, int category)
        {
            if (Count == Entries.Length)
            {
                if (_holes * 4 >= Count)
                {
                    Compact();
                }
                else
                {
                    var larger = new Entry[Entries.Length * 2];
                    Array.Copy(Entries, larger, Count);
                    Entries = larger;
                }
            }

            var c = slot.Case;
            var ticks = c.ReportedAt.UtcTicks;
            var at = After(Entries.AsSpan(0, Count), ticks);
            if (at < Count)
            {
                Array.Copy(Entries, at, Entries, at + 1, Count - at);
            }

            Entries[at] = new Entry { Lat = c.Lat, Lon = c.Lon, ReportedAtTicks = ticks, Category = category, Slot = slot };
            (slot.Cell, slot.Ticks) = (this, ticks);
            Count++;
        }

        /// <summary>Rewrites the entry of a case that stays in this cell with the same report time.</summary>
        public void Update(Slot slot, int category)
        {
            ref var e = ref Entries[Find(slot)];
            (e.Lat, e.Lon, e.Category) = (slot.Case.Lat, slot.Case.Lon, category);
        }

        public void Remove(Slot slot)
        {
            Entries[Find(slot)].Slot = null;
            slot.Cell = null;
            _holes++;
            if (_holes * 2 > Count)
            {
                Compact();
            }
        }

        /// <summary>The index of the first entry reported after <paramref name="ticks"/> (the length if none).</summary>
        public static int After(ReadOnlySpan<Entry> entries, long ticks)
        {
            // Usually a search ends now and an addition is the newest: the answer is the end, without a binary search
            // whose every step is a cache miss in a large cell.
            if (entries.IsEmpty || entries[^1].ReportedAtTicks <= ticks)
            {
                return entries.Length;
            }

            int lo = 0, hi = entries.Length;
            while (lo < hi)
            {
                var mid = (int)((uint)(lo + hi) >> 1);
                if (entries[mid].ReportedAtTicks <= ticks)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        private int Find(Slot slot)
        {
            // The first entry at the slot's report time (the first after the tick before it), then along that same time.
            for (var i = After(Entries.AsSpan(0, Count), slot.Ticks - 1); i < Count && Entries[i].ReportedAtTicks == slot.Ticks; i++)
            {
                if (ReferenceEquals(Entries[i].Slot, slot))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"The open case index lost the entry of case {slot.Case.Number}.");
        }

        private void Compact()
        {
            var kept = 0;
            for (var i = 0; i < Count; i++)
            {
                if (Entries[i].Slot is not null)
                {
                    Entries[kept++] = Entries[i];
                }
            }

            Array.Clear(Entries, kept, Count - kept);
            Count = kept;
            _holes = 0;
        }
    }

    /// <summary>
    /// Collects the cases a save adds or changes, and applies them when they are committed: right after the save when
    /// it ran in its own transaction, else when the caller's transaction commits (dropped on rollback).
    /// </summary>
    private sealed class CommitHook(OpenCaseIndex index) : SaveChangesInterceptor, IDbTransactionInterceptor, INewRowsSaveHook
    {
        public void Saving(DbContext context) => Collect(context);

        public void Saved(DbContext context) => AfterSave(context);

        public void Failed(DbContext context) => ForgetUnsaved(context);

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Collect(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            Collect(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            AfterSave(eventData.Context);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            AfterSave(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetUnsaved(eventData.Context);

        public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            ForgetUnsaved(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Flush(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.Context);

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Drop(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Drop(eventData.Context);

        public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Drop(eventData.Context);
            return Task.CompletedTask;
        }

        private static void Collect(DbContext? context)
        {
            if (context is null)
            {
                return;
            }

            List<OpenCase>? states = null;
            foreach (var entry in context.ChangeTracker.Entries<Case>())
            {
                if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                {
                    var c = entry.Entity;
                    var status = entry.State == EntityState.Deleted ? CaseStatus.Closed : c.Status;
                    (states ??= []).Add(OpenCase.Stored(c.Number, c.CategoryCode, status, c.ReportedAt, c.Location.X, c.Location.Y,
                        entry.State == EntityState.Deleted ? int.MaxValue : c.Version));
                }
            }

            if (states is not null && context is CivicGridDbContext db)
            {
                db.OpenCaseStates.Unsaved = states;
            }
        }

        private void AfterSave(DbContext? context)
        {
            if (context is not CivicGridDbContext { OpenCaseStates: { Unsaved: { } states } tracked })
            {
                return;
            }

            tracked.Unsaved = null;
            if (context.Database.CurrentTransaction is null)
            {
                foreach (var state in states)
                {
                    index.Apply(state);
                }

                return;
            }

            (tracked.Pending ??= []).AddRange(states);
        }

        private static void ForgetUnsaved(DbContext? context)
        {
            if (context is CivicGridDbContext db)
            {
                db.OpenCaseStates.Unsaved = null;
            }
        }

        private void Flush(DbContext? context)
        {
            if (context is not CivicGridDbContext { OpenCaseStates: { Pending: { } states } tracked })
            {
                return;
            }

            tracked.Pending = null;
            foreach (var state in states)
            {
                index.Apply(state);
            }
        }

        private static void Drop(DbContext? context)
        {
            if (context is CivicGridDbContext db)
            {
                db.OpenCaseStates.Pending = null;
                db.OpenCaseStates.Unsaved = null;
            }
        }
    }

    /// <summary>
    /// All open cases as one fixed SQL statement read with ADO.NET (the reload reads tens of thousands of rows; the
    /// columns come from the EF model and value converters, so it is the same statement on both databases).
    /// </summary>
    private sealed class OpenCasesQuery
    {
        private static readonly ConditionalWeakTable<IModel, OpenCasesQuery> PerModel = [];

        private readonly string _sql;
        private readonly ValueConverter? _reportedAt;
        private readonly ValueConverter? _status;

        private OpenCasesQuery(IModel model)
        {
            var entity = model.FindEntityType(typeof(Case)) ?? throw new InvalidOperationException("Case is not in the model.");
            string Column(string property) => $"\"{(entity.FindProperty(property) ?? throw new InvalidOperationException(property)).GetColumnName()}\"";
            _reportedAt = entity.FindProperty(nameof(Case.ReportedAt))!.GetTypeMapping().Converter;
            _status = entity.FindProperty(nameof(Case.Status))!.GetTypeMapping().Converter;
            var finals = string.Join(", ", Enum.GetValues<CaseStatus>().Where(s => s.IsFinal())
                .Select(s => Convert.ToString(_status is null ? (int)s : _status.ConvertToProvider(s), CultureInfo.InvariantCulture)));
            _sql = $"SELECT {Column(nameof(Case.Number))}, {Column(nameof(Case.CategoryCode))}, {Column(nameof(Case.Status))}, "
                + $"{Column(nameof(Case.ReportedAt))}, {Column(CaseLocationColumns.Lon)}, {Column(CaseLocationColumns.Lat)}, {Column(nameof(Case.Version))} "
                + $"FROM \"{entity.GetTableName()}\" WHERE {Column(nameof(Case.Status))} NOT IN ({finals})";
        }

        public static OpenCasesQuery For(IModel model) => PerModel.GetValue(model, m => new OpenCasesQuery(m));

        public async Task<List<OpenCase>> ReadAsync(CivicGridDbContext db, CancellationToken ct)
        {
            var rows = new List<OpenCase>();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = _sql;
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    if (reader.IsDBNull(4) || reader.IsDBNull(5))
                    {
                        continue;
                    }

                    rows.Add(OpenCase.Stored(reader.GetString(0), reader.GetString(1), FromProvider<CaseStatus>(_status, reader, 2),
                        FromProvider<DateTimeOffset>(_reportedAt, reader, 3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt32(6)));
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return rows;
        }

        private static T FromProvider<T>(ValueConverter? converter, DbDataReader reader, int ordinal) =>
            converter is null
                ? reader.GetFieldValue<T>(ordinal)
                : (T)converter.ConvertFromProvider(Convert.ChangeType(reader.GetValue(ordinal), converter.ProviderClrType, CultureInfo.InvariantCulture))!;
    }

    /// <summary>Loads the index at start-up and reloads it every <see cref="DuplicateOptions.ReloadInterval"/>.</summary>
    internal sealed class Reloader(OpenCaseIndex index, IServiceScopeFactory scopes, IOptions<DuplicateOptions> options, TimeProvider time,
        ILogger<Reloader> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                    await index.ReloadAsync(db, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is DbException or InvalidOperationException)
                {
                    // Before migrations ran, or the database is away for a moment: the searches wait for the first load.
                    logger.LogWarning(e, "Could not load the open cases for the duplicate search; trying again shortly");
                    await Task.Delay(index.Loaded.IsCompleted ? options.Value.ReloadInterval : TimeSpan.FromSeconds(1), time, stoppingToken)
                        .ContinueWith(_ => { }, TaskScheduler.Default);
                    continue;
                }

                await Task.Delay(options.Value.ReloadInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
