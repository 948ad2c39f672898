using CivicGrid.Domain.Assessment;

namespace CivicGrid.Domain.Tests.Assessment;

public class ResidentCouncilTests
{
    private static readonly DateOnly TermStart = new(2026, 1, 1);
    private static readonly AssessmentPeriod Q3 = AssessmentPeriod.Quarter(2026, 3);

    private static CouncilMember Member(string homeGrid = "6101030990010102", DateOnly? from = null, DateOnly? to = null) =>
        new("王秀英", "13800000001", CouncilMemberKind.CourtyardHead, "610103099001", homeGrid, "61010309900101020001", from ?? TermStart,
            to ?? new DateOnly(2028, 12, 31), Guid.NewGuid());

    private static Dictionary<string, int> Stars(int environment, int mediation, int service) =>
        new() { ["environment"] = environment, ["mediation"] = mediation, ["service"] = service };

    [Fact]
    public void Evidence_WithTenScores_SetsAsideTheHighestAndLowest_AndTheKeptLinesAverageToTheValue()
    {
        int[] scores = [3, 5, 4, 1, 4, 4, 5, 4, 3, 4];

        var computed = CouncilEvidence.Compute("council-score", scores, new CouncilRules());

        Assert.Equal(3.875, computed.Value.Value);
        Assert.Equal(10, computed.Evidence.Count);
        Assert.Equal("评议 1 / 10", computed.Evidence[0].Reference);
        Assert.Equal("5 星（去掉最高分）", computed.Evidence[0].Note);
        Assert.False(computed.Evidence[0].Counted);
        Assert.Equal("1 星（去掉最低分）", computed.Evidence[9].Note);
        Assert.False(computed.Evidence[9].Counted);
        var kept = computed.Evidence.Where(e => e.Counted).Select(e => int.Parse(e.Note![..1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(8, kept.Count);
        Assert.Equal(computed.Value.Value, kept.Average());
    }

    [Fact]
    public void Evidence_NamesNobody_AndIsOrderedByStarsNotBySubmission()
    {
        var first = CouncilEvidence.Compute("council-score", [2, 5, 4, 3, 4], new CouncilRules());
        var second = CouncilEvidence.Compute("council-score", [4, 3, 5, 4, 2], new CouncilRules());

        // The same scores in another order give the same lines: nothing in them tells who gave which.
        Assert.Equal(first.Evidence, second.Evidence);
        Assert.All(first.Evidence, e => Assert.Matches(@"^评议 \d+ / 5$", e.Reference));
        Assert.All(first.Evidence, e => Assert.Matches(@"^\d 星", e.Note!));
        Assert.Equal(3.6, first.Value.Value);
    }

    [Fact]
    public void Evidence_ShortOfTheQuorum_IsAbsentWithTheReason_AndCountsNothing()
    {
        var computed = CouncilEvidence.Compute("council-score", [5, 5, 4], new CouncilRules(Quorum: 5));

        Assert.Null(computed.Value.Value);
        Assert.Contains("不足法定人数 5 人", computed.Value.Reason);
        Assert.Equal(3, computed.Evidence.Count);
        Assert.All(computed.Evidence, e => Assert.False(e.Counted));
    }

    [Fact]
    public void Evidence_WithNoScoresAtAll_SaysTheCouncilDidNotEvaluate()
    {
        var computed = CouncilEvidence.Compute("council-score", [], new CouncilRules());

        Assert.Null(computed.Value.Value);
        Assert.Contains("没有议事会成员评议", computed.Value.Reason);
        Assert.Empty(computed.Evidence);
    }

    [Theory]
    [InlineData(4, 4, 5, 4)]
    [InlineData(4, 5, 5, 5)]
    [InlineData(3, 4, 5, 4)]
    [InlineData(1, 2, 2, 2)]
    [InlineData(1, 1, 2, 1)]
    public void Overall_IsTheMeanOfTheAspectsRoundedHalfUp(int a, int b, int c, int expected) =>
        Assert.Equal(expected, CouncilForm.Overall([a, b, c]));

    [Fact]
    public void Check_AcceptsEveryAspectScored_AndKeepsThePhrasesInTheFormsOrder()
    {
        var form = CouncilForm.Default;

        var (stars, phrases) = form.Check(Stars(4, 5, 3), ["态度热情耐心", "网格员常来走访"]);

        Assert.Equal(Stars(4, 5, 3), stars);
        Assert.Equal(["网格员常来走访", "态度热情耐心"], phrases);
    }

    [Theory]
    [InlineData(CouncilRuleException.MissingAspect)]
    [InlineData(CouncilRuleException.UnknownAspect)]
    [InlineData(CouncilRuleException.BadStars)]
    [InlineData(CouncilRuleException.UnknownPhrase)]
    public void Check_RefusesABadSubmission_ByTheRuleItBreaks(string rule)
    {
        var stars = Stars(4, 4, 4);
        IReadOnlyList<string> phrases = ["网格员常来走访"];
        switch (rule)
        {
            case CouncilRuleException.MissingAspect:
                stars.Remove("service");
                break;
            case CouncilRuleException.UnknownAspect:
                stars["parking"] = 3;
                break;
            case CouncilRuleException.BadStars:
                stars["service"] = 6;
                break;
            default:
                phrases = ["随便写的一句话"];
                break;
        }

        var broken = Assert.Throws<CouncilRuleException>(() => CouncilForm.Default.Check(stars, phrases));
        Assert.Equal(rule, broken.Rule);
    }

    [Fact]
    public void Check_RefusesMoreThanThreePhrases()
    {
        var broken = Assert.Throws<CouncilRuleException>(() => CouncilForm.Default.Check(Stars(3, 3, 3), [.. CouncilForm.Default.Phrases.Take(4)]));
        Assert.Equal(CouncilRuleException.UnknownPhrase, broken.Rule);
    }

    [Fact]
    public void Window_OpensTwentyDaysBeforeThePeriodEnds_AndClosesFifteenDaysAfter()
    {
        var form = CouncilForm.Default;

        Assert.Equal(new DateOnly(2026, 9, 10), form.OpensOn(Q3));
        Assert.Equal(new DateOnly(2026, 10, 15), form.ClosesOn(Q3));
        Assert.False(form.IsOpen(Q3, new DateOnly(2026, 9, 9)));
        Assert.True(form.IsOpen(Q3, new DateOnly(2026, 9, 10)));
        Assert.True(form.IsOpen(Q3, new DateOnly(2026, 10, 15)));
        Assert.False(form.IsOpen(Q3, new DateOnly(2026, 10, 16)));
    }

    [Fact]
    public void Window_SomeMonthIsAlwaysOpen()
    {
        for (var day = new DateOnly(2026, 1, 1); day.Year == 2026; day = day.AddDays(1))
        {
            var month = AssessmentPeriod.Containing(PeriodKind.Month, day);
            Assert.True(CouncilForm.Default.IsOpen(month, day) || CouncilForm.Default.IsOpen(month.Previous(), day), $"nothing open on {day}");
        }
    }

    [Fact]
    public void Assignment_OutsideTheMembersTerm_IsRefused()
    {
        var member = Member(from: new DateOnly(2026, 10, 1));

        var broken = Assert.Throws<CouncilRuleException>(() => new CouncilAssignment("2026-Q3", member, "6101030990010102", Guid.NewGuid(), "community01",
            DateTimeOffset.UnixEpoch));

        Assert.Equal(CouncilRuleException.TermNotCovering, broken.Rule);
        Assert.Equal("2026-Q4", new CouncilAssignment("2026-q4", member, "6101030990010102", Guid.NewGuid(), "community01", DateTimeOffset.UnixEpoch).Period);
    }

    [Fact]
    public void EndTerm_KeepsTheRecord_ServesUntilTheDayBefore_AndCannotEndTwice()
    {
        var member = Member();

        member.EndTerm(new DateOnly(2026, 8, 1), "搬离本社区");

        Assert.True(member.ServesOn(new DateOnly(2026, 7, 31)));
        Assert.False(member.ServesOn(new DateOnly(2026, 8, 1)));
        Assert.True(member.ServesDuring(Q3.Previous()));
        Assert.True(member.ServesDuring(Q3));
        Assert.False(member.ServesDuring(AssessmentPeriod.Quarter(2026, 4)));
        Assert.Equal(CouncilRuleException.TermEnded, Assert.Throws<CouncilRuleException>(() => member.EndTerm(new DateOnly(2026, 9, 1), "再次")).Rule);
    }

    [Theory]
    [InlineData("610103099001010203", "6101030990010102")]
    [InlineData("6101030990010102", "6101030990010102")]
    [InlineData("61010309900101", "61010309900101")]
    [InlineData("610103099001901", null)]
    public void NearestAssessedGrid_IsTheThirdLevelGridHoldingTheHome(string home, string? expected) =>
        Assert.Equal(expected, Member(home).NearestAssessedGrid);

    [Fact]
    public void Evaluation_IsChangedInPlace_WithItsOverallScore()
    {
        var member = Member();
        var assignment = new CouncilAssignment("2026-Q3", member, "6101030990010102", Guid.NewGuid(), "community01", DateTimeOffset.UnixEpoch);
        var evaluation = new CouncilEvaluation(assignment, Stars(5, 5, 4), ["网格员常来走访"], DateTimeOffset.UnixEpoch);
        Assert.Equal(5, evaluation.Overall);

        evaluation.Change(Stars(2, 3, 2), [], DateTimeOffset.UnixEpoch.AddDays(1));

        Assert.Equal(2, evaluation.Overall);
        Assert.Empty(evaluation.Phrases);
        Assert.Equal(member.UserId, evaluation.MemberUserId);
        Assert.Equal(DateTimeOffset.UnixEpoch, evaluation.SubmittedAt);
    }

    [Fact]
    public void BranchActivities_CountOnlyThoseWithEvidence_EachListed()
    {
        var held = new BranchActivity("6101030990010102", new DateOnly(2026, 7, 1), "七一主题党日", null, 23, Guid.NewGuid(), "community01", DateTimeOffset.UnixEpoch);
        held.AddPhoto(Guid.NewGuid());
        held.AddPhoto(Guid.NewGuid());
        var bare = new BranchActivity("6101030990010102", new DateOnly(2026, 8, 5), "政策学习", null, 0, Guid.NewGuid(), "community01", DateTimeOffset.UnixEpoch);

        var computed = BranchActivityCount.Compute("branch-activities", [bare, held]);

        Assert.Equal(1, computed.Value.Value);
        Assert.Equal(["2026-07-01 七一主题党日", "2026-08-05 政策学习"], computed.Evidence.Select(e => e.Reference));
        Assert.Equal("2 份佐证材料，23 人参加", computed.Evidence[0].Note);
        Assert.False(computed.Evidence[1].Counted);
        Assert.Equal(computed.Value.Value, computed.Evidence.Count(e => e.Counted));
    }
}
