using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Briefings;

namespace CivicGrid.Domain.Tests.Briefings;

public class BriefingRecipientsTests
{
    private const string Subdistrict = "610103099";
    private const string Community = "610103099001";
    private const string OtherCommunity = "610103099002";
    private static readonly Guid Police = Guid.NewGuid();
    private static readonly Guid Property = Guid.NewGuid();
    private static readonly Guid Sender = Guid.NewGuid();

    private static readonly BriefingCandidate Worker = Candidate("网格员甲", Community + "0101", Role.GridWorker);
    private static readonly BriefingCandidate Leader = Candidate("网格长乙", Community + "01", Role.GridLeader);
    private static readonly BriefingCandidate Micro = Candidate("微网格员丙", Community + "010101", Role.MicroGridWorker);
    private static readonly BriefingCandidate OtherWorker = Candidate("网格员丁", OtherCommunity + "0101", Role.GridWorker);
    private static readonly BriefingCandidate Liaison = Candidate("民警戊", Subdistrict, Role.DepartmentLiaison) with { OrganisationId = Police };
    private static readonly BriefingCandidate PropertyStaff = Candidate("物业己", Community, Role.PropertyStaff) with { OrganisationId = Property };
    private static readonly BriefingCandidate Staff = Candidate("社区庚", Community, Role.CommunityStaff);
    private static readonly BriefingCandidate Resident = Candidate("居民辛", Community + "0101", Role.Resident);
    private static readonly BriefingCandidate Operator = Candidate("值班员壬", Subdistrict, Role.SubdistrictOperator);
    private static readonly BriefingCandidate Leaver = Candidate("离职癸", Community + "0102", Role.GridWorker) with { IsActive = false };
    private static readonly BriefingCandidate SenderItself = Candidate("发送人", Community, Role.CommunityStaff, Role.GridLeader) with { UserId = Sender };

    private static readonly BriefingCandidate[] Everyone =
        [Worker, Leader, Micro, OtherWorker, Liaison, PropertyStaff, Staff, Resident, Operator, Leaver, SenderItself];

    [Fact]
    public void Resolve_ByKindOnly_ReachesThoseKindsInTheSendersScope()
    {
        var audience = Audience(kinds: [BriefingRecipientKind.GridWorker, BriefingRecipientKind.GridLeader]);

        var recipients = BriefingRecipients.Resolve(audience, Subdistrict, Sender, Everyone);

        Assert.Equal(["网格长乙", "网格员甲", "网格员丁"], recipients.Select(r => r.DisplayName));
    }

    [Fact]
    public void Resolve_ByGrid_ReachesEveryAddressableWorkerScopedInsideIt_NotThoseAboveIt()
    {
        var recipients = BriefingRecipients.Resolve(Audience(grids: [Community]), Subdistrict, Sender, Everyone);

        // The liaison is scoped at the subdistrict, above the community; the resident and the operator are never addressed;
        // the leaver is inactive and the sender never sends to themself.
        Assert.Equal(new[] { Staff, PropertyStaff, Leader, Worker, Micro }.Select(c => c.UserId).Order(), recipients.Select(r => r.UserId).Order());
        Assert.Equal([Community, Community, Community + "01", Community + "0101", Community + "010101"], recipients.Select(r => r.ScopeCode));
    }

    [Fact]
    public void Resolve_ByGridAndKind_CombinesCriteriaWithAnd()
    {
        var recipients = BriefingRecipients.Resolve(Audience(grids: [Community + "01"], kinds: [BriefingRecipientKind.MicroGridWorker]), Subdistrict, Sender,
            Everyone);

        Assert.Equal([Micro.UserId], recipients.Select(r => r.UserId));
    }

    [Fact]
    public void Resolve_ByOrganisation_ReachesItsPeople_AndSeveralOrganisationsCombineWithOr()
    {
        var police = BriefingRecipients.Resolve(Audience(organisations: [Police]), Subdistrict, Sender, Everyone);
        var both = BriefingRecipients.Resolve(Audience(organisations: [Police, Property]), Subdistrict, Sender, Everyone);

        Assert.Equal([Liaison.UserId], police.Select(r => r.UserId));
        Assert.Equal(2, both.Count);
    }

    [Fact]
    public void Resolve_NeverReachesOutsideTheSendersScope()
    {
        var recipients = BriefingRecipients.Resolve(Audience(kinds: [BriefingRecipientKind.GridWorker, BriefingRecipientKind.DepartmentLiaison]), Community,
            Sender, Everyone);

        Assert.Equal([Worker.UserId], recipients.Select(r => r.UserId));
    }

    [Fact]
    public void Resolve_AnAccountListedTwice_IsOneRecipient()
    {
        var recipients = BriefingRecipients.Resolve(Audience(kinds: [BriefingRecipientKind.GridWorker]), Subdistrict, Sender, [Worker, Worker]);

        Assert.Single(recipients);
    }

    [Fact]
    public void Check_AnAudienceWithNoCriterion_IsRefusedByName()
    {
        var problem = BriefingRecipients.Check(Audience(), Community);

        Assert.Equal(BriefingRecipients.AudienceEmpty, problem?.Rule);
        Assert.Contains("请至少选择", problem!.DetailZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AGridOutsideTheSendersScope_IsRefusedNamingIt()
    {
        var problem = BriefingRecipients.Check(Audience(grids: [Community, OtherCommunity]), Community);

        Assert.Equal(BriefingRecipients.GridOutsideScope, problem?.Rule);
        Assert.Contains(OtherCommunity, problem!.DetailZh, StringComparison.Ordinal);
        Assert.DoesNotContain(Community + "、", problem.DetailZh, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckResolved_NobodyReached_IsRefusedByName()
    {
        Assert.Equal(BriefingRecipients.NoRecipients, BriefingRecipients.CheckResolved([])?.Rule);
        Assert.Null(BriefingRecipients.CheckResolved([Worker]));
    }

    [Fact]
    public void Briefing_KeepsItsRecipientsAsTheyWereWhenSent()
    {
        var briefing = Send(requiresConfirmation: false, Worker with { Roles = [Role.GridWorker, Role.Resident] }, Leader);

        Assert.Equal([Role.GridWorker], briefing.Recipients[0].Roles);
        Assert.Equal(Worker.ScopeCode, briefing.Recipients[0].ScopeCode);
        Assert.All(briefing.Recipients, r => Assert.Equal(Community, r.BriefingScopeCode));
    }

    [Fact]
    public void Outstanding_IsUnopenedWithoutConfirmation_AndUnconfirmedWithIt()
    {
        var plain = Send(requiresConfirmation: false, Worker, Leader);
        var confirmed = Send(requiresConfirmation: true, Worker, Leader);
        var at = DateTimeOffset.UtcNow;

        plain.Recipients[0].Open(at);
        confirmed.Recipients[0].Open(at);

        Assert.Single(plain.Outstanding);
        Assert.Equal(2, confirmed.Outstanding.Count());
        confirmed.Recipients[0].Confirm(at.AddMinutes(1));
        Assert.Single(confirmed.Outstanding);
        Assert.Equal(at, confirmed.Recipients[0].FirstOpenedAt);
    }

    [Fact]
    public void Remind_CountsOnlyTheOutstanding_AndKeepsTheTime()
    {
        var briefing = Send(requiresConfirmation: false, Worker, Leader, Micro);
        var at = DateTimeOffset.UtcNow;
        briefing.Recipients[0].Open(at);

        var reminded = briefing.Remind(at);

        Assert.Equal(2, reminded.Count);
        Assert.Equal(at, briefing.LastRemindedAt);
        Assert.Equal(0, briefing.Recipients[0].ReminderCount);
        Assert.All(reminded, r => Assert.Equal(1, r.ReminderCount));
    }

    private static Briefing Send(bool requiresConfirmation, params BriefingCandidate[] recipients) =>
        new("防汛通知", "正文", null, requiresConfirmation, null, Community, Sender, "发送人", Audience(grids: [Community]), recipients, DateTimeOffset.UtcNow);

    private static BriefingAudience Audience(string[]? grids = null, BriefingRecipientKind[]? kinds = null, Guid[]? organisations = null) =>
        new(grids ?? [], kinds ?? [], organisations ?? []);

    private static BriefingCandidate Candidate(string name, string scope, params Role[] roles) =>
        new(Guid.NewGuid(), name, scope, null, roles, true);
}
