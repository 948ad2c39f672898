using CivicGrid.Domain.Assessment;

namespace CivicGrid.Domain.Tests.Assessment;

public class AssessmentPeriodTests
{
    [Theory]
    [InlineData("2026-11", "2026-11-01", "2026-11-30", "2026年11月")]
    [InlineData("2026-02", "2026-02-01", "2026-02-28", "2026年2月")]
    [InlineData("2028-02", "2028-02-01", "2028-02-29", "2028年2月")]
    [InlineData("2026-Q3", "2026-07-01", "2026-09-30", "2026年第三季度")]
    [InlineData("2026-Q4", "2026-10-01", "2026-12-31", "2026年第四季度")]
    [InlineData("2026", "2026-01-01", "2026-12-31", "2026年度")]
    public void Parse_GivesTheCalendarPeriodAndWritesItBackTheSame(string text, string from, string to, string label)
    {
        var period = AssessmentPeriod.Parse(text);

        Assert.Equal(DateOnly.Parse(from), period.From);
        Assert.Equal(DateOnly.Parse(to), period.To);
        Assert.Equal(label, period.Label);
        Assert.Equal(text, period.ToString());
    }

    [Fact]
    public void Parse_AcceptsALowerCaseQuarter()
    {
        Assert.Equal(AssessmentPeriod.Quarter(2026, 2), AssessmentPeriod.Parse("2026-q2"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-Q5")]
    [InlineData("2026-Q0")]
    [InlineData("26-Q1")]
    [InlineData("1999")]
    [InlineData("2026/11")]
    [InlineData("2026-1")]
    [InlineData("２０２６")]
    public void TryParse_RefusesAnythingElse(string? text)
    {
        Assert.False(AssessmentPeriod.TryParse(text, out _));
    }

    [Fact]
    public void Previous_CrossesTheYear()
    {
        Assert.Equal("2025-12", AssessmentPeriod.Month(2026, 1).Previous().ToString());
        Assert.Equal("2025-Q4", AssessmentPeriod.Quarter(2026, 1).Previous().ToString());
        Assert.Equal("2025", AssessmentPeriod.OfYear(2026).Previous().ToString());
    }

    [Fact]
    public void LastComplete_IsThePeriodBeforeToday()
    {
        var today = new DateOnly(2026, 12, 6);

        Assert.Equal("2026-11", AssessmentPeriod.LastComplete(PeriodKind.Month, today).ToString());
        Assert.Equal("2026-Q3", AssessmentPeriod.LastComplete(PeriodKind.Quarter, today).ToString());
        Assert.Equal("2025", AssessmentPeriod.LastComplete(PeriodKind.Year, today).ToString());
    }

    [Fact]
    public void HasEnded_OnlyAfterItsLastDay()
    {
        var q4 = AssessmentPeriod.Quarter(2026, 4);

        Assert.False(q4.HasEnded(new DateOnly(2026, 12, 31)));
        Assert.True(q4.HasEnded(new DateOnly(2027, 1, 1)));
        Assert.True(AssessmentPeriod.Month(2026, 11).IsWithin(q4));
        Assert.False(AssessmentPeriod.Month(2026, 9).IsWithin(q4));
        Assert.Equal(92, q4.Days);
    }
}
