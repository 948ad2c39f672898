using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Demo;

/// <summary>
/// A lattice of shared vertices, WGS-84 degrees (longitude east, latitude north), from which every
/// demo grid polygon is cut. Cell (column, row) has column 0 in the west and row 0 in the north.
/// Neighbouring cells and every block of cells read the very same vertex values, so their edges are
/// bit-identical and the blocks tile exactly, without any overlay operation.
/// </summary>
internal sealed class DemoLattice
{
    /// <summary>
    /// Largest vertex displacement as a share of the smaller neighbouring spacing. Below a quarter, the
    /// four corners of a cell stay in their own quadrant of the unjittered cell, so every cell stays a
    /// convex quadrilateral; convexity is what keeps shrunken cells (compounds, dedicated grids) inside.
    /// </summary>
    private const double JitterShare = 0.22;

    /// <summary>How much a column width or row height differs from the mean, either way.</summary>
    private const double SpacingSpread = 0.35;

    private readonly double[] _lon;
    private readonly double[] _lat;

    public DemoLattice(Random random, int columns, int rows, Envelope extent)
    {
        Columns = columns;
        Rows = rows;
        var widths = Spacings(random, columns, extent.Width);
        var heights = Spacings(random, rows, extent.Height);

        var baseLon = new double[columns + 1];
        baseLon[0] = extent.MinX;
        for (var i = 1; i <= columns; i++)
        {
            baseLon[i] = baseLon[i - 1] + widths[i - 1];
        }

        var baseLat = new double[rows + 1];
        baseLat[0] = extent.MaxY;
        for (var j = 1; j <= rows; j++)
        {
            baseLat[j] = baseLat[j - 1] - heights[j - 1];
        }

        _lon = new double[(columns + 1) * (rows + 1)];
        _lat = new double[_lon.Length];
        for (var j = 0; j <= rows; j++)
        {
            for (var i = 0; i <= columns; i++)
            {
                var innerColumn = i > 0 && i < columns;
                var innerRow = j > 0 && j < rows;
                var maxDx = JitterShare * Smaller(widths, i);
                var maxDy = JitterShare * Smaller(heights, j);

                // Interior vertices move freely; outline vertices only across the outline (its normal),
                // so the outline wiggles but stays one straight-ish side; corners stay put.
                var dx = innerRow ? Symmetric(random, maxDx) : 0;
                var dy = innerColumn ? Symmetric(random, maxDy) : 0;
                _lon[Index(i, j)] = baseLon[i] + dx;
                _lat[Index(i, j)] = baseLat[j] + dy;
            }
        }
    }

    public int Columns { get; }

    public int Rows { get; }

    public double Lon(int i, int j) => _lon[Index(i, j)];

    public double Lat(int i, int j) => _lat[Index(i, j)];

    /// <summary>The closed counter-clockwise ring of one cell: NW, SW, SE, NE, NW.</summary>
    public Coordinate[] CellRing(int column, int row) => BlockRing(column, row, column + 1, row + 1);

    /// <summary>
    /// The closed counter-clockwise ring around the block of cells [column0, column1) × [row0, row1):
    /// down the west side, east along the south, up the east side, west along the north. It passes
    /// through every lattice vertex on the block's outline, i.e. the same coordinates as its cells.
    /// </summary>
    public Coordinate[] BlockRing(int column0, int row0, int column1, int row1)
    {
        var ring = new List<Coordinate>(2 * ((column1 - column0) + (row1 - row0)) + 1);
        for (var j = row0; j < row1; j++)
        {
            ring.Add(At(column0, j));
        }

        for (var i = column0; i < column1; i++)
        {
            ring.Add(At(i, row1));
        }

        for (var j = row1; j > row0; j--)
        {
            ring.Add(At(column1, j));
        }

        for (var i = column1; i > column0; i--)
        {
            ring.Add(At(i, row0));
        }

        ring.Add(At(column0, row0));
        return [.. ring];
    }

    /// <summary>The ring of a cell scaled by <paramref name="factor"/> around the cell's area centroid.</summary>
    public Coordinate[] ShrunkCellRing(int column, int row, double factor)
    {
        var ring = CellRing(column, row);
        var (cx, cy) = Centroid(ring);
        return [.. ring.Select(c => new Coordinate(cx + (factor * (c.X - cx)), cy + (factor * (c.Y - cy))))];
    }

    /// <summary>Area centroid of a closed simple ring (shoelace formula).</summary>
    public static (double X, double Y) Centroid(Coordinate[] ring)
    {
        double twiceArea = 0, sx = 0, sy = 0;
        for (var k = 0; k < ring.Length - 1; k++)
        {
            // Relative to the first vertex: degrees are large numbers and their products lose digits.
            var x0 = ring[k].X - ring[0].X;
            var y0 = ring[k].Y - ring[0].Y;
            var x1 = ring[k + 1].X - ring[0].X;
            var y1 = ring[k + 1].Y - ring[0].Y;
            var cross = (x0 * y1) - (x1 * y0);
            twiceArea += cross;
            sx += (x0 + x1) * cross;
            sy += (y0 + y1) * cross;
        }

        return (ring[0].X + (sx / (3 * twiceArea)), ring[0].Y + (sy / (3 * twiceArea)));
    }

    /// <summary>True when a point lies strictly inside a convex counter-clockwise closed ring.</summary>
    public static bool InsideConvex(Coordinate[] ring, double x, double y)
    {
        for (var k = 0; k < ring.Length - 1; k++)
        {
            var ax = ring[k].X;
            var ay = ring[k].Y;
            var cross = ((ring[k + 1].X - ax) * (y - ay)) - ((ring[k + 1].Y - ay) * (x - ax));
            if (cross <= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A point inside a cell by bilinear interpolation of its corners with u, v in [margin, 1 − margin];
    /// for a convex quadrilateral such a point is strictly inside.
    /// </summary>
    public (double Lon, double Lat) PointInCell(int column, int row, double u, double v)
    {
        var (nwX, nwY) = (Lon(column, row), Lat(column, row));
        var (neX, neY) = (Lon(column + 1, row), Lat(column + 1, row));
        var (swX, swY) = (Lon(column, row + 1), Lat(column, row + 1));
        var (seX, seY) = (Lon(column + 1, row + 1), Lat(column + 1, row + 1));
        var x = ((1 - u) * (1 - v) * nwX) + (u * (1 - v) * neX) + ((1 - u) * v * swX) + (u * v * seX);
        var y = ((1 - u) * (1 - v) * nwY) + (u * (1 - v) * neY) + ((1 - u) * v * swY) + (u * v * seY);
        return (x, y);
    }

    private Coordinate At(int i, int j) => new(_lon[Index(i, j)], _lat[Index(i, j)]);

    private int Index(int i, int j) => (j * (Columns + 1)) + i;

    private static double Smaller(double[] spacings, int vertex) => vertex switch
    {
        0 => spacings[0],
        _ when vertex == spacings.Length => spacings[^1],
        _ => Math.Min(spacings[vertex - 1], spacings[vertex]),
    };

    private static double Symmetric(Random random, double max) => ((2 * random.NextDouble()) - 1) * max;

    /// <summary>Spacings that vary around the mean like city blocks do and add up to <paramref name="total"/>.</summary>
    private static double[] Spacings(Random random, int count, double total)
    {
        var raw = new double[count];
        for (var k = 0; k < count; k++)
        {
            raw[k] = 1 + Symmetric(random, SpacingSpread);
        }

        var scale = total / raw.Sum();
        return [.. raw.Select(r => r * scale)];
    }
}
