using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Roster;

namespace CivicGrid.Domain.Tests.Assessment;

/// <summary>
/// The field-work, team and worker indicators of November 2026 built by hand; each expected figure was counted by hand and is
/// explained beside it.
/// </summary>
public class FieldIndicatorsTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, Beijing);
    private static readonly DateTimeOffset End = new(2026, 12, 1, 0, 0, 0, Beijing);

    /// <summary>November as seen on the 7th (complete through Friday the 6th).</summary>
    private static readonly AssessedDays FirstWeek = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 6));

    /// <summary>November as seen on the 16th (complete through Sunday the 15th).</summary>
    private static readonly AssessedDays Half = FirstWeek with { Through = new DateOnly(2026, 11, 15) };

    private static readonly AssessedDays Whole = FirstWeek with { Through = new DateOnly(2026, 11, 30) };

    private static DateOnly Nov(int day) => new(2026, 11, day);

    private static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, Beijing);

    private static bool Weekday(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static void AssertRatio(ComputedIndicator indicator, int numerator, int denominator)
    {
        Assert.Equal(numerator, indicator.Value.Numerator);
        Assert.Equal(denominator, indicator.Value.Denominator);
    }

    private static string? Note(ComputedIndicator indicator, string reference) => indicator.Evidence.Single(e => e.Reference == reference).Note;

    [Fact]
    public void PatrolGoalDays_OwesEveryWorkingDayOnDuty_AndCountsTheDaysThatReachedTheGoal()
    {
        var zhang = Guid.NewGuid();
        var li = Guid.NewGuid();
        // 张三 is not on the roster (owes 2–6 Nov: 5 days); 李四 is on duty from the 4th (owes 4–6 Nov: 3 days). 8 worker-days.
        WalkerFacts[] walkers = [new(zhang, "张三", null), new(li, "李四", [new DutySpell(Nov(4), null)])];
        PatrolDayFacts[] days =
        [
            new(zhang, Nov(2), 12_000), new(zhang, Nov(3), 8_210), new(zhang, Nov(5), 10_000), new(zhang, Nov(6), 15_000),
            new(zhang, Nov(7), 20_000), // a Saturday, and after the last complete day: owed by nobody
            new(li, Nov(3), 11_000), // before 李四's duty: not owed
            new(li, Nov(4), 9_999), new(li, Nov(5), 10_500), new(li, Nov(6), 6_000), new(li, Nov(6), 5_000), // two patrols on the 6th: 11,000
        ];

        var goal = FieldIndicators.PatrolGoalDays(walkers, days, Weekday, FirstWeek, 10_000);

        // 张三 2nd, 5th, 6th; 李四 5th, 6th.
        AssertRatio(goal, 5, 8);
        Assert.Equal("步数 8,210，未达 10,000 的目标", Note(goal, "2026-11-03 · 张三"));
        Assert.Equal("当日没有巡查记录", Note(goal, "2026-11-04 · 张三"));
        Assert.Equal("步数 11,000，达到 10,000 的目标", Note(goal, "2026-11-06 · 李四"));
        Assert.DoesNotContain(goal.Evidence, e => e.Reference == "2026-11-03 · 李四");
    }

    [Fact]
    public void PatrolCoverage_CountsMicroGridWeeksWalkedInThePeriod()
    {
        CoverageUnit[] units = [new("610103001001010101", "一号微网格"), new("610103001001010102", "二号微网格")];
        WalkFacts[] walks =
        [
            new("610103001001010101", Nov(1)), // Sunday 1 Nov: the week of 26 Oct touches the period
            new("610103001001010101", new DateOnly(2026, 10, 31)), new("610103001001010102", new DateOnly(2026, 10, 31)), // October: not counted
            new("610103001001010101", Nov(3)), new("610103001001010101", Nov(4)),
            new("610103001001010102", Nov(10)),
            new("610103001001010102", Nov(16)), // after the last complete day
        ];

        var coverage = FieldIndicators.PatrolCoverage(units, walks, Half);

        // Weeks of 26 Oct, 2 Nov, 9 Nov (16 Nov is not over) × 2 micro-grids = 6; walked: 一号 26 Oct and 2 Nov, 二号 9 Nov.
        AssertRatio(coverage, 3, 6);
        Assert.Equal("本周 2 天有巡查走过", Note(coverage, "一号微网格 · 2026-11-02 起一周"));
        Assert.Equal("本周无人巡查走过", Note(coverage, "二号微网格 · 2026-10-26 起一周"));
    }

    [Fact]
    public void DoorKnockWeeks_CountsTheLiaisonWeeksThatMetTheMinimum()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        LiaisonWeekFacts[] weeks =
        [
            new(a, "王警官", new DateOnly(2026, 10, 26), 0), new(a, "王警官", Nov(2), 2), new(a, "王警官", Nov(2), 2), new(a, "王警官", Nov(16), 5),
            new(b, "赵律师", Nov(2), 0), new(b, "赵律师", Nov(9), 1),
        ];

        var knocked = FieldIndicators.DoorKnockWeeks(weeks, 1, Half);

        // The week of 16 Nov is not over; the duplicate is one week: 4 liaison-weeks, 王 2 Nov and 赵 9 Nov met.
        AssertRatio(knocked, 2, 4);
        Assert.Equal("有效敲门 0 次，未达每周 1 次的要求", Note(knocked, "2026-11-02 起一周 · 赵律师"));
    }

    [Fact]
    public void DoorKnocks_CountEveryKnock_AndSpecialCareCountsHouseholdsWhereSomeoneWasMet()
    {
        KnockFacts[] knocks =
        [
            new("幸福里3号楼 2单元302", "张三", Nov(3), VisitOutcome.Visited), new("幸福里3号楼 2单元301", "张三", Nov(3), VisitOutcome.NobodyHome),
            new("幸福里3号楼 1单元101", "李四", Nov(4), VisitOutcome.Refused),
        ];
        CareHouseholdFacts[] care =
        [
            new("幸福里3号楼 2单元302", [CareKind.LivingAloneElderly], [(Nov(3), VisitOutcome.Visited)]),
            new("幸福里3号楼 2单元301", [CareKind.Disabled], [(Nov(3), VisitOutcome.NobodyHome), (Nov(10), VisitOutcome.NobodyHome)]),
            new("幸福里4号楼 1单元101", [CareKind.LivingAloneElderly, CareKind.Disabled], []),
            new("幸福里3号楼 1单元101", [CareKind.LivingAloneElderly], [(Nov(4), VisitOutcome.Refused)]),
        ];

        var count = FieldIndicators.DoorKnocks(knocks);
        var visited = FieldIndicators.SpecialCareVisits(care);

        Assert.Equal(3, count.Value.Value);
        Assert.Null(count.Value.Denominator);
        Assert.Equal("无人在家", Note(count, "2026-11-03 · 幸福里3号楼 2单元301 · 张三"));
        AssertRatio(visited, 1, 4);
        Assert.Equal("2026-11-03 入户走访", visited.Evidence.Single(e => e.Counted).Note);
        Assert.Equal("敲门 2 次均未见到人（无人在家）", visited.Evidence.Single(e => e.Reference.StartsWith("幸福里3号楼 2单元301", StringComparison.Ordinal)).Note);
        Assert.Equal("期内未走访", visited.Evidence.Single(e => e.Reference.StartsWith("幸福里4号楼", StringComparison.Ordinal)).Note);
    }

    [Fact]
    public void Councils_AreCounted_AndTheirFollowUpsCountWhenTheNeedWasMetOrTheCaseClosed()
    {
        CouncilFacts[] councils =
        [
            new("幸福里", Nov(5), [
                new("记录在案", FollowUpKind.Note, null, null),
                new("加装扶手", FollowUpKind.Need, null, At(11, 20)),
                new("清理堆物", FollowUpKind.Case, "2026110500001", At(12, 3)), // closed after the period
            ]),
            new("和平院", Nov(12), [new("修路灯", FollowUpKind.Case, "2026111200002", At(11, 25))]),
        ];

        var held = FieldIndicators.CouncilsHeld(councils);
        var followed = FieldIndicators.CouncilFollowUps(councils, End);

        Assert.Equal(2, held.Value.Value);
        Assert.Equal("议定后续事项 3 项", Note(held, "2026-11-05 · 幸福里楼院议事会"));
        AssertRatio(followed, 2, 4);
        Assert.Equal("已转为案件 2026110500001，尚未结案", Note(followed, "2026-11-05 · 幸福里 · 清理堆物"));
        Assert.Equal("仅记入会议记录，未转为需求或案件", Note(followed, "2026-11-05 · 幸福里 · 记录在案"));
    }

    [Fact]
    public void NeedsMet_CountsTheNeedsOfThePeriodAndThoseStillOpen_MetByItsEnd()
    {
        NeedFacts[] needs =
        [
            new("一 楼道灯", At(11, 3), At(11, 10), null), // raised and met: counted
            new("二 修水管", At(11, 3), null, null), // open
            new("三 助餐", At(10, 10), At(11, 5), null), // raised before, met in November: counted
            new("四 陪诊", At(10, 10), At(10, 20), null), // met before: out
            new("五 法律咨询", At(10, 1), null, null), // still open: in
            new("六 搬家", At(11, 2), null, At(11, 4)), // closed, not pursued: out
            new("七 下月", At(12, 2), null, null), // after: out
            new("八 晚满足", At(11, 20), At(12, 3), null), // met after the end: in, not counted
        ];

        var met = FieldIndicators.NeedsMet(needs, Start, End, End.AddDays(5));

        AssertRatio(met, 2, 5);
        Assert.Equal("2026-11-10 已满足", Note(met, "一 楼道灯（2026-11-03 登记）"));
        Assert.Equal("尚未满足", Note(met, "八 晚满足（2026-11-20 登记）"));
    }

    [Fact]
    public void ProjectsDelivered_JudgesTheProjectsDueToEndSoFar()
    {
        ProjectFacts[] projects =
        [
            new("楼道亮灯", Nov(10), ProjectStatus.Completed),
            new("银龄帮办", Nov(12), ProjectStatus.Running), // due, late
            new("后半月", Nov(25), ProjectStatus.Running), // not due yet on the 15th
            new("取消的", Nov(3), ProjectStatus.Cancelled),
            new("十月完成", new DateOnly(2026, 10, 30), ProjectStatus.Completed),
            new("未定结束", null, ProjectStatus.Planned),
        ];

        var delivered = FieldIndicators.ProjectsDelivered(projects, Half);

        AssertRatio(delivered, 1, 3);
        Assert.Equal("计划 2026-11-12 结束，尚未完成", Note(delivered, "银龄帮办"));
        Assert.Equal("2026-11-03 取消", Note(delivered, "取消的"));
    }

    [Fact]
    public void ClaimsKept_CountsTheClaimsInForceWithADoneFulfilment()
    {
        Claim Claim(string name, DateOnly from, DateOnly to) => Domain.GridAffairs.Claim.ForAffair(ClaimTarget.CaseCategory, "E0104", name, "610103001001",
            ClaimerKind.PublicUnit, Guid.NewGuid(), "区图书馆", from, to, "每周清理一次", At(10, 1));
        var kept = Claim("一", Nov(1), new DateOnly(2026, 12, 31));
        kept.Fulfil(Nov(5), "已清理", "网格员");
        var notDone = Claim("二", new DateOnly(2026, 10, 1), Nov(30));
        notDone.Fulfil(Nov(6), "未到场", "网格员", done: false);
        var later = Claim("三", Nov(20), new DateOnly(2026, 12, 31)); // starts after the 15th
        var over = Claim("四", new DateOnly(2026, 9, 1), new DateOnly(2026, 10, 31));
        var recent = Claim("五", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31));
        recent.Fulfil(Nov(14), "已清理", "网格员");
        recent.Fulfil(Nov(20), "已清理", "网格员"); // after the last complete day

        var claims = FieldIndicators.ClaimsKept([kept, notDone, later, over, recent], Half);

        AssertRatio(claims, 2, 3);
        Assert.Equal("期内履约 1 次，最近 2026-11-14", Note(claims, "五 · 区图书馆"));
        Assert.Equal("认领期内，本期没有完成的履约记录", Note(claims, "二 · 区图书馆"));
    }

    [Fact]
    public void TrainingDone_CountsPersonCoursesOfThePeriod_PassedNowOrBefore()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid(), x = Guid.NewGuid(), y = Guid.NewGuid(), z = Guid.NewGuid();
        TrainingFacts[] rows =
        [
            new(a, "张三", x, "政策解读", 60, Nov(5), true, 85),
            new(a, "张三", y, "平台使用", 60, Nov(8), false, null),
            new(b, "李四", x, "政策解读", 60, Nov(5), true, 50),
            new(b, "李四", x, "政策解读", 60, new DateOnly(2026, 8, 1), true, 70), // passed in August: counts
            new(b, "李四", y, "平台使用", 60, Nov(8), true, null),
            new(c, "王五", z, "消防安全", 60, new DateOnly(2026, 9, 1), true, 90), // no session in November: not owed
        ];

        var done = TeamIndicators.TrainingDone(rows, Whole);

        AssertRatio(done, 2, 4);
        Assert.Equal("2026-11-08 缺席", Note(done, "张三 · 《平台使用》"));
        Assert.Equal("2026-08-01 参训，成绩 70 分（及格 60 分）", Note(done, "李四 · 《政策解读》"));
        Assert.Equal("2026-11-08 已参训，尚无考试成绩", Note(done, "李四 · 《平台使用》"));
    }

    [Fact]
    public void WorkIdValid_CountsThePeopleOnDutyWithAnIdValidOnTheDay()
    {
        WorkId Id(string number, DateOnly from, DateOnly until) => new(Guid.NewGuid(), "610103001001", number, from, until, Guid.NewGuid(), At(1, 1));
        var revoked = Id("6101030012026 0004", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        revoked.Revoke("离职", At(11, 10));
        var revokedLater = Id("6101030012026 0005", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        revokedLater.Revoke("离职", At(12, 5));
        OnDutyFacts[] people =
        [
            new("甲", [Id("6101030012026 0001", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31))]),
            new("乙", [Id("6101030012026 0002", new DateOnly(2025, 11, 21), Nov(20))]),
            new("丙", []),
            new("丁", [revoked]),
            new("戊", [revokedLater]), // revoked after the day: it was valid then
        ];

        var valid = TeamIndicators.WorkIdValid(people, Nov(30));

        AssertRatio(valid, 2, 5);
        Assert.Equal("工作证 6101030012026 0002 已于 2026-11-20 到期", Note(valid, "乙"));
        Assert.Equal("未办理工作证", Note(valid, "丙"));
        Assert.Equal("工作证 6101030012026 0004 已于 2026-11-10 吊销", Note(valid, "丁"));
    }

    [Fact]
    public void BriefingsRead_CountsConfirmedOrOpenedReceiptsByTheEnd()
    {
        ReceiptFacts[] receipts =
        [
            new("防汛通知", At(11, 2), "甲", true, At(11, 3), At(11, 4)),
            new("防汛通知", At(11, 2), "乙", true, At(11, 3), null),
            new("垃圾分类", At(11, 5), "甲", false, At(11, 6), null),
            new("垃圾分类", At(11, 5), "乙", false, null, null),
            new("垃圾分类", At(11, 5), "丙", false, At(12, 3), null), // read after the period
        ];

        var read = TeamIndicators.BriefingsRead(receipts, End);

        AssertRatio(read, 2, 5);
        Assert.Equal("2026-11-04 已确认阅读", Note(read, "《防汛通知》（2026-11-02 下发）· 甲"));
        Assert.Equal("已打开，未确认阅读", Note(read, "《防汛通知》（2026-11-02 下发）· 乙"));
        Assert.Equal("未读", Note(read, "《垃圾分类》（2026-11-05 下发）· 丙"));
    }

    private static CaseFacts Case(string number, DateTimeOffset reported, CaseStatus status, DateTimeOffset? closed = null, int? rating = null, int reopen = 0,
        int mediations = 0) =>
        new(number, "G0101", CaseChannel.GridPatrol, status, CaseTier.Yellow, 108.94, 34.26, reported, null, null, reported.AddDays(5), closed?.AddHours(-2),
            closed, rating, reopen, 0, mediations);

    [Fact]
    public void MediationSuccess_IsAClosedMediatedDisputeNotReworkedNorRatedBadly()
    {
        CaseFacts[] cases =
        [
            Case("M1", At(11, 2), CaseStatus.Closed, At(11, 10), rating: 4, mediations: 1),
            Case("M2", At(11, 2), CaseStatus.Closed, At(11, 12), reopen: 1, mediations: 1),
            Case("M3", At(11, 3), CaseStatus.Closed, At(11, 13), rating: 2, mediations: 2),
            Case("M4", At(11, 3), CaseStatus.Closed, At(11, 14)), // no mediation: not a dispute brought to the table
            Case("M5", At(10, 20), CaseStatus.Closed, At(11, 4), mediations: 1),
            Case("M6", At(11, 5), CaseStatus.InHandling, mediations: 1), // not closed
        ];

        var mediated = CaseIndicators.Compute(cases, Start, End, End)["mediation-success"];

        AssertRatio(mediated, 2, 4);
        Assert.Equal("联调 2 次后办结，居民评价 2 星（不满意）", Note(mediated, "M3"));
        Assert.Equal("联调 1 次后办结，未返工，居民评价 4 星", Note(mediated, "M1"));
    }

    [Fact]
    public void AWorkersSelfFoundCases_AreTheCasesTheyReportedThatWereAccepted()
    {
        CaseFacts[] reported =
        [
            Case("R1", At(11, 2), CaseStatus.InHandling),
            Case("R2", At(11, 3), CaseStatus.Reported), // not screened yet
            Case("R3", At(11, 4), CaseStatus.Rejected),
            Case("R4", At(10, 30), CaseStatus.Closed, At(11, 2)), // reported in October
        ];

        var computed = CaseIndicators.ComputeForWorker([], reported, Start, End, End);

        Assert.Equal(["R1"], computed["self-found-cases"].Evidence.Select(e => e.Reference));
        Assert.Equal(1, computed["self-found-cases"].Value.Value);
        Assert.Null(computed["on-time-handling"].Value.Value); // nothing assigned to them: no denominator
    }
}
