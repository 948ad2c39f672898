using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Patrols;

public enum PatrolStatus
{
    Open = 1,
    Closed = 2,
}

/// <summary>
/// One "110" patrol (巡查): a grid worker's walk from the moment they press start to the moment they press end. Positions
/// arrive in batches (<see cref="Accept"/>), each at most once; an ended patrol takes no more and keeps its figures.
/// </summary>
public sealed class Patrol
{
    /// <summary>Positions more than this far in the past (relative to the patrol's start) are refused: a phone's clock gone wrong.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private Patrol()
    {
        GridCode = null!;
        WorkerName = null!;
    }

    /// <param name="gridCode">The grid the worker is assigned to (their scope), for the console's scope.</param>
    public Patrol(Guid workerId, string workerName, string gridCode, DateTimeOffset startedAt, DateOnly day)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gridCode);
        Id = Guid.CreateVersion7();
        WorkerId = workerId;
        WorkerName = workerName;
        GridCode = gridCode;
        StartedAt = startedAt;
        Day = day;
        Status = PatrolStatus.Open;
    }

    public Guid Id { get; private set; }

    public Guid WorkerId { get; private set; }

    /// <summary>The worker's display name when the patrol started.</summary>
    public string WorkerName { get; private set; }

    /// <summary>The worker's scope code (a grid); the patrol is seen by staff whose scope holds it.</summary>
    public string GridCode { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The Beijing date the patrol started on: the day it counts for.</summary>
    public DateOnly Day { get; private set; }

    public PatrolStatus Status { get; private set; }

    /// <summary>Points received (before filtering).</summary>
    public int PointCount { get; private set; }

    public DateTimeOffset? LastPointAt { get; private set; }

    /// <summary>Figures computed at the end (and kept): walked metres, vehicle metres, steps, walked seconds.</summary>
    public double WalkedMeters { get; private set; }

    public double VehicleMeters { get; private set; }

    public int Steps { get; private set; }

    public bool StepsFromPhone { get; private set; }

    public double WalkedSeconds { get; private set; }

    /// <summary>The kept points as a WGS-84 line (SRID 4326), set when the patrol ends; null before, or with fewer than two points.</summary>
    public LineString? Track { get; private set; }

    public bool IsOpen => Status == PatrolStatus.Open;

    /// <summary>
    /// Why a batch of positions cannot be taken, or null when it can: the patrol is ended, a coordinate is impossible, a
    /// time lies in the future (beyond <see cref="MaxClockSkew"/>) or before the patrol started (less the skew).
    /// </summary>
    public string? RefusalOf(IReadOnlyList<TrackPoint> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!IsOpen)
        {
            return PatrolRefusals.Closed;
        }

        if (RefusalOfPoints(points, now) is { } refusal)
        {
            return refusal;
        }

        foreach (var p in points)
        {
            if (p.At < StartedAt - MaxClockSkew)
            {
                return PatrolRefusals.TooOld;
            }
        }

        return null;
    }

    /// <summary>
    /// What can be said of a batch without its patrol: it is empty, a coordinate, accuracy or step count is impossible, or a
    /// time lies in the future (beyond <see cref="MaxClockSkew"/>); null when none of these.
    /// </summary>
    public static string? RefusalOfPoints(IReadOnlyList<TrackPoint> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return PatrolRefusals.Empty;
        }

        foreach (var p in points)
        {
            if (!double.IsFinite(p.Lon) || !double.IsFinite(p.Lat) || p.Lon is < -180 or > 180 || p.Lat is < -90 or > 90 || (p.Lon == 0 && p.Lat == 0))
            {
                return PatrolRefusals.ImpossibleCoordinates;
            }

            if (p.AccuracyMeters is < 0 || p.Steps is < 0)
            {
                return PatrolRefusals.ImpossibleCoordinates;
            }

            if (p.At > now + MaxClockSkew)
            {
                return PatrolRefusals.InTheFuture;
            }
        }

        return null;
    }

    /// <summary>Counts an accepted batch (checked with <see cref="RefusalOf"/> first).</summary>
    public void Accept(IReadOnlyList<TrackPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!IsOpen)
        {
            throw new InvalidOperationException(PatrolRefusals.Closed);
        }

        PointCount += points.Count;
        var last = points.Max(p => p.At);
        if (LastPointAt is null || last > LastPointAt)
        {
            LastPointAt = last;
        }
    }

    /// <summary>
    /// True when the worker did not end it: it was left open and the system ended it at its last point (the nightly close,
    /// or the worker's next start on a later day).
    /// </summary>
    public bool EndedBySystem { get; private set; }

    /// <summary>Ends the patrol with the figures of its whole track.</summary>
    /// <param name="bySystem">True when the system ends a patrol left open, rather than the worker.</param>
    public void End(DateTimeOffset at, TrackSummary summary, bool bySystem = false)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!IsOpen)
        {
            throw new InvalidOperationException(PatrolRefusals.Closed);
        }

        Status = PatrolStatus.Closed;
        EndedBySystem = bySystem;
        EndedAt = at < StartedAt ? StartedAt : at;
        Record(summary);
        Track = LineOf(summary.Kept);
    }

    /// <summary>The points as a WGS-84 line (SRID 4326), or null with fewer than two.</summary>
    public static LineString? LineOf(IReadOnlyList<TrackPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return points.Count < 2 ? null : new LineString([.. points.Select(p => new Coordinate(p.Lon, p.Lat))]) { SRID = 4326 };
    }

    /// <summary>Keeps a track's figures on the patrol.</summary>
    public void Record(TrackSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        WalkedMeters = Math.Round(summary.WalkedMeters, 1);
        VehicleMeters = Math.Round(summary.VehicleMeters, 1);
        Steps = summary.Steps;
        StepsFromPhone = summary.StepsFromPhone;
        WalkedSeconds = Math.Round(summary.WalkedTime.TotalSeconds);
    }
}

/// <summary>The rules a batch of positions can break, in the words the phone shows.</summary>
public static class PatrolRefusals
{
    public const string Closed = "这次巡查已经结束，不能再上传轨迹。";
    public const string Empty = "这批轨迹没有任何位置点。";
    public const string ImpossibleCoordinates = "轨迹中有不可能的位置（经纬度超出范围、精度或步数为负）。";
    public const string InTheFuture = "轨迹中有晚于现在的时间，请检查手机时间。";
    public const string TooOld = "轨迹中有早于本次巡查开始的时间，请检查手机时间。";
}
