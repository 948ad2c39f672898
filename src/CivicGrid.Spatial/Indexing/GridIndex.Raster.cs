using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CivicGrid.Spatial.Indexing;

public sealed partial class GridIndex
{
    /// <summary>
    /// Lays the cell raster over the leaves: registers every edge in the cells it crosses, gives each
    /// edge cell its candidate leaves and a reference point, labels the other cells by propagation along
    /// rows, and computes each cell's clearance from a Chebyshev distance transform.
    /// </summary>
    private sealed class RasterBuilder(GridIndex index, GridIndexOptions options, double totalArea)
    {
        private STRtree<int>? _leafTree;
        private int[] _cellCode = [];
        private float[] _cellClearance = [];

        public void Build()
        {
            if (!ChooseRaster())
            {
                return;
            }

            var edgeCells = RegisterEdges();
            BuildEdgeCells(edgeCells);
            LabelCells();
            ComputeClearance();
            var cells = new CellInfo[_cellCode.Length];
            for (var c = 0; c < cells.Length; c++)
            {
                cells[c] = new CellInfo { Code = _cellCode[c], Clearance = _cellClearance[c] };
            }

            index._cells = cells;
        }

        /// <summary>Chooses the cell size and origin; false when there is nothing to index.</summary>
        private bool ChooseRaster()
        {
            var xy = index._xy;
            if (xy.Length == 0)
            {
                return false;
            }

            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            for (var i = 0; i < xy.Length; i += 2)
            {
                minX = Math.Min(minX, xy[i]);
                maxX = Math.Max(maxX, xy[i]);
                minY = Math.Min(minY, xy[i + 1]);
                maxY = Math.Max(maxY, xy[i + 1]);
            }

            var width = Math.Max(maxX - minX, 1e-3);
            var height = Math.Max(maxY - minY, 1e-3);
            var meanArea = totalArea > 0 ? totalArea / index.Count : width * height / index.Count;
            var size = Math.Max(Math.Sqrt(meanArea / Math.Max(1, options.CellsPerLeaf)), 1e-3);
            long columns, rows;
            while (true)
            {
                // One empty cell of margin on each side keeps edges off the raster's border.
                columns = (long)Math.Ceiling(width / size) + 2;
                rows = (long)Math.Ceiling(height / size) + 2;
                if (columns * rows <= Math.Max(options.MaxCells, 16))
                {
                    break;
                }

                size *= Math.Sqrt((double)columns * rows / options.MaxCells) * 1.01;
            }

            index._cellSize = size;
            index._inverseCellSize = 1 / size;
            index._originX = minX - size;
            index._originY = minY - size;
            index._columns = (int)columns;
            index._rows = (int)rows;
            return true;
        }

        /// <summary>Counting sort of (cell, edge) pairs; returns the edges of each cell in edge order.</summary>
        private (int[] Start, int[] Edges) RegisterEdges()
        {
            var cellOfPair = new List<int>();
            var edgeOfPair = new List<int>();
            var edgeLeaf = index._edgeLeaf;
            for (var v = 0; v < edgeLeaf.Length; v++)
            {
                if (edgeLeaf[v] >= 0)
                {
                    CellsCrossedBy(v, cellOfPair, edgeOfPair);
                }
            }

            var cellCount = index._columns * index._rows;
            var start = new int[cellCount + 1];
            foreach (var cell in cellOfPair)
            {
                start[cell + 1]++;
            }

            for (var c = 0; c < cellCount; c++)
            {
                start[c + 1] += start[c];
            }

            var edges = new int[cellOfPair.Count];
            var fill = (int[])start.Clone();
            for (var p = 0; p < cellOfPair.Count; p++)
            {
                edges[fill[cellOfPair[p]]++] = edgeOfPair[p];
            }

            return (start, edges);
        }

        /// <summary>
        /// Every cell whose rectangle, grown by <see cref="Epsilon"/>, the edge starting at vertex v touches:
        /// row by row, the part of the edge inside the row's slab gives the range of columns.
        /// </summary>
        private void CellsCrossedBy(int v, List<int> cells, List<int> edges)
        {
            var xy = index._xy;
            var ax = xy[2 * v];
            var ay = xy[(2 * v) + 1];
            var bx = xy[(2 * v) + 2];
            var by = xy[(2 * v) + 3];
            var size = index._cellSize;
            var row0 = CellOf(Math.Min(ay, by) - Epsilon, index._originY, index._rows);
            var row1 = CellOf(Math.Max(ay, by) + Epsilon, index._originY, index._rows);
            for (var row = row0; row <= row1; row++)
            {
                var low = index._originY + (row * size) - Epsilon;
                var high = index._originY + ((row + 1) * size) + Epsilon;
                double t0 = 0, t1 = 1;
                var dy = by - ay;
                if (dy != 0)
                {
                    var ta = (low - ay) / dy;
                    var tb = (high - ay) / dy;
                    t0 = Math.Max(0, Math.Min(ta, tb));
                    t1 = Math.Min(1, Math.Max(ta, tb));
                    if (t0 > t1)
                    {
                        continue;
                    }
                }
                else if (ay < low || ay > high)
                {
                    continue;
                }

                var x0 = ax + (t0 * (bx - ax));
                var x1 = ax + (t1 * (bx - ax));
                var column0 = CellOf(Math.Min(x0, x1) - Epsilon, index._originX, index._columns);
                var column1 = CellOf(Math.Max(x0, x1) + Epsilon, index._originX, index._columns);
                for (var column = column0; column <= column1; column++)
                {
                    cells.Add((row * index._columns) + column);
                    edges.Add(v);
                }
            }
        }

        private int CellOf(double coordinate, double origin, int count) =>
            Math.Clamp((int)Math.Floor((coordinate - origin) / index._cellSize), 0, count - 1);

        private void BuildEdgeCells((int[] Start, int[] Edges) registered)
        {
            var (start, edges) = registered;
            var cellCount = index._columns * index._rows;
            var cellCode = new int[cellCount];
            var edgeCellCount = 0;
            for (var c = 0; c < cellCount; c++)
            {
                if (start[c + 1] > start[c])
                {
                    edgeCellCount++;
                }
            }

            var entryStart = new int[edgeCellCount + 1];
            if (index._edgeLeaf.Length > VertexMask)
            {
                throw new ArgumentException($"Too many vertices for one index: at most {VertexMask:N0}.");
            }

            var entrySlot = new byte[edges.Length];
            var candidateStart = new int[edgeCellCount + 1];
            var candidates = new List<int>(edgeCellCount * 2);
            var referenceMask = new ulong[edgeCellCount];
            var referencePoint = new byte[edgeCellCount];
            var edgeLeaf = index._edgeLeaf;
            index._entries = edges;
            index._entryStart = entryStart;
            index._candidateStart = candidateStart;

            var k = 0;
            for (var c = 0; c < cellCount; c++)
            {
                if (start[c + 1] == start[c])
                {
                    continue;
                }

                cellCode[c] = -2 - k;
                entryStart[k] = start[c];
                candidateStart[k] = candidates.Count;
                for (var i = start[c]; i < start[c + 1]; i++)
                {
                    var leaf = edgeLeaf[edges[i]];
                    var slot = candidates.IndexOf(leaf, candidateStart[k]);
                    if (slot < 0)
                    {
                        slot = candidates.Count;
                        candidates.Add(leaf);
                    }

                    slot -= candidateStart[k];
                    entrySlot[i] = (byte)Math.Min(slot, MaxSlots - 1);
                }

                var column = c % index._columns;
                var row = c / index._columns;
                var reference = ChooseReference(column, row, start[c], start[c + 1]);
                referencePoint[k] = (byte)reference;
                var rx = index._originX + ((column + ReferenceFx[reference]) * index._cellSize);
                var ry = index._originY + ((row + ReferenceFy[reference]) * index._cellSize);
                var count = candidates.Count - candidateStart[k];
                if (count <= MaxSlots)
                {
                    ulong mask = 0;
                    for (var j = 0; j < count; j++)
                    {
                        if (index.LeafContains(candidates[candidateStart[k] + j], rx, ry))
                        {
                            mask |= 1UL << j;
                        }
                    }

                    if (mask == 0)
                    {
                        // Outside the territory, or (in bad data) inside a leaf that overlaps the whole
                        // cell without an edge in it: find such a leaf and make it a candidate.
                        foreach (var leaf in LeavesContaining(rx, ry))
                        {
                            if (count < MaxSlots && candidates.IndexOf(leaf, candidateStart[k]) < 0)
                            {
                                candidates.Add(leaf);
                                mask |= 1UL << count;
                                count++;
                            }
                        }
                    }

                    referenceMask[k] = mask;
                }

                k++;
            }

            entryStart[edgeCellCount] = edges.Length;
            candidateStart[edgeCellCount] = candidates.Count;
            index._candidates = [.. candidates];
            _cellCode = cellCode;
            var edgeCells = new EdgeCell[edgeCellCount];
            for (k = 0; k < edgeCellCount; k++)
            {
                edgeCells[k] = new EdgeCell
                {
                    Mask = referenceMask[k],
                    EntryStart = entryStart[k],
                    EntryEnd = entryStart[k + 1],
                    CandidateStart = candidateStart[k],
                    CandidateCount = (short)Math.Min(candidateStart[k + 1] - candidateStart[k], short.MaxValue),
                    Reference = referencePoint[k],
                };
                for (var i = entryStart[k]; i < entryStart[k + 1]; i++)
                {
                    edges[i] |= entrySlot[i] << SlotShift;
                }
            }

            index._edgeCells = edgeCells;
        }

        /// <summary>The centre, unless an edge passes within 5 % of a cell of it; then the pattern point farthest from the edges.</summary>
        private int ChooseReference(int column, int row, int from, int to)
        {
            var best = 0;
            var bestDistance = -1.0;
            for (var p = 0; p < ReferenceFx.Length; p++)
            {
                var rx = index._originX + ((column + ReferenceFx[p]) * index._cellSize);
                var ry = index._originY + ((row + ReferenceFy[p]) * index._cellSize);
                var distance = double.PositiveInfinity;
                for (var i = from; i < to; i++)
                {
                    var v = index._entries[i] & VertexMask;
                    distance = Math.Min(distance, SegmentDistanceSquared(rx, ry, index._xy[2 * v], index._xy[(2 * v) + 1], index._xy[(2 * v) + 2], index._xy[(2 * v) + 3]));
                }

                distance = Math.Sqrt(distance);
                if (p == 0 && distance >= 0.05 * index._cellSize)
                {
                    return 0;
                }

                if (distance > bestDistance)
                {
                    best = p;
                    bestDistance = distance;
                }
            }

            return best;
        }

        private List<int> LeavesContaining(double x, double y)
        {
            if (_leafTree is null)
            {
                _leafTree = new STRtree<int>();
                for (var leaf = 0; leaf < index.Count; leaf++)
                {
                    var box = index._leafBox;
                    if (box[4 * leaf] <= box[(4 * leaf) + 2])
                    {
                        _leafTree.Insert(new Envelope(box[4 * leaf], box[(4 * leaf) + 2], box[(4 * leaf) + 1], box[(4 * leaf) + 3]), leaf);
                    }
                }

                _leafTree.Build();
            }

            var found = new List<int>();
            foreach (var leaf in _leafTree.Query(new Envelope(x, x, y, y)))
            {
                if (index.LeafContains(leaf, x, y))
                {
                    found.Add(leaf);
                }
            }

            found.Sort();
            return found;
        }

        /// <summary>
        /// Labels every cell without edges with the leaf covering it (or -1): two such cells side by side
        /// lie in the same leaf, so a label is copied from the left or upper neighbour; after an edge cell
        /// it is located from that cell's reference point, and only otherwise looked up in full.
        /// </summary>
        private void LabelCells()
        {
            var cellCode = _cellCode;
            var columns = index._columns;
            for (var row = 0; row < index._rows; row++)
            {
                for (var column = 0; column < columns; column++)
                {
                    var c = (row * columns) + column;
                    if (cellCode[c] <= -2)
                    {
                        continue;
                    }

                    if (column > 0 && cellCode[c - 1] > -2)
                    {
                        cellCode[c] = cellCode[c - 1];
                        continue;
                    }

                    if (row > 0 && cellCode[c - columns] > -2)
                    {
                        cellCode[c] = cellCode[c - columns];
                        continue;
                    }

                    var x = index._originX + ((column + 0.5) * index._cellSize);
                    var y = index._originY + ((row + 0.5) * index._cellSize);
                    if (column > 0)
                    {
                        var k = -2 - cellCode[c - 1];
                        if (index._candidateStart[k + 1] - index._candidateStart[k] <= MaxSlots)
                        {
                            // The segment from the left cell's reference point to this centre crosses only
                            // edges of the left cell, since this cell has none.
                            cellCode[c] = index.LocateInEdgeCell(k, column - 1, row, x, y, out _);
                            continue;
                        }
                    }

                    var containing = LeavesContaining(x, y);
                    cellCode[c] = containing.Count > 0 ? containing[0] : -1;
                }
            }
        }

        /// <summary>
        /// Clearance per cell, a lower bound in metres of the distance from any point of the cell to any
        /// edge: 0 in edge cells; (k - 1)·size for a cell k ≥ 3 cells (Chebyshev) from the nearest edge
        /// cell, since every edge lies in an edge cell; near edges the exact distance from the cell's
        /// rectangle to the edges of the 5 × 5 neighbourhood, capped at 2·size (edges beyond are farther).
        /// </summary>
        private void ComputeClearance()
        {
            var columns = index._columns;
            var rows = index._rows;
            var cellCode = _cellCode;
            var steps = ChebyshevSteps();
            var clearance = new float[columns * rows];
            var size = index._cellSize;
            for (var row = 0; row < rows; row++)
            {
                for (var column = 0; column < columns; column++)
                {
                    var c = (row * columns) + column;
                    if (cellCode[c] < 0)
                    {
                        continue;
                    }

                    var bound = steps[c] >= 3 ? (steps[c] - 1) * size : NearClearance(column, row, 2 * size);
                    clearance[c] = LowerFloat(bound - Epsilon);
                }
            }

            _cellClearance = clearance;
        }

        private int[] ChebyshevSteps()
        {
            var columns = index._columns;
            var rows = index._rows;
            var cellCode = _cellCode;
            var steps = new int[columns * rows];
            const int Far = int.MaxValue / 2;
            for (var row = 0; row < rows; row++)
            {
                for (var column = 0; column < columns; column++)
                {
                    var c = (row * columns) + column;
                    var d = cellCode[c] <= -2 ? 0 : Far;
                    if (column > 0)
                    {
                        d = Math.Min(d, steps[c - 1] + 1);
                    }

                    if (row > 0)
                    {
                        d = Math.Min(d, steps[c - columns] + 1);
                        if (column > 0)
                        {
                            d = Math.Min(d, steps[c - columns - 1] + 1);
                        }

                        if (column < columns - 1)
                        {
                            d = Math.Min(d, steps[c - columns + 1] + 1);
                        }
                    }

                    steps[c] = d;
                }
            }

            for (var row = rows - 1; row >= 0; row--)
            {
                for (var column = columns - 1; column >= 0; column--)
                {
                    var c = (row * columns) + column;
                    var d = steps[c];
                    if (column < columns - 1)
                    {
                        d = Math.Min(d, steps[c + 1] + 1);
                    }

                    if (row < rows - 1)
                    {
                        d = Math.Min(d, steps[c + columns] + 1);
                        if (column < columns - 1)
                        {
                            d = Math.Min(d, steps[c + columns + 1] + 1);
                        }

                        if (column > 0)
                        {
                            d = Math.Min(d, steps[c + columns - 1] + 1);
                        }
                    }

                    steps[c] = d;
                }
            }

            return steps;
        }

        private double NearClearance(int column, int row, double cap)
        {
            var size = index._cellSize;
            var x0 = index._originX + (column * size);
            var y0 = index._originY + (row * size);
            var x1 = x0 + size;
            var y1 = y0 + size;
            var best = cap * cap;
            var xy = index._xy;
            for (var r = Math.Max(0, row - 2); r <= Math.Min(index._rows - 1, row + 2); r++)
            {
                for (var q = Math.Max(0, column - 2); q <= Math.Min(index._columns - 1, column + 2); q++)
                {
                    var code = _cellCode[(r * index._columns) + q];
                    if (code > -2)
                    {
                        continue;
                    }

                    var k = -2 - code;
                    for (var i = index._entryStart[k]; i < index._entryStart[k + 1]; i++)
                    {
                        var v = index._entries[i] & VertexMask;
                        var ax = xy[2 * v];
                        var ay = xy[(2 * v) + 1];
                        var bx = xy[(2 * v) + 2];
                        var by = xy[(2 * v) + 3];
                        // The cell has no edge in it, so the nearest points are a corner of the cell or an
                        // end of the edge.
                        best = Math.Min(best, SegmentDistanceSquared(x0, y0, ax, ay, bx, by));
                        best = Math.Min(best, SegmentDistanceSquared(x1, y0, ax, ay, bx, by));
                        best = Math.Min(best, SegmentDistanceSquared(x0, y1, ax, ay, bx, by));
                        best = Math.Min(best, SegmentDistanceSquared(x1, y1, ax, ay, bx, by));
                        best = Math.Min(best, PointRectangleDistanceSquared(ax, ay, x0, y0, x1, y1));
                        best = Math.Min(best, PointRectangleDistanceSquared(bx, by, x0, y0, x1, y1));
                    }
                }
            }

            return Math.Sqrt(best);
        }

        private static double PointRectangleDistanceSquared(double x, double y, double x0, double y0, double x1, double y1)
        {
            var dx = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
            var dy = y < y0 ? y0 - y : y > y1 ? y - y1 : 0;
            return (dx * dx) + (dy * dy);
        }

        private static float LowerFloat(double value)
        {
            if (value <= 0)
            {
                return 0;
            }

            var single = (float)value;
            return single > value ? MathF.BitDecrement(single) : single;
        }
    }
}
