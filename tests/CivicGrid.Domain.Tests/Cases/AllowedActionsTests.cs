using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>
/// <see cref="CaseRules.AllowedActions"/>: the buttons a console shows. One test per rule it mirrors, and one that runs
/// every verb for real against every status, colour and kind of actor, so the list can never offer a verb the case
/// refuses, nor hide one it accepts.
/// </summary>
public class AllowedActionsTests
{
    private static readonly Guid DepartmentId = Actors.CityManagementId;

    [Fact]
    public void ReportedGreenCase_ForTheGridLeader_OffersTheIntakeDecisions()
    {
        var subject = ACase().Build();

        var actions = CaseRules.AllowedActions(Actors.GridLeaderOf(Codes.ThirdGrid), subject, Now);

        Assert.Equal([CaseVerbs.Accept, CaseVerbs.Reject, CaseVerbs.Transfer, CaseVerbs.Escalate, CaseVerbs.Merge], actions);
    }

    [Fact]
    public void ReportedGreenCase_ForASiblingGridsLeaderAMicroGridWorkerAndAnAdmin_OffersNothing()
    {
        var subject = ACase().Build();

        Assert.Empty(CaseRules.AllowedActions(Actors.GridLeaderOf(Codes.SiblingThirdGrid), subject, Now));
        Assert.Empty(CaseRules.AllowedActions(Actors.MicroGridWorkerOf(Codes.MicroGrid), subject, Now));
        Assert.Empty(CaseRules.AllowedActions(Actors.SystemAdmin(), subject, Now));
    }

    [Fact]
    public void GreenCase_ForTheCommunity_AddsSupervisionBecauseItIsALevelAbove()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        var community = CaseRules.AllowedActions(Actors.CommunityStaffOf(Codes.Community), subject, Now);
        var leader = CaseRules.AllowedActions(Actors.GridLeaderOf(Codes.ThirdGrid), subject, Now);

        Assert.Contains(CaseVerbs.Supervise, community);
        Assert.DoesNotContain(CaseVerbs.Supervise, leader);
        Assert.Contains(CaseVerbs.Assign, leader);
    }

    [Fact]
    public void AssignedCase_ForTheAssignee_OffersHandlingAndReturn()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();
        var assignee = Actors.Worker with { Scope = new Domain.Accounts.Scope(Codes.SiblingThirdGrid, false, Actors.WorkerId) };

        var actions = CaseRules.AllowedActions(assignee, subject, Now);

        Assert.Equal([CaseVerbs.StartHandling, CaseVerbs.Return], actions);
    }

    [Fact]
    public void CaseAssignedToADepartment_ForItsLiaison_OffersHandling_AndForAnotherDepartmentsNothing()
    {
        var subject = AssignedToDepartment();

        Assert.Contains(CaseVerbs.StartHandling, CaseRules.AllowedActions(Actors.LiaisonOf(DepartmentId), subject, Now));
        Assert.Empty(CaseRules.AllowedActions(Actors.LiaisonOf(Guid.NewGuid()), subject, Now));
    }

    [Fact]
    public void HandledCase_ForWhoeverRecordedTheResult_DoesNotOfferVerify()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Assert.DoesNotContain(CaseVerbs.Verify, CaseRules.AllowedActions(Actors.Worker, subject, Now));
        Assert.Contains(CaseVerbs.Verify, CaseRules.AllowedActions(Actors.GridLeaderOf(Codes.ThirdGrid), subject, Now));
    }

    [Fact]
    public void ForTheReporter_OffersVerifyAndReopenOnAResult_EvaluateOnceVerified_AndOnlySupplementBefore()
    {
        Assert.Equal([CaseVerbs.Supplement, CaseVerbs.Withdraw], CaseRules.AllowedActions(Actors.Reporter, ACase().Build(), Now));
        Assert.Equal([CaseVerbs.Supplement], CaseRules.AllowedActions(Actors.Reporter, ACase().In(CaseStatus.InHandling).Build(), Now));
        Assert.Equal([CaseVerbs.Supplement, CaseVerbs.Chase], CaseRules.AllowedActions(Actors.Reporter, ACase().In(CaseStatus.InHandling).Build(), ReportedAt.AddDays(3.5)));
        Assert.Equal([CaseVerbs.Verify, CaseVerbs.Reopen, CaseVerbs.Supplement], CaseRules.AllowedActions(Actors.Reporter, ACase().In(CaseStatus.Handled).Build(), Now));
        Assert.Equal([CaseVerbs.Evaluate, CaseVerbs.Reopen, CaseVerbs.Supplement], CaseRules.AllowedActions(Actors.Reporter, ACase().In(CaseStatus.Verified).Build(), Now));
        Assert.Empty(CaseRules.AllowedActions(Actors.ANeighbour(), ACase().In(CaseStatus.Verified).Build(), Now));
    }

    [Fact]
    public void VerifiedCase_OffersCloseOnlyWhenNobodyCanEvaluateIt()
    {
        var owner = Actors.GridLeaderOf(Codes.ThirdGrid);

        Assert.DoesNotContain(CaseVerbs.Close, CaseRules.AllowedActions(owner, ACase().In(CaseStatus.Verified).Build(), Now));
        Assert.Contains(CaseVerbs.Close, CaseRules.AllowedActions(owner, ACase().Anonymous().In(CaseStatus.Verified).Build(), Now));
        Assert.Contains(CaseVerbs.Close, CaseRules.AllowedActions(owner, ACase().In(CaseStatus.Evaluated).Build(), Now));
    }

    [Fact]
    public void EvaluatedYellowCase_OffersCloseOnlyAfterAMediation()
    {
        var community = Actors.CommunityStaffOf(Codes.Community);
        var subject = ACase().OfTier(CaseTier.Yellow).In(CaseStatus.Evaluated).Build();

        Assert.DoesNotContain(CaseVerbs.Close, CaseRules.AllowedActions(community, subject, Now));
        Assert.Contains(CaseVerbs.RecordMediation, CaseRules.AllowedActions(community, subject, Now));
        subject.RecordMediation(community, subject.Version, Now, ["张网格长"], Now.AddHours(-1), "议事厅", "达成一致");
        Assert.Contains(CaseVerbs.Close, CaseRules.AllowedActions(community, subject, Now));
    }

    [Fact]
    public void EvaluatedBlueCase_OffersCloseOnlyAfterAMeetingDecision()
    {
        var ops = Actors.OperatorOf(Codes.Subdistrict);
        var subject = ACase().OfTier(CaseTier.Blue).In(CaseStatus.Evaluated).Build();

        Assert.DoesNotContain(CaseVerbs.Close, CaseRules.AllowedActions(ops, subject, Now));
        subject.RecordMeetingDecision(ops, subject.Version, Now, Guid.NewGuid(), "由城管牵头整治");
        Assert.Contains(CaseVerbs.Close, CaseRules.AllowedActions(ops, subject, Now));
        Assert.DoesNotContain(CaseVerbs.RecordMediation, CaseRules.AllowedActions(ops, subject, Now));
    }

    [Fact]
    public void RedCase_OffersHandToDistrictOnce_ThenClose_AndNeverEscalate()
    {
        var ops = Actors.OperatorOf(Codes.Subdistrict);
        var district = Actors.DistrictUserOf(Codes.District);
        var subject = ACase().OfTier(CaseTier.Red).In(CaseStatus.Evaluated).Build();

        Assert.Contains(CaseVerbs.HandToDistrict, CaseRules.AllowedActions(ops, subject, Now));
        Assert.DoesNotContain(CaseVerbs.Close, CaseRules.AllowedActions(district, subject, Now));
        subject.HandToDistrict(ops, subject.Version, Now, Guid.NewGuid());
        Assert.DoesNotContain(CaseVerbs.HandToDistrict, CaseRules.AllowedActions(ops, subject, Now));
        Assert.Contains(CaseVerbs.Close, CaseRules.AllowedActions(district, subject, Now));
        Assert.DoesNotContain(CaseVerbs.Escalate, CaseRules.AllowedActions(district, ACase().OfTier(CaseTier.Red).Build(), Now));
    }

    [Fact]
    public void ParkedCase_OffersResumeEscalateMergeAndSupervision_NotAssign()
    {
        var subject = ACase().In(CaseStatus.Parked).Build();

        Assert.Equal([CaseVerbs.Escalate, CaseVerbs.Resume, CaseVerbs.Merge],
            CaseRules.AllowedActions(Actors.GridLeaderOf(Codes.ThirdGrid), subject, Now));
        Assert.Contains(CaseVerbs.Supervise, CaseRules.AllowedActions(Actors.OperatorOf(Codes.Subdistrict), subject, Now));
    }

    [Fact]
    public void TheSystem_IsOfferedEscalationOnlyWhenTheCaseIsOverdue_AndSupervisionWhileOpen()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var overdue = subject.DueAt!.Value.AddMinutes(1);

        Assert.Equal([CaseVerbs.Supervise], CaseRules.AllowedActions(Actor.System, subject, Now));
        Assert.Equal([CaseVerbs.Escalate, CaseVerbs.Supervise], CaseRules.AllowedActions(Actor.System, subject, overdue));
    }

    [Fact]
    public void FinalCase_OffersNothingToAnyone()
    {
        var owner = Actors.GridLeaderOf(Codes.ThirdGrid);
        var closed = ACase().In(CaseStatus.Evaluated).Build();
        closed.Close(owner, closed.Version, Now);

        Assert.All(Everyone(), a => Assert.Empty(CaseRules.AllowedActions(a, closed, Now)));
    }

    public static TheoryData<string, string> AgreementCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in Scenarios().Keys)
        {
            foreach (var verb in CaseVerbs.All)
            {
                data.Add(scenario, verb);
            }
        }

        return data;
    }

    /// <summary>
    /// For every actor: the verb is offered exactly when calling it (with valid arguments and the current version)
    /// succeeds — on time and after the assignment is overdue.
    /// </summary>
    [Theory]
    [MemberData(nameof(AgreementCases))]
    public void AllowedActions_AgreeWithTheVerbs(string scenario, string verb)
    {
        var build = Scenarios()[scenario];
        foreach (var now in new[] { Now, ReportedAt.AddDays(10) })
        {
            foreach (var actor in Everyone())
            {
                var offered = CaseRules.AllowedActions(actor, build(), now).Contains(verb);
                var subject = build();
                string? refusal = null;
                try
                {
                    Invoke(verb, actor, subject, now);
                }
                catch (CaseRuleException e)
                {
                    refusal = e.Rule;
                }

                Assert.True(offered == (refusal is null),
                    $"{verb} by {actor.DisplayName} ({string.Join(",", actor.Roles)} at '{actor.Scope.Code}') on {scenario} at {now:u}: "
                    + $"offered {offered}, but the verb {(refusal is null ? "succeeded" : "was refused by " + refusal)}");
            }
        }
    }

    private static IEnumerable<Actor> Everyone() =>
    [
        Actors.Reporter, Actors.ANeighbour(), Actors.Worker, Actors.GridLeaderOf(Codes.ThirdGrid), Actors.GridLeaderOf(Codes.SiblingThirdGrid),
        Actors.MicroGridWorkerOf(Codes.MicroGrid), Actors.CommunityStaffOf(Codes.Community), Actors.CommunityStaffOf(Codes.OtherCommunity),
        Actors.OperatorOf(Codes.Subdistrict), Actors.DistrictUserOf(Codes.District), Actors.SystemAdmin(), Actors.LiaisonOf(DepartmentId),
        Actors.LiaisonOf(Guid.NewGuid()), Actor.System,
    ];

    /// <summary>Every status of the loop in every colour, plus the states a guard looks at (department, anonymous, records).</summary>
    private static Dictionary<string, Func<Case>> Scenarios()
    {
        var scenarios = new Dictionary<string, Func<Case>>();
        CaseStatus[] statuses =
        [
            CaseStatus.Reported, CaseStatus.Accepted, CaseStatus.Assigned, CaseStatus.InHandling, CaseStatus.Handled,
            CaseStatus.Verified, CaseStatus.Evaluated, CaseStatus.Parked,
        ];
        foreach (var tier in Enum.GetValues<CaseTier>())
        {
            foreach (var status in statuses)
            {
                scenarios[$"{tier} {status}"] = () => ACase().OfTier(tier).In(status).Build();
            }

            scenarios[$"{tier} Verified anonymous"] = () => ACase().OfTier(tier).Anonymous().In(CaseStatus.Verified).Build();
            scenarios[$"{tier} Evaluated with its colour's record"] = () => WithColourRecord(ACase().OfTier(tier).In(CaseStatus.Evaluated).Build());
            scenarios[$"{tier} Closed"] = () => Closed(tier);
            scenarios[$"{tier} Rejected"] = () =>
            {
                var c = ACase().OfTier(tier).Build();
                c.Reject(Actors.OwnerOf(tier), c.Version, Now, "不属于受理范围");
                return c;
            };
            scenarios[$"{tier} Merged"] = () =>
            {
                var c = ACase().OfTier(tier).Build();
                c.MergeInto(Actors.OwnerOf(tier), c.Version, Now, "2026112700001");
                return c;
            };
        }

        scenarios["Green Assigned to a department"] = AssignedToDepartment;
        scenarios["Green InHandling by a department"] = () =>
        {
            var c = AssignedToDepartment();
            c.StartHandling(Actors.LiaisonOf(DepartmentId), c.Version, Now);
            return c;
        };
        scenarios["Green InHandling supervised"] = () =>
        {
            var c = ACase().In(CaseStatus.InHandling).Build();
            c.Supervise(Actors.CommunityStaffOf(Codes.Community), c.Version, Now, "请加快处理", Now.AddDays(1));
            return c;
        };
        return scenarios;
    }

    private static Case AssignedToDepartment()
    {
        var c = ACase().In(CaseStatus.Accepted).Build();
        c.Assign(Actors.OwnerOf(CaseTier.Green), c.Version, Now.AddMinutes(-5), CaseAssignee.Department(DepartmentId, "区城管执法局"), ReportedAt.AddDays(3));
        return c;
    }

    private static Case WithColourRecord(Case c)
    {
        switch (c.Tier)
        {
            case CaseTier.Yellow:
                c.RecordMediation(Actors.OwnerOf(c.Tier), c.Version, Now, ["张网格长"], Now.AddHours(-1), "议事厅", "达成一致");
                break;
            case CaseTier.Blue:
                c.RecordMeetingDecision(Actors.OwnerOf(c.Tier), c.Version, Now, Guid.NewGuid(), "由城管牵头整治");
                break;
            case CaseTier.Red:
                c.HandToDistrict(Actors.OperatorOf(Codes.Subdistrict), c.Version, Now, Guid.NewGuid());
                break;
        }

        return c;
    }

    private static Case Closed(CaseTier tier)
    {
        var c = WithColourRecord(ACase().OfTier(tier).In(CaseStatus.Evaluated).Build());
        c.Close(Actors.OwnerOf(tier), c.Version, Now);
        return c;
    }

    /// <summary>Calls the verb with arguments that satisfy every argument rule, so only the guards under test can refuse it.</summary>
    private static void Invoke(string verb, Actor actor, Case c, DateTimeOffset now)
    {
        var v = c.Version;
        switch (verb)
        {
            case CaseVerbs.Accept: c.Accept(actor, v, now); break;
            case CaseVerbs.Reject: c.Reject(actor, v, now, "不属于受理范围"); break;
            case CaseVerbs.Assign: c.Assign(actor, v, now, CaseAssignee.User(Actors.WorkerId, "李网格员"), now.AddDays(2)); break;
            case CaseVerbs.StartHandling: c.StartHandling(actor, v, now); break;
            case CaseVerbs.RecordHandled: c.RecordHandled(actor, v, now, "已处理", [Guid.NewGuid()]); break;
            case CaseVerbs.Verify: c.Verify(actor, v, now, true, "核查通过"); break;
            case CaseVerbs.Evaluate: c.Evaluate(actor, v, now, 4, null); break;
            case CaseVerbs.Close: c.Close(actor, v, now); break;
            case CaseVerbs.Return: c.Return(actor, v, now, "不属于本部门职责"); break;
            case CaseVerbs.Transfer: c.Transfer(actor, v, now, Codes.SiblingThirdGrid, "位置在相邻网格"); break;
            case CaseVerbs.Escalate: c.Escalate(actor, v, now, "需要上级协调", automatic: actor.IsSystem); break;
            case CaseVerbs.Park: c.Park(actor, v, now, "等待管网改造", DateOnly.FromDateTime(now.AddDays(10).UtcDateTime)); break;
            case CaseVerbs.Resume: c.Resume(actor, v, now); break;
            case CaseVerbs.Reopen: c.Reopen(actor, v, now, "问题依旧"); break;
            case CaseVerbs.Merge: c.MergeInto(actor, v, now, "2026112700001"); break;
            case CaseVerbs.RecordMediation: c.RecordMediation(actor, v, now, ["张网格长"], now.AddHours(-1), "议事厅", "达成一致"); break;
            case CaseVerbs.RecordMeetingDecision: c.RecordMeetingDecision(actor, v, now, Guid.NewGuid(), "由城管牵头整治"); break;
            case CaseVerbs.HandToDistrict: c.HandToDistrict(actor, v, now, Guid.NewGuid()); break;
            case CaseVerbs.Supervise: c.Supervise(actor, v, now, "请加快处理", now.AddDays(1)); break;
            case CaseVerbs.Supplement: c.Supplement(actor, v, now, "楼道里还有两袋建筑垃圾", []); break;
            case CaseVerbs.Chase: c.Chase(actor, v, now); break;
            case CaseVerbs.Withdraw: c.Withdraw(actor, v, now, "已经自行解决"); break;
            default: throw new ArgumentOutOfRangeException(nameof(verb), verb, null);
        }
    }
}
