using CivicGrid.Domain.Roster;

namespace CivicGrid.Domain.Tests.Roster;

public class WorkIdTests
{
    private static readonly DateOnly From = new(2026, 1, 1);
    private static readonly DateOnly Until = new(2026, 12, 31);

    private static WorkId Issue() => new(Guid.NewGuid(), "610103099001", WorkId.FormatNumber("610103099", 2026, 7), From, Until, Guid.NewGuid(),
        DateTimeOffset.UnixEpoch);

    [Fact]
    public void FormatNumber_IsSubdistrictYearAndFourDigitSequence() =>
        Assert.Equal("61010309920260007", WorkId.FormatNumber("610103099", 2026, 7));

    [Fact]
    public void StatusOn_ValidBetweenItsDatesInclusive_ExpiredAfter_NotYetValidBefore()
    {
        var id = Issue();
        Assert.Equal(WorkIdStatus.NotYetValid, id.StatusOn(From.AddDays(-1)));
        Assert.Equal(WorkIdStatus.Valid, id.StatusOn(From));
        Assert.Equal(WorkIdStatus.Valid, id.StatusOn(Until));
        Assert.Equal(WorkIdStatus.Expired, id.StatusOn(Until.AddDays(1)));
    }

    [Fact]
    public void Revoke_WinsOverTheDates_AndIsKeptOnce()
    {
        var id = Issue();
        id.Revoke("离职", DateTimeOffset.UnixEpoch);
        Assert.Equal(WorkIdStatus.Revoked, id.StatusOn(new DateOnly(2026, 6, 1)));
        Assert.Throws<InvalidOperationException>(() => id.Revoke("again", DateTimeOffset.UnixEpoch));
        Assert.Equal("离职", id.RevokedReason);
    }

    [Fact]
    public void ExpiresWithin_OnlyForAnIdStillValid()
    {
        var id = Issue();
        Assert.True(id.ExpiresWithin(Until.AddDays(-30), 30));
        Assert.False(id.ExpiresWithin(Until.AddDays(-31), 30));
        Assert.False(id.ExpiresWithin(Until.AddDays(1), 30));
    }

    [Fact]
    public void VerifyToken_IsRandom_AndUnrelatedToTheNumber()
    {
        var a = Issue();
        var b = Issue();
        Assert.NotEqual(a.VerifyToken, b.VerifyToken);
        Assert.DoesNotContain(a.Number, a.VerifyToken, StringComparison.Ordinal);
        Assert.Equal(22, a.VerifyToken.Length);
    }

    [Theory]
    [InlineData("张建华", "张*华")]
    [InlineData("李娜", "李*")]
    [InlineData("欧阳建峰", "欧**峰")]
    [InlineData("王", "王")]
    public void MaskName_KeepsTheFirstAndLastCharacter(string name, string masked) => Assert.Equal(masked, WorkId.MaskName(name));

    [Fact]
    public void Eligibility_NeedsEveryRequiredCoursePassed_AttendedAndAtThePassMark()
    {
        var policy = new Course(CourseKind.Policy, "网格员政策培训", 4, 60, true, "610103099");
        var safety = new Course(CourseKind.Safety, "安全培训", 2, 80, true, "610103099");

        Assert.Equal([safety], WorkIdEligibility.Missing([policy, safety], [(policy.Id, true, 60), (safety.Id, true, 79)]));
        Assert.Equal([policy], WorkIdEligibility.Missing([policy, safety], [(policy.Id, false, 90), (safety.Id, true, 80)]));
        Assert.Empty(WorkIdEligibility.Missing([policy, safety], [(policy.Id, true, 55), (policy.Id, true, 70), (safety.Id, true, 100)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Attendance(Guid.NewGuid(), Guid.NewGuid(), "610103099001", true, 101));
    }
}
