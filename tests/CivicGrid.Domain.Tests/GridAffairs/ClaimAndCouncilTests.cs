using CivicGrid.Domain.GridAffairs;

namespace CivicGrid.Domain.Tests.GridAffairs;

public class ClaimAndCouncilTests
{
    private const string Compound = "6101030990010007";
    private const string Micro = "610103099001010101";
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateOnly Jan1 = new(2026, 1, 1);
    private static readonly DateOnly Dec31 = new(2026, 12, 31);

    private static CommunityRule Broken(Action action) => Assert.Throws<CommunityRuleException>(action).Rule;

    private static Claim CompoundClaim(DateOnly start, DateOnly end, IEnumerable<ClaimPeriod>? others = null, bool hasProperty = false,
        ClaimerKind claimer = ClaimerKind.RedPropertyCompany) =>
        Claim.ForCompound(Compound, "东关正街 5 号院", Micro, hasProperty, others ?? [], claimer, Guid.NewGuid(), "红色物业", start, end, "每周保洁两次，每月巡检一次", Now);

    [Theory]
    [InlineData(ClaimTarget.Compound, ClaimerKind.RedPropertyCompany, true)]
    [InlineData(ClaimTarget.Compound, ClaimerKind.PublicUnit, true)]
    [InlineData(ClaimTarget.Compound, ClaimerKind.PartyMember, false)]
    [InlineData(ClaimTarget.Need, ClaimerKind.PartyMember, true)]
    [InlineData(ClaimTarget.Need, ClaimerKind.PublicUnit, true)]
    [InlineData(ClaimTarget.CaseCategory, ClaimerKind.RedPropertyCompany, false)]
    [InlineData(ClaimTarget.ProjectTask, ClaimerKind.PartyMember, true)]
    public void MayClaim_TellsWhichClaimerTakesWhichThing(ClaimTarget target, ClaimerKind claimer, bool may) => Assert.Equal(may, Claim.MayClaim(target, claimer));

    [Fact]
    public void ForCompound_ByAPartyMember_BreaksClaimerKind() =>
        Assert.Equal(CommunityRules.ClaimerKind, Broken(() => CompoundClaim(Jan1, Dec31, claimer: ClaimerKind.PartyMember)));

    [Fact]
    public void ForCompound_WithAPropertyCompany_BreaksCompoundHasProperty() =>
        Assert.Equal(CommunityRules.CompoundHasProperty, Broken(() => CompoundClaim(Jan1, Dec31, hasProperty: true)));

    [Fact]
    public void ForCompound_OverlappingAnotherClaim_BreaksClaimOverlaps_ButAdjacentPeriodsAreFine()
    {
        var first = CompoundClaim(Jan1, new DateOnly(2026, 6, 30));
        Assert.Equal(CommunityRules.ClaimOverlaps, Broken(() => CompoundClaim(new DateOnly(2026, 6, 30), Dec31, [first.Period])));
        var second = CompoundClaim(new DateOnly(2026, 7, 1), Dec31, [first.Period]);
        Assert.Equal(new DateOnly(2026, 7, 1), second.StartOn);
    }

    [Fact]
    public void EndedEarly_FreesTheRestOfThePeriod()
    {
        var first = CompoundClaim(Jan1, Dec31);
        first.End(new DateOnly(2026, 4, 1));
        Assert.Equal(new DateOnly(2026, 3, 31), first.Period.EndOn);
        Assert.False(first.InForceOn(new DateOnly(2026, 4, 1)));
        var next = CompoundClaim(new DateOnly(2026, 4, 1), Dec31, [first.Period]);
        Assert.True(next.InForceOn(new DateOnly(2026, 5, 1)));
    }

    [Fact]
    public void AnEmptyPeriod_BreaksClaimPeriod() => Assert.Equal(CommunityRules.ClaimPeriod, Broken(() => CompoundClaim(Jan1, Jan1)));

    [Fact]
    public void Fulfil_InsideThePeriod_IsKept_OutsideOrAfterTheEnd_IsRefused()
    {
        var claim = Claim.ForAffair(ClaimTarget.Need, Guid.NewGuid().ToString(), "助老送餐", Micro, ClaimerKind.PartyMember, Guid.NewGuid(), "李党员", Jan1, Dec31,
            "每周送餐一次", Now);
        claim.Fulfil(new DateOnly(2026, 3, 2), "送餐一次", "community01");
        Assert.Single(claim.Fulfilments);
        Assert.Equal(CommunityRules.FulfilmentOutsidePeriod, Broken(() => claim.Fulfil(new DateOnly(2027, 1, 2), "送餐", "community01")));
        claim.End(new DateOnly(2026, 6, 1));
        Assert.Equal(CommunityRules.ClaimEnded, Broken(() => claim.Fulfil(new DateOnly(2026, 6, 2), "送餐", "community01")));
        Assert.Equal(CommunityRules.ClaimEnded, Broken(() => claim.End(new DateOnly(2026, 7, 1))));
    }

    [Fact]
    public void ForAffair_ACompoundTarget_IsRefused() =>
        Assert.Equal(CommunityRules.ClaimerKind, Broken(() => Claim.ForAffair(ClaimTarget.Compound, Compound, "院", Micro, ClaimerKind.PublicUnit, Guid.NewGuid(),
            "单位", Jan1, Dec31, "承诺", Now)));

    private static CourtyardCouncil Council(IEnumerable<CouncilParticipant> people, IEnumerable<string> topics, DateOnly? heldOn = null) =>
        new(Compound, "东关正街 5 号院", Micro, heldOn ?? new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 6), "院内活动室", people, topics,
            ["楼道杂物本周清理"], null, Now);

    [Fact]
    public void Council_KeepsParticipantsTopicsDecisions_AndFollowUps()
    {
        var council = Council([new(CouncilRole.Resident, "王阿姨"), new(CouncilRole.CourtyardHead, "赵院长"), new(CouncilRole.Property, " ")],
            ["楼道堆物", " ", "停车"]);
        Assert.Equal(2, council.Participants.Count);
        Assert.Equal(["楼道堆物", "停车"], council.Topics);
        var needId = Guid.NewGuid();
        council.FollowUp("为独居老人安装扶手", FollowUpKind.Need, needId);
        council.FollowUp("下水道堵塞", FollowUpKind.Case, caseNumber: "20260506000001");
        Assert.Equal([FollowUpKind.Need, FollowUpKind.Case], council.FollowUps.Select(f => f.Kind));
    }

    [Fact]
    public void Council_WithoutResidents_WithoutTopics_OrInTheFuture_IsRefused()
    {
        Assert.Equal(CommunityRules.CouncilResidents, Broken(() => Council([new(CouncilRole.Property, "物业经理")], ["停车"])));
        Assert.Equal(CommunityRules.CouncilTopics, Broken(() => Council([new(CouncilRole.Resident, "王阿姨")], [" "])));
        Assert.Equal(CommunityRules.CouncilInFuture, Broken(() => Council([new(CouncilRole.Resident, "王阿姨")], ["停车"], new DateOnly(2026, 5, 7))));
    }
}
