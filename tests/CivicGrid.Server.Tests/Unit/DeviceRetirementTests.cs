using CivicGrid.Server.Features.Devices;

namespace CivicGrid.Server.Tests.Unit;

public class DeviceRetirementTests
{
    private static readonly DateTimeOffset Registered = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private static Device NewDevice() =>
        new("SMK-0001", DeviceKind.SmokeDetector, "3 号楼楼道烟感", "海曼 HM-608PH", "物业", 108.95, 34.25, "6101030990010101", "protected", Registered);

    [Fact]
    public void Retire_WhenInService_RecordsWhoWhenWhy_AndTakesItOutOfService()
    {
        var device = NewDevice();
        var by = Guid.NewGuid();
        var at = Registered.AddDays(3);

        device.Retire(by, at, "  楼道改造，已拆除  ");

        Assert.False(device.IsActive);
        Assert.Equal(by, device.RetiredBy);
        Assert.Equal(at, device.RetiredAt);
        Assert.Equal("楼道改造，已拆除", device.RetiredReason);
    }

    [Fact]
    public void Retire_ClearsAPendingOfflineClaim()
    {
        var device = NewDevice();
        device.RecordHeartbeat(Registered.AddHours(1));

        device.Retire(Guid.NewGuid(), Registered.AddDays(1), "损坏");

        Assert.Null(device.OfflineReportedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Retire_WithoutAReason_IsRefused_AndTheDeviceStaysInService(string reason)
    {
        var device = NewDevice();

        Assert.Throws<ArgumentException>(() => device.Retire(Guid.NewGuid(), Registered, reason));
        Assert.True(device.IsActive);
    }

    [Fact]
    public void Retire_WithATooLongReason_IsRefused() =>
        Assert.Throws<ArgumentException>(() => NewDevice().Retire(Guid.NewGuid(), Registered, new string('拆', Device.MaxRetiredReasonLength + 1)));

    [Fact]
    public void Retire_Twice_KeepsTheFirstRetirement()
    {
        var device = NewDevice();
        var first = Guid.NewGuid();
        device.Retire(first, Registered.AddDays(1), "拆除");

        Assert.Throws<InvalidOperationException>(() => device.Retire(Guid.NewGuid(), Registered.AddDays(2), "再次拆除"));
        Assert.Equal(first, device.RetiredBy);
        Assert.Equal("拆除", device.RetiredReason);
    }

    [Fact]
    public void ReplaceSecret_OfARetiredDevice_IsRefused()
    {
        var device = NewDevice();
        device.Retire(Guid.NewGuid(), Registered.AddDays(1), "拆除");

        Assert.Throws<InvalidOperationException>(() => device.ReplaceSecret("new"));
        Assert.Equal("protected", device.ProtectedSecret);
    }

    [Theory]
    [InlineData("smoke", true)]
    [InlineData("water-level", true)]
    [InlineData("Smoke", false)]
    [InlineData("water_level", false)]
    [InlineData("-smoke", false)]
    [InlineData("a--b", false)]
    [InlineData("", false)]
    public void AlarmTypeCode_IsKebabCase(string code, bool valid) => Assert.Equal(valid, DeviceAlarmType.IsValidCode(code));
}
