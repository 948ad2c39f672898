namespace CivicGrid.Domain.Patrols;

/// <summary>
/// One position a phone recorded during a patrol: WGS-84 longitude and latitude in degrees (longitude first), the time
/// it was taken, the horizontal accuracy the phone reported (metres, radius of 68 % confidence; null when unknown) and,
/// when the phone has a pedometer, the steps counted since the patrol started (cumulative, so a lost point loses none).
/// </summary>
public readonly record struct TrackPoint(DateTimeOffset At, double Lon, double Lat, double? AccuracyMeters = null, int? Steps = null);

/// <summary>A stretch between two kept points of a track, walked or ridden.</summary>
/// <param name="Meters">Great-circle length (haversine), metres.</param>
/// <param name="IsWalked">False for a stretch faster than walking (a vehicle) or after a long silence; such stretches count for nothing.</param>
public readonly record struct TrackSegment(TrackPoint From, TrackPoint To, double Meters, bool IsWalked)
{
    public TimeSpan Duration => To.At - From.At;

    /// <summary>Metres per second; infinite for two points taken at the same instant at different places.</summary>
    public double SpeedMetersPerSecond => Duration <= TimeSpan.Zero ? (Meters > 0 ? double.PositiveInfinity : 0) : Meters / Duration.TotalSeconds;
}

/// <summary>What a track amounts to once the noise is filtered.</summary>
/// <param name="Kept">The points kept, in time order (accurate enough, not duplicated).</param>
/// <param name="Dropped">How many points were dropped for poor accuracy or a repeated time.</param>
/// <param name="WalkedMeters">Length of the walked stretches, metres.</param>
/// <param name="VehicleMeters">Length of the stretches faster than walking (not counted), metres.</param>
/// <param name="WalkedTime">Time spent on walked stretches.</param>
/// <param name="Steps">The phone's own count when it sent one, otherwise walked metres ÷ stride.</param>
/// <param name="StepsFromPhone">True when <paramref name="Steps"/> is the phone's pedometer count.</param>
public sealed record TrackSummary(IReadOnlyList<TrackPoint> Kept, IReadOnlyList<TrackSegment> Segments, int Dropped, double WalkedMeters,
    double VehicleMeters, TimeSpan WalkedTime, int Steps, bool StepsFromPhone);
