using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>Whoever typed a call in, or ever recorded a handling result, never verifies or rates the case.</summary>
public sealed class EnteredOrHandledRuleTests
{
    private const string Grid = "610103099001001001";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheOwnerWhoEnteredTheCall_MayNotVerifyIt_NorSeeTheAction()
    {
        var owner = TestCases.OwnerOf(Grid, CaseTier.Green);
        var handler = TestCases.Staff(Role.GridWorker, Grid, "处置人");
        var subject = Handled(owner, handler, enteredBy: owner.UserId);

        var refused = Assert.Throws<CaseRuleException>(() => subject.Verify(owner, subject.Version, Now.AddHours(5), true, null));

        Assert.Equal(CaseRules.NotByWhoEnteredOrHandled.Name, refused.Rule);
        Assert.Contains("代为登记", refused.ChineseMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseVerbs.Verify, CaseRules.AllowedActions(owner, subject, Now.AddHours(5)));
    }

    [Fact]
    public void AnOwnerWhoHandledAnEarlierRound_MayNotVerifyTheNextOne()
    {
        var owner = TestCases.OwnerOf(Grid, CaseTier.Green);
        var worker = TestCases.Staff(Role.GridWorker, Grid, "网格员");
        var subject = Handled(owner, owner, enteredBy: null);
        var reporter = Actor.AnonymousReporter(subject.Number);
        subject.Verify(reporter, subject.Version, Now.AddHours(5), false, "还是不亮");
        subject.Assign(owner, subject.Version, Now.AddHours(6), CaseAssignee.User(worker.UserId, worker.DisplayName), Now.AddDays(2));
        subject.StartHandling(worker, subject.Version, Now.AddHours(7));
        subject.RecordHandled(worker, subject.Version, Now.AddHours(8), "已更换灯具", [Guid.NewGuid()]);

        var refused = Assert.Throws<CaseRuleException>(() => subject.Verify(owner, subject.Version, Now.AddHours(9), true, null));

        Assert.Equal(CaseRules.NotByWhoEnteredOrHandled.Name, refused.Rule);
        Assert.Equal(new[] { owner.UserId, worker.UserId }.Order(), CaseRules.WhoEnteredOrHandled(subject).Order());
        subject.Verify(reporter, subject.Version, Now.AddHours(9), true, null); // the reporter still may
    }

    private static Case Handled(Actor owner, Actor handler, Guid? enteredBy)
    {
        var subject = new Case(TestCases.NewNumber(), "C0102", "路灯不亮", "来电反映路灯不亮", new Point(108.95, 34.27), Grid, CaseTier.Green,
            enteredBy is null ? CaseChannel.ResidentApp : CaseChannel.StaffEntry, null, Now) { EnteredBy = enteredBy };
        subject.Accept(owner, subject.Version, Now.AddHours(1));
        subject.Assign(owner, subject.Version, Now.AddHours(2), CaseAssignee.User(handler.UserId, handler.DisplayName), Now.AddDays(2));
        subject.StartHandling(handler, subject.Version, Now.AddHours(3));
        subject.RecordHandled(handler, subject.Version, Now.AddHours(4), "已修复", [Guid.NewGuid()]);
        return subject;
    }
}
