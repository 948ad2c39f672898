using NetTopologySuite.Geometries;

namespace CivicGrid.Spatial.CoordinateSystems;

/// <summary>
/// Conversions between WGS-84 and the Chinese map systems GCJ-02 and BD-09, so that every
/// coordinate can be normalised to WGS-84 where it enters CivicGrid.
/// </summary>
/// <remarks>
/// <para>
/// All methods take and return longitude first, latitude second, in decimal degrees. They reject
/// NaN, infinities, longitudes outside ±180 and latitudes outside ±90 with
/// <see cref="ArgumentOutOfRangeException"/> and check nothing else: a valid point far from China
/// converts by the same rules as any other.
/// </para>
/// <para>
/// The forward formulas (WGS-84 → GCJ-02 → BD-09) are the published ones that every public
/// implementation shares. Their inverses have no closed form; the usual one-step inverse errs by
/// metres, so <see cref="Gcj02ToWgs84"/> and <see cref="Bd09ToGcj02"/> refine it by fixed-point
/// iteration until the forward formula reproduces the input to 1e-9° (about 0.1 mm), which takes
/// two or three steps. A round trip therefore returns the original point to well under a
/// millimetre.
/// </para>
/// </remarks>
public static class ChinaCoordinates
{
    // GCJ-02 computes its offset on the Krasovsky 1940 ellipsoid. Constants and formula checked
    // against googollee/eviltransform (go/transform.go), wandergis/coordtransform (src/index.ts)
    // and hujiulong/gcoord (src/crs/GCJ02.ts), which agree. (aiyou178/pg_eviltransform uses the
    // WGS-84 6378137 m instead, which moves the result by about a centimetre; we follow the majority.)
    private const double KrasovskySemiMajorAxisMeters = 6378245.0;
    private const double KrasovskyEccentricitySquared = 0.00669342162296594323;

    // BD-09, checked against wandergis/coordtransform (src/index.ts) and hujiulong/gcoord
    // (src/crs/BD09.ts): x_pi = π × 3000 / 180, a small position-dependent scaling and rotation,
    // then a fixed offset. (eviltransform's JavaScript port uses π where these use x_pi, so its
    // BD-09 is no reference.)
    private const double BaiduXPi = Math.PI * 3000.0 / 180.0;
    private const double BaiduRadiusTerm = 0.00002;
    private const double BaiduAngleTerm = 0.000003;
    private const double BaiduLongitudeOffset = 0.0065;
    private const double BaiduLatitudeOffset = 0.006;

    // 1e-9° is about 0.1 mm on the ground. Both iterations shrink the error at least fortyfold
    // per step (over China the offsets change by at most about 2.5 % of a change in position), so
    // they stop after two or three steps; 10 is a generous cap.
    private const double InverseToleranceDegrees = 1e-9;
    private const int MaxInverseIterations = 10;

    /// <summary>The rectangle, in degrees, outside which GCJ-02 equals WGS-84.</summary>
    private const double ChinaMinLongitude = 72.004;
    private const double ChinaMaxLongitude = 137.8347;
    private const double ChinaMinLatitude = 0.8293;
    private const double ChinaMaxLatitude = 55.8271;

    /// <summary>
    /// Whether GCJ-02 leaves a point unshifted: <see langword="true"/> outside the conventional
    /// rectangle longitude 72.004–137.8347° E, latitude 0.8293–55.8271° N (its edges count as
    /// inside).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every GCJ-02 implementation stops shifting points somewhere outside China; this is the
    /// rectangle most of them use: googollee/eviltransform's <c>outOfChina</c> in every language
    /// port, hujiulong/gcoord's <c>isInChinaBbox</c> (src/crs/GCJ02.ts) and the PostGIS extension
    /// aiyou178/pg_eviltransform (src/coord.rs).
    /// wandergis/coordtransform uses a tighter rectangle (73.66–135.05° E, 3.86–53.55° N) that runs
    /// within a few kilometres of China's north-eastern extremities (about 135.08° E, 53.55° N);
    /// the wider one leaves a margin everywhere.
    /// </para>
    /// <para>
    /// It is a rectangle, not a border: neighbours inside it are treated as China. Seoul
    /// (126.98° E, 37.57° N), Pyongyang, Ulaanbaatar and Hanoi are shifted by several hundred
    /// metres, although a map SDK with a real border would leave them alone; Tokyo
    /// (139.69° E) lies east of the rectangle and is not shifted. Chinese cities lie well inside
    /// every variant of the rule, so the choice never changes a CivicGrid conversion.
    /// </para>
    /// </remarks>
    /// <param name="lon">Longitude in degrees, WGS-84 or GCJ-02: they differ by under a kilometre,
    /// which matters only that close to an edge of the rectangle.</param>
    /// <param name="lat">Latitude in degrees.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static bool IsOutsideChina(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return IsOutsideRectangle(lon, lat);
    }

    /// <summary>Converts WGS-84 to GCJ-02. Points outside China (<see cref="IsOutsideChina"/>) are returned unchanged.</summary>
    /// <param name="lon">WGS-84 longitude in degrees.</param>
    /// <param name="lat">WGS-84 latitude in degrees.</param>
    /// <returns>GCJ-02 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static (double Lon, double Lat) Wgs84ToGcj02(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return Wgs84ToGcj02Core(lon, lat);
    }

    /// <summary>
    /// Converts GCJ-02 to WGS-84, exactly enough that converting the result back with
    /// <see cref="Wgs84ToGcj02"/> reproduces the input to 1e-9° (about 0.1 mm). Points outside
    /// China (<see cref="IsOutsideChina"/>) are returned unchanged.
    /// </summary>
    /// <param name="lon">GCJ-02 longitude in degrees.</param>
    /// <param name="lat">GCJ-02 latitude in degrees.</param>
    /// <returns>WGS-84 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static (double Lon, double Lat) Gcj02ToWgs84(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return Gcj02ToWgs84Core(lon, lat);
    }

    /// <summary>
    /// Converts GCJ-02 to BD-09. The published formula has no boundary and is applied everywhere,
    /// as wandergis/coordtransform and hujiulong/gcoord do (eviltransform and pg_eviltransform
    /// skip it outside the GCJ-02 rectangle; inside China the choice makes no difference).
    /// </summary>
    /// <param name="lon">GCJ-02 longitude in degrees.</param>
    /// <param name="lat">GCJ-02 latitude in degrees.</param>
    /// <returns>BD-09 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static (double Lon, double Lat) Gcj02ToBd09(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return Gcj02ToBd09Core(lon, lat);
    }

    /// <summary>
    /// Converts BD-09 to GCJ-02, exactly enough that converting the result back with
    /// <see cref="Gcj02ToBd09"/> reproduces the input to 1e-9° (about 0.1 mm).
    /// </summary>
    /// <param name="lon">BD-09 longitude in degrees.</param>
    /// <param name="lat">BD-09 latitude in degrees.</param>
    /// <returns>GCJ-02 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static (double Lon, double Lat) Bd09ToGcj02(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return Bd09ToGcj02Core(lon, lat);
    }

    /// <summary>Converts WGS-84 to BD-09 (through GCJ-02).</summary>
    /// <param name="lon">WGS-84 longitude in degrees.</param>
    /// <param name="lat">WGS-84 latitude in degrees.</param>
    /// <returns>BD-09 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static (double Lon, double Lat) Wgs84ToBd09(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return Wgs84ToBd09Core(lon, lat);
    }

    /// <summary>
    /// Converts BD-09 to WGS-84 (through GCJ-02), exactly enough that the round trip through
    /// <see cref="Wgs84ToBd09"/> is sub-millimetre.
    /// </summary>
    /// <param name="lon">BD-09 longitude in degrees.</param>
    /// <param name="lat">BD-09 latitude in degrees.</param>
    /// <returns>WGS-84 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static (double Lon, double Lat) Bd09ToWgs84(double lon, double lat)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return Bd09ToWgs84Core(lon, lat);
    }

    /// <summary>
    /// Normalises a point reported in <paramref name="from"/> to WGS-84. WGS-84 and CGCS2000 are
    /// returned unchanged (see <see cref="CoordinateSystem.Cgcs2000"/>).
    /// </summary>
    /// <param name="lon">Longitude in degrees, in <paramref name="from"/>.</param>
    /// <param name="lat">Latitude in degrees, in <paramref name="from"/>.</param>
    /// <param name="from">The system the point was reported in.</param>
    /// <returns>WGS-84 longitude and latitude in degrees.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of
    /// range, or <paramref name="from"/> is not a defined value.</exception>
    public static (double Lon, double Lat) ToWgs84(double lon, double lat, CoordinateSystem from)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return ToWgs84Converter(from)(lon, lat);
    }

    /// <summary>
    /// Converts a WGS-84 point to <paramref name="to"/>, e.g. to draw it on a GCJ-02 or BD-09 map.
    /// WGS-84 and CGCS2000 are returned unchanged.
    /// </summary>
    /// <param name="lon">WGS-84 longitude in degrees.</param>
    /// <param name="lat">WGS-84 latitude in degrees.</param>
    /// <param name="to">The system wanted.</param>
    /// <returns>Longitude and latitude in degrees, in <paramref name="to"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of
    /// range, or <paramref name="to"/> is not a defined value.</exception>
    public static (double Lon, double Lat) FromWgs84(double lon, double lat, CoordinateSystem to)
    {
        GeographicArguments.ThrowIfInvalid(lon, lat);
        return FromWgs84Converter(to)(lon, lat);
    }

    /// <summary>
    /// Returns a copy of <paramref name="geometry"/>, of any type, with every vertex converted
    /// from <paramref name="from"/> to WGS-84, and SRID 4326. X is longitude and Y latitude, in
    /// degrees; Z and M are kept. The input is not modified.
    /// </summary>
    /// <remarks>
    /// Each vertex moves independently and no vertex is added or removed, so ring and part counts
    /// are kept. The shift varies smoothly: the distance between two vertices a metre or more
    /// apart changes by at most about 0.4 % (GCJ-02 over mainland China), so a valid polygon stays
    /// valid unless two of its parts come closer than that fraction of their length. Converted
    /// coordinates are rounded to the geometry's precision model.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="geometry"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A vertex is NaN, infinite or out of range,
    /// or <paramref name="from"/> is not a defined value.</exception>
    public static Geometry ToWgs84(Geometry geometry, CoordinateSystem from)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return Convert(geometry, ToWgs84Converter(from), Srid.Wgs84);
    }

    /// <summary>
    /// Returns a copy of the WGS-84 <paramref name="geometry"/>, of any type, with every vertex
    /// converted to <paramref name="to"/>. X is longitude and Y latitude, in degrees; Z and M are
    /// kept. The input is not modified.
    /// </summary>
    /// <remarks>
    /// The copy's SRID names the system where one exists: 4326 for WGS-84, 4490 for CGCS2000.
    /// GCJ-02 and BD-09 have no EPSG code, so their copies get SRID 0 (unknown) rather than a
    /// code that would claim they are WGS-84.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="geometry"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A vertex is NaN, infinite or out of range,
    /// or <paramref name="to"/> is not a defined value.</exception>
    public static Geometry FromWgs84(Geometry geometry, CoordinateSystem to)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var srid = to switch
        {
            CoordinateSystem.Wgs84 => Srid.Wgs84,
            CoordinateSystem.Cgcs2000 => Srid.Cgcs2000,
            _ => Srid.Unknown,
        };
        return Convert(geometry, FromWgs84Converter(to), srid);
    }

    private static Func<double, double, (double Lon, double Lat)> ToWgs84Converter(CoordinateSystem from) => from switch
    {
        CoordinateSystem.Wgs84 or CoordinateSystem.Cgcs2000 => static (lon, lat) => (lon, lat),
        CoordinateSystem.Gcj02 => Gcj02ToWgs84Core,
        CoordinateSystem.Bd09 => Bd09ToWgs84Core,
        _ => throw new ArgumentOutOfRangeException(nameof(from), from, "Not a defined coordinate system."),
    };

    private static Func<double, double, (double Lon, double Lat)> FromWgs84Converter(CoordinateSystem to) => to switch
    {
        CoordinateSystem.Wgs84 or CoordinateSystem.Cgcs2000 => static (lon, lat) => (lon, lat),
        CoordinateSystem.Gcj02 => Wgs84ToGcj02Core,
        CoordinateSystem.Bd09 => Wgs84ToBd09Core,
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "Not a defined coordinate system."),
    };

    private static Geometry Convert(Geometry geometry, Func<double, double, (double Lon, double Lat)> convert, int srid)
    {
        // Copy is deep, even for empty geometries (GeometryFactory.CreateGeometry hands some of
        // those back uncopied); setting SRID on the copy reaches every part of a collection.
        var copy = geometry.Copy();
        copy.SRID = srid;
        var converter = new VertexConverter(convert, copy.PrecisionModel);
        copy.Apply(converter);
        if (converter.InvalidVertex is var (lon, lat))
        {
            throw new ArgumentOutOfRangeException(
                nameof(geometry), $"Vertex ({lon}, {lat}) is not a longitude/latitude pair in degrees within ±180/±90.");
        }

        return copy;
    }

    private static bool IsOutsideRectangle(double lon, double lat) =>
        lon < ChinaMinLongitude || lon > ChinaMaxLongitude || lat < ChinaMinLatitude || lat > ChinaMaxLatitude;

    private static (double Lon, double Lat) Wgs84ToGcj02Core(double lon, double lat)
    {
        if (IsOutsideRectangle(lon, lat))
        {
            return (lon, lat);
        }

        var (dLon, dLat) = Gcj02Offset(lon, lat);
        return (lon + dLon, lat + dLat);
    }

    private static (double Lon, double Lat) Gcj02ToWgs84Core(double lon, double lat)
    {
        if (IsOutsideRectangle(lon, lat))
        {
            return (lon, lat);
        }

        // The offset varies slowly with position, so subtracting the offset found at the GCJ-02
        // point is already within about 2.5 m; each further step shrinks the error over a hundredfold.
        // The iteration uses the offset without the rectangle test so that it stays a smooth
        // inverse of the formula even for a point just inside an edge.
        var (dLon, dLat) = Gcj02Offset(lon, lat);
        var (wgsLon, wgsLat) = (lon - dLon, lat - dLat);
        for (var i = 0; i < MaxInverseIterations; i++)
        {
            (dLon, dLat) = Gcj02Offset(wgsLon, wgsLat);
            var (errorLon, errorLat) = (lon - (wgsLon + dLon), lat - (wgsLat + dLat));
            if (Math.Abs(errorLon) < InverseToleranceDegrees && Math.Abs(errorLat) < InverseToleranceDegrees)
            {
                break;
            }

            (wgsLon, wgsLat) = (wgsLon + errorLon, wgsLat + errorLat);
        }

        return (wgsLon, wgsLat);
    }

    /// <summary>
    /// The published GCJ-02 offset at a WGS-84 point, in degrees: a polynomial-and-sine function
    /// of the position relative to 105° E, 35° N, giving metres-like quantities that are turned
    /// into degrees with the Krasovsky meridian and prime-vertical radii of curvature.
    /// </summary>
    private static (double DLon, double DLat) Gcj02Offset(double lon, double lat)
    {
        var x = lon - 105.0;
        var y = lat - 35.0;
        var sharedWave = (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;

        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x))
            + sharedWave
            + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
            + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x))
            + sharedWave
            + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
            + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;

        var radLat = lat / 180.0 * Math.PI;
        var sinLat = Math.Sin(radLat);
        var magic = 1 - KrasovskyEccentricitySquared * sinLat * sinLat;
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (KrasovskySemiMajorAxisMeters * (1 - KrasovskyEccentricitySquared) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (KrasovskySemiMajorAxisMeters / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLon, dLat);
    }

    private static (double Lon, double Lat) Gcj02ToBd09Core(double lon, double lat)
    {
        var z = Math.Sqrt(lon * lon + lat * lat) + BaiduRadiusTerm * Math.Sin(lat * BaiduXPi);
        var theta = Math.Atan2(lat, lon) + BaiduAngleTerm * Math.Cos(lon * BaiduXPi);
        return (z * Math.Cos(theta) + BaiduLongitudeOffset, z * Math.Sin(theta) + BaiduLatitudeOffset);
    }

    private static (double Lon, double Lat) Bd09ToGcj02Core(double lon, double lat)
    {
        // The published inverse evaluates the rotation and scaling at the BD-09 point instead of
        // the GCJ-02 one, which leaves up to about 0.2 m of error in China; iterate it away.
        var x = lon - BaiduLongitudeOffset;
        var y = lat - BaiduLatitudeOffset;
        var z = Math.Sqrt(x * x + y * y) - BaiduRadiusTerm * Math.Sin(y * BaiduXPi);
        var theta = Math.Atan2(y, x) - BaiduAngleTerm * Math.Cos(x * BaiduXPi);
        var (gcjLon, gcjLat) = (z * Math.Cos(theta), z * Math.Sin(theta));
        for (var i = 0; i < MaxInverseIterations; i++)
        {
            var (bdLon, bdLat) = Gcj02ToBd09Core(gcjLon, gcjLat);
            var (errorLon, errorLat) = (lon - bdLon, lat - bdLat);
            if (Math.Abs(errorLon) < InverseToleranceDegrees && Math.Abs(errorLat) < InverseToleranceDegrees)
            {
                break;
            }

            (gcjLon, gcjLat) = (gcjLon + errorLon, gcjLat + errorLat);
        }

        return (gcjLon, gcjLat);
    }

    private static (double Lon, double Lat) Wgs84ToBd09Core(double lon, double lat)
    {
        var (gcjLon, gcjLat) = Wgs84ToGcj02Core(lon, lat);
        return Gcj02ToBd09Core(gcjLon, gcjLat);
    }

    private static (double Lon, double Lat) Bd09ToWgs84Core(double lon, double lat)
    {
        var (gcjLon, gcjLat) = Bd09ToGcj02Core(lon, lat);
        return Gcj02ToWgs84Core(gcjLon, gcjLat);
    }

    private static class Srid
    {
        public const int Unknown = 0;
        public const int Wgs84 = 4326;
        public const int Cgcs2000 = 4490;
    }

    /// <summary>
    /// Converts each vertex in place, on a fresh copy. Stops at the first vertex that is not a
    /// longitude/latitude pair and reports it, so the caller can throw naming its own argument.
    /// </summary>
    private sealed class VertexConverter(Func<double, double, (double Lon, double Lat)> convert, PrecisionModel precision)
        : ICoordinateSequenceFilter
    {
        public (double Lon, double Lat)? InvalidVertex { get; private set; }

        public bool Done => InvalidVertex is not null;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (lon, lat) = (seq.GetX(i), seq.GetY(i));
            if (!GeographicArguments.IsValid(lon, lat))
            {
                InvalidVertex = (lon, lat);
                return;
            }

            var (convertedLon, convertedLat) = convert(lon, lat);
            seq.SetX(i, precision.MakePrecise(convertedLon));
            seq.SetY(i, precision.MakePrecise(convertedLat));
        }
    }
}
