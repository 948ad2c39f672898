using CivicGrid.Domain.FieldWork;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests.FieldWork;

public class ReportingPeriodAndRollUpTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static (ReportingPeriod? Period, Dictionary<string, string[]> Errors) Read(string? period, DateOnly? from = null, DateOnly? to = null)
    {
        var errors = new Dictionary<string, string[]>();
        return (ReportingPeriod.Read(period, from, to, Today, errors), errors);
    }

    [Theory]
    [InlineData("2026-11", "2026-11-01", "2026-11-30")]
    [InlineData("2024-02", "2024-02-01", "2024-02-29")]
    [InlineData("2026-Q4", "2026-10-01", "2026-12-31")]
    [InlineData("2026-q1", "2026-01-01", "2026-03-31")]
    [InlineData("2026", "2026-01-01", "2026-12-31")]
    [InlineData("2024", "2024-01-01", "2024-12-31")]
    public void Read_Shorthand_IsTheWholeMonthQuarterOrYear(string text, string from, string to)
    {
        var (period, errors) = Read(text);
        Assert.Empty(errors);
        Assert.Equal(new ReportingPeriod(DateOnly.Parse(from), DateOnly.Parse(to)), period);
    }

    [Fact]
    public void Read_Nothing_IsThisMonthSoFar()
    {
        var (period, _) = Read(null);
        Assert.Equal(new ReportingPeriod(new DateOnly(2026, 12, 1), Today), period);
        Assert.Equal(6, period!.Days);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-Q5")]
    [InlineData("2026-Q0")]
    [InlineData("26-11")]
    [InlineData("1999")]
    [InlineData("2026-11-01")]
    [InlineData("十一月")]
    public void Read_ShorthandThatDoesNotRead_IsRefusedUnderPeriod(string text)
    {
        var (period, errors) = Read(text);
        Assert.Null(period);
        Assert.Contains("2026-Q4", Assert.Single(errors["period"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BothFormsOrBackwardsOrLongerThanAYear_IsRefused()
    {
        Assert.True(Read("2026-11", new DateOnly(2026, 11, 1)).Errors.ContainsKey("period"));
        Assert.Contains("早于", Read(null, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 1)).Errors["to"][0], StringComparison.Ordinal);
        Assert.Contains("一年", Read(null, new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 2)).Errors["to"][0], StringComparison.Ordinal);
        Assert.Equal(366, Read(null, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)).Period!.Days);
    }

    [Fact]
    public void WeekStarts_AreTheMondaysOfEveryWeekTouchingThePeriod()
    {
        var march = ReportingPeriod.Shorthand("2025-03")!;
        Assert.Equal([new DateOnly(2025, 2, 24), new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 17), new DateOnly(2025, 3, 24),
            new DateOnly(2025, 3, 31)], march.WeekStarts());
        Assert.Equal([new DateOnly(2026, 11, 30)], new ReportingPeriod(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6)).WeekStarts());
    }

    [Theory]
    [InlineData("610103099001010203", GridLevel.Micro, "610103099001010203")]
    [InlineData("610103099001010203", GridLevel.Third, "6101030990010102")]
    [InlineData("610103099001010203", GridLevel.Second, "61010309900101")]
    [InlineData("6101030990010102", GridLevel.Second, "61010309900101")]
    [InlineData("6101030990010102", GridLevel.Micro, null)]
    [InlineData("610103099001", GridLevel.Second, null)]
    [InlineData("610103099001901", GridLevel.Second, null)]
    [InlineData("610103099001901", GridLevel.Third, null)]
    public void RowOf_CountsARecordInItsAncestorOfTheLevel_NeverFromACoarserOrDedicatedGrid(string code, GridLevel level, string? row) =>
        Assert.Equal(row, GridRollUp.RowOf(code, level));

    [Fact]
    public void IsDedicated_ReadsTheMarkerAfterTheCommunity()
    {
        Assert.True(GridRollUp.IsDedicated("610103099001901"));
        Assert.False(GridRollUp.IsDedicated("61010309900101"));
        Assert.False(GridRollUp.IsDedicated("610103099001"));
    }

    [Theory]
    [InlineData(3, 4, true, 0.75)]
    [InlineData(0, 4, false, 0)]
    [InlineData(1, 3, true, 0.3333)]
    [InlineData(0, 0, true, 1)]
    [InlineData(0, 0, false, 0)]
    public void CoverageShare_IsWalkedMicroGridsOverAll_OrWalkedForAGridWithoutThem(int walked, int all, bool any, double share) =>
        Assert.Equal(share, GridRollUp.CoverageShare(walked, all, any));

    [Theory]
    [InlineData("grid-2", GridLevel.Second)]
    [InlineData("grid-3", GridLevel.Third)]
    [InlineData("micro", GridLevel.Micro)]
    public void TryReadLevel_ReadsTheThreeGridLevels(string text, GridLevel level)
    {
        Assert.True(GridRollUp.TryReadLevel(text, out var read));
        Assert.Equal(level, read);
    }

    [Theory]
    [InlineData("community")]
    [InlineData("house")]
    [InlineData(null)]
    public void TryReadLevel_RefusesOtherLevels(string? text) => Assert.False(GridRollUp.TryReadLevel(text, out _));
}
