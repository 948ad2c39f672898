namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>The index's storage: cells of entries in report-time order, and the cursors and heap a search merges them with.</summary>
public sealed partial class OpenCaseIndex
{
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
            // Usually a search ends now and an addition is the newest: the answer is then the end, found without a
            // binary search.
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
}
