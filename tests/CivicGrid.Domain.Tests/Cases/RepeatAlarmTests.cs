using CivicGrid.Domain.Cases;
using NetTopologySuite.Geometries;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>A device alarming again while its case is open adds to that case (重复报警), through the timeline.</summary>
public sealed class RepeatAlarmTests
{
    [Fact]
    public void RecordRepeatAlarm_OnAnOpenSensorCase_AppendsAStaffOnlyEntry_AndKeepsStatus()
    {
        var subject = SensorCase();

        subject.RecordRepeatAlarm(Actor.System, subject.Version, Now, "SMK-0001", "smoke", "烟雾浓度 0.12 dB/m");
        subject.RecordRepeatAlarm(Actor.System, subject.Version, Now.AddMinutes(1), "SMK-0001", "smoke", null);

        Assert.Equal(CaseStatus.Reported, subject.Status);
        Assert.Equal(2, subject.Version);
        var last = subject.Timeline[^1];
        Assert.Equal("repeat-alarm", last.Action);
        Assert.False(last.IsPublic);
        Assert.Equal("2", last.Details["repeat"]);
        Assert.Equal("SMK-0001", last.Details["device"]);
        Assert.Equal("烟雾浓度 0.12 dB/m", subject.Timeline[1].Note);
        Assert.Null(subject.VerifyTimeline());
        Assert.Single(subject.PublicTimeline());
    }

    [Fact]
    public void RecordRepeatAlarm_IsNews_TheFirstTime_ThenAtMostOncePerInterval()
    {
        var subject = SensorCase();
        var hourly = TimeSpan.FromHours(1);

        foreach (var minutes in new[] { 0, 1, 30, 59, 60, 61, 125 })
        {
            subject.RecordRepeatAlarm(Actor.System, subject.Version, Now.AddMinutes(minutes), "SMK-0001", "smoke", null, hourly);
        }

        var notified = subject.Timeline.Where(e => e.Action == "repeat-alarm").Select(e => e.Details.GetValueOrDefault("notify") == "true").ToList();
        Assert.Equal([true, false, false, false, true, false, true], notified);
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void RecordRepeatAlarm_WithoutAnInterval_IsNeverNews()
    {
        var subject = SensorCase();

        subject.RecordRepeatAlarm(Actor.System, subject.Version, Now, "SMK-0001", "smoke", null);

        Assert.False(subject.Timeline[^1].Details.ContainsKey("notify"));
    }

    [Fact]
    public void RecordRepeatAlarm_OnAClosedCase_IsRefused()
    {
        var subject = SensorCase();
        var owner = Actors.OwnerOf(CaseTier.Green);
        subject.Reject(owner, subject.Version, Now, "误报");

        Refused.By("case.repeat-alarm.only-when-open", () => subject.RecordRepeatAlarm(Actor.System, subject.Version, Now, "SMK-0001", "smoke", null));
        Assert.Equal(1, subject.Version);
    }

    [Fact]
    public void RecordRepeatAlarm_ByAUser_IsRefused()
    {
        var subject = SensorCase();

        Refused.By("case.actor.system-only", () => subject.RecordRepeatAlarm(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, "SMK-0001", "smoke", null));
    }

    [Fact]
    public void RecordRepeatAlarm_OnAResidentsCase_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.repeat-alarm.only-sensor-case", () => subject.RecordRepeatAlarm(Actor.System, subject.Version, Now, "SMK-0001", "smoke", null));
    }

    [Fact]
    public void RecordRepeatAlarm_WithoutTheDevice_IsRefused()
    {
        var subject = SensorCase();

        Refused.By("case.repeat-alarm.device-and-type-required", () => subject.RecordRepeatAlarm(Actor.System, subject.Version, Now, " ", "smoke", null));
    }

    private static Case SensorCase() =>
        new("2026112700077", "E0403", "烟感报警", "烟感探测器 SMK-0001 报警", new Point(108.95, 34.26), Codes.MicroGrid,
            CaseTier.Green, CaseChannel.Sensor, null, ReportedAt, "烟感探测器 SMK-0001");
}
