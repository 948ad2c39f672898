using CivicGrid.Domain.Roster;

namespace CivicGrid.Domain.Tests.Roster;

public class TurnoverTests
{
    private const string A = "610103099001";
    private const string B = "610103099002";
    private static readonly Quarter Q2 = new(2026, 2);

    private static AssignmentSpan Span(Guid member, string community, string start, string? end = null) =>
        new(member, community, DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            end is null ? null : DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Quarter_RunsFromItsFirstDay_ToTheNextQuartersFirstDay()
    {
        Assert.Equal(new DateOnly(2026, 4, 1), Q2.Start);
        Assert.Equal(new DateOnly(2026, 7, 1), Q2.Next);
        Assert.Equal(new Quarter(2025, 4), new Quarter(2026, 1).Previous);
        Assert.Equal(new Quarter(2026, 4), Quarter.Of(new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Compute_CountsStartJoinedLeftEnd_AndTheRateOverTheAverageHeadcount()
    {
        Guid p1 = Guid.NewGuid(), p2 = Guid.NewGuid(), p3 = Guid.NewGuid(), p4 = Guid.NewGuid(), p5 = Guid.NewGuid();
        var spans = new[]
        {
            Span(p1, A, "2025-01-01"),                // on duty throughout
            Span(p2, A, "2025-06-01", "2026-05-10"),  // leaves in Q2
            Span(p3, A, "2026-04-15"),                // joins in Q2
            Span(p4, A, "2026-05-01", "2026-06-20"),  // joins and leaves in Q2
            Span(p5, A, "2025-03-01", "2026-04-01"),  // leaves on Q2's first day: on duty at start, left in Q2
        };

        var figures = Assert.Single(Turnover.Compute(spans, [Q2]));

        Assert.Equal((3, 2, 3, 2), (figures.AtStart, figures.Joined, figures.Left, figures.AtEnd));
        Assert.Equal(figures.AtStart + figures.Joined - figures.Left, figures.AtEnd);
        Assert.Equal(1.2, figures.Rate); // 3 / ((3 + 2) / 2)
    }

    [Fact]
    public void Compute_AMoveWithinTheCommunity_IsNeitherALeavingNorAJoining()
    {
        var p = Guid.NewGuid();
        var spans = new[] { Span(p, A, "2025-01-01", "2026-05-01"), Span(p, A, "2026-05-01") };

        var figures = Assert.Single(Turnover.Compute(spans, [Q2]));

        Assert.Equal((1, 0, 0, 1, 0.0), (figures.AtStart, figures.Joined, figures.Left, figures.AtEnd, figures.Rate));
    }

    [Fact]
    public void Compute_AMoveToAnotherCommunity_LeavesOneAndJoinsTheOther()
    {
        var p = Guid.NewGuid();
        var spans = new[] { Span(p, A, "2025-01-01", "2026-05-01"), Span(p, B, "2026-05-01") };

        var figures = Turnover.Compute(spans, [Q2]);

        Assert.Equal([A, B], figures.Select(f => f.CommunityCode));
        Assert.Equal((1, 0, 1, 0), (figures[0].AtStart, figures[0].Joined, figures[0].Left, figures[0].AtEnd));
        Assert.Equal(2.0, figures[0].Rate);
        Assert.Equal((0, 1, 0, 1), (figures[1].AtStart, figures[1].Joined, figures[1].Left, figures[1].AtEnd));
    }

    [Fact]
    public void Rate_IsZero_WhenNobodyWasOnDuty() => Assert.Equal(0, Turnover.Rate(0, 0, 0));

    [Fact]
    public void Compute_SkipsCommunitiesWithNobodyInTheQuarter()
    {
        var spans = new[] { Span(Guid.NewGuid(), A, "2026-08-01") };
        Assert.Empty(Turnover.Compute(spans, [Q2]));
    }
}
