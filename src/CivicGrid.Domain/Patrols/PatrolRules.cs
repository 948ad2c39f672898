using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Domain.Patrols;

/// <summary>
/// The patrol rules an installation may tune (configuration section <c>Patrols</c>), validated at start-up. Every
/// distance is in metres, every speed in metres per second.
/// </summary>
public sealed class PatrolRules
{
    public const string Section = "Patrols";

    /// <summary>A point whose reported accuracy is worse (larger) than this is dropped. Default 50 m.</summary>
    [Range(5, 1000)]
    public double MaxAccuracyMeters { get; set; } = 50;

    /// <summary>A stretch faster than this is a vehicle (bus, e-bike) and is not counted. Default 2.5 m/s (9 km/h, a brisk walk is 1.5).</summary>
    [Range(1, 10)]
    public double MaxWalkingSpeed { get; set; } = 2.5;

    /// <summary>
    /// A stretch this short in time is judged with the next ones: a single GPS jump over a few seconds is noise, so the
    /// speed must be sustained over at least this long to mark a vehicle. Default 20 s.
    /// </summary>
    [Range(0, 300)]
    public double SustainedSeconds { get; set; } = 20;

    /// <summary>A silence longer than this between two points (phone off, no signal) is not counted as walked. Default 10 minutes.</summary>
    [Range(60, 7200)]
    public double MaxGapSeconds { get; set; } = 600;

    /// <summary>Length of one step, used when the phone sends no step count. Default 0.7 m.</summary>
    [Range(0.3, 1.5)]
    public double StrideMeters { get; set; } = 0.7;

    /// <summary>Steps a grid worker should walk a day ("每天走街串巷1万步"). Default 10,000.</summary>
    [Range(100, 100_000)]
    public int DailyStepGoal { get; set; } = 10_000;

    /// <summary>Share (0–1) of the grids in a scope that should be walked at least once a week. Default 1: every grid, every week.</summary>
    [Range(0.01, 1)]
    public double WeeklyCoverageGoal { get; set; } = 1;

    /// <summary>Points further apart than this along a walked stretch are sampled in between to find the grids it crossed. Default 20 m.</summary>
    [Range(5, 200)]
    public double CoverageSampleMeters { get; set; } = 20;

    /// <summary>Steps a distance is worth at the configured stride, rounded down.</summary>
    public int EstimateSteps(double meters) => meters <= 0 ? 0 : (int)Math.Floor(meters / StrideMeters);

    /// <summary>True when a day's steps reach the daily goal.</summary>
    public bool MeetsDailyGoal(int steps) => steps >= DailyStepGoal;

    /// <summary>True when <paramref name="walked"/> of <paramref name="total"/> grids reach the weekly goal; an empty scope meets it.</summary>
    public bool MeetsWeeklyCoverage(int walked, int total) => total == 0 || (double)walked / total >= WeeklyCoverageGoal - 1e-9;
}
