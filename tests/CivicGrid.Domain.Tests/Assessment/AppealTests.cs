using CivicGrid.Domain.Assessment;

namespace CivicGrid.Domain.Tests.Assessment;

public class AppealTests
{
    private static readonly DateTimeOffset Published = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Guid Worker = Guid.NewGuid();
    private static readonly Guid Reviewer = Guid.NewGuid();

    private static (Appeal? Appeal, string? Problem) FileAt(DateTimeOffset now, string? reason = "案件 2026-0815 是区里派错的，不应算我网格超期。") =>
        Appeal.File(new AppealRules(10), Published, now, "2026-Q3", "grid", "610103001001001", "一网格", "610103001001001", "overdue-rate", 3, 40,
            Worker, "张三", reason, "2026-0815");

    [Fact]
    public void File_WithinTheWindow_KeepsThePublishedValues()
    {
        var (appeal, problem) = FileAt(Published.AddDays(3));

        Assert.Null(problem);
        Assert.Equal(AppealStatus.Pending, appeal!.Status);
        Assert.Equal((3d, (double?)40d), (appeal.Numerator, appeal.Denominator));
    }

    [Fact]
    public void File_AfterTheWindow_OrWithoutAReason_IsRefusedWithAReason()
    {
        Assert.Contains("申诉期已过", FileAt(Published.AddDays(10).AddMinutes(1)).Problem);
        Assert.Contains("申诉理由", FileAt(Published.AddDays(1), reason: "  ").Problem);
    }

    [Fact]
    public void Accept_RecordsTheCorrection_AndCannotBeDecidedTwice()
    {
        var appeal = FileAt(Published.AddDays(1)).Appeal!;

        Assert.Null(appeal.Accept(Reviewer, "李四", Published.AddDays(2), "核实为区级误派，移出分母。", 2, 39));
        Assert.Equal(AppealStatus.Accepted, appeal.Status);
        Assert.Equal((2d, (double?)39d), (appeal.CorrectedNumerator, appeal.CorrectedDenominator));
        Assert.Contains("不能再改", appeal.Refuse(Reviewer, "李四", Published.AddDays(3), "改主意"));
    }

    [Fact]
    public void Accept_NeedsAnotherPerson_AReason_AndAnActualChange()
    {
        var appeal = FileAt(Published.AddDays(1)).Appeal!;

        Assert.Contains("不能复核自己", appeal.Accept(Worker, "张三", Published.AddDays(2), "理由", 2, 39));
        Assert.Contains("理由", appeal.Accept(Reviewer, "李四", Published.AddDays(2), "", 2, 39));
        Assert.Contains("分子不大于分母", appeal.Accept(Reviewer, "李四", Published.AddDays(2), "理由", 41, 40));
        Assert.Contains("不予采纳", appeal.Accept(Reviewer, "李四", Published.AddDays(2), "理由", 3, 40));
        Assert.Equal(AppealStatus.Pending, appeal.Status);
    }

    [Fact]
    public void Refuse_NeedsAReason_ThatTheAppellantWillSee()
    {
        var appeal = FileAt(Published.AddDays(1)).Appeal!;

        Assert.NotNull(appeal.Refuse(Reviewer, "李四", Published.AddDays(2), null));
        Assert.Null(appeal.Refuse(Reviewer, "李四", Published.AddDays(2), "案件确属本网格，超期属实。"));
        Assert.Equal("案件确属本网格，超期属实。", appeal.Decision);
    }

    [Fact]
    public void File_AWorkersOwnFigure_IsScopedToTheirGrid_AndKeepsItsKind()
    {
        var (appeal, problem) = Appeal.File(new AppealRules(10), Published, Published.AddDays(1), "2026-Q3", "worker", Worker.ToString("D"), "张三",
            "610103001001001", "patrol-goal-days", 40, 63, Worker, "张三", "有三天的纸质巡查记录没有上传。", "纸质记录");

        Assert.Null(problem);
        Assert.Equal(("worker", Worker.ToString("D"), "610103001001001", 40d, (double?)63d),
            (appeal!.SubjectKind, appeal.SubjectCode, appeal.ScopeCode, appeal.Numerator, appeal.Denominator));
        Assert.NotNull(appeal.Accept(Worker, "张三", Published.AddDays(2), "自己改", 63, 63)); // never the appellant
    }
}
