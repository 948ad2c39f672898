using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Assessment.Appeals;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Demo;

/// <summary>
/// The demo's assessment runs, computed from the demo's own records by the same code as on demand: the last complete quarter
/// and month of the main subdistrict's third-level grids; the quarter (or, when the demo's cases do not reach back into it,
/// the month) taken through both reviews, with one correction and its reason, and published, so the frozen result, its
/// deliberation record and its verification can be shown; the other is left provisional for the deliberation to be tried.
/// The grid workers' run of the published period is deliberated and published beside it, and the demo grid leader has
/// appealed one of their own figures, so the phone's 我的星级 and the console's appeals queue show a worker's appeal.
/// </summary>
public static class DemoAssessment
{
    public static async Task SeedAsync(CivicGridDbContext db, AssessmentRuns runs, DateTimeOffset now, CancellationToken ct)
    {
        var subdistrict = DemoSubdistrictGenerator.SubdistrictCode;
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.ScopeCode.StartsWith(subdistrict)).ToListAsync(ct);
        var ops = users.FirstOrDefault(u => u.UserName == DemoAccounts.Operator) ?? users.FirstOrDefault(u => u.Roles.Contains(Role.SubdistrictOperator));
        if (ops is null)
        {
            return;
        }

        var today = PatrolTracks.BeijingDay(now);
        var quarter = await runs.ComputeAsync(db, subdistrict, AssessmentPeriod.LastComplete(PeriodKind.Quarter, today), GridLevel.Third, ops.Id, ops.DisplayName, ct);
        var month = await runs.ComputeAsync(db, subdistrict, AssessmentPeriod.LastComplete(PeriodKind.Month, today), GridLevel.Third, ops.Id, ops.DisplayName, ct);
        // The quarter is published when the demo's cases reach back into it; a shorter demo publishes its last month instead.
        var quarterId = quarter.Id;
        var published = await db.RunIndicators.IgnoreQueryFilters().AnyAsync(i => i.RunId == quarterId && i.Computed && i.Denominator > i.Numerator, ct)
            ? quarter : month;
        // Each step seconds after the run's computation (real time), so nothing in the demo's record lies in the future.
        await DeliberateAsync(db, published, subdistrict, users, ops, published.ComputedAt.AddSeconds(1), ct);
        var workers = await runs.ComputeAsync(db, subdistrict, AssessmentPeriod.Parse(published.Period), null, ops.Id, ops.DisplayName, ct);
        await DeliberateAsync(db, workers, subdistrict, users, ops, workers.ComputedAt.AddSeconds(1), ct);
        await AppealAsync(db, workers, users, workers.ComputedAt.AddSeconds(10), ct);
    }

    /// <summary>The demo grid leader appeals the first rate of their own result that is short of full; it waits for the community.</summary>
    private static async Task AppealAsync(CivicGridDbContext db, AssessmentRun run, List<Domain.Accounts.UserAccount> users, DateTimeOffset at,
        CancellationToken ct)
    {
        if (run.PublishedAt is not { } publishedAt || users.FirstOrDefault(u => u.UserName == DemoAccounts.GridLeader) is not { } leader)
        {
            return;
        }

        var code = leader.Id.ToString("D");
        var row = await db.RunIndicators.IgnoreQueryFilters().Where(i => i.RunId == run.Id && i.SubjectCode == code && i.Computed && i.Denominator > i.Numerator)
            .OrderBy(i => i.Code).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return;
        }

        var (appeal, _) = Appeal.File(new AppealRules(), publishedAt, at, run.Period, "worker", code, leader.DisplayName, row.ScopeCode, row.Code, row.Numerator,
            row.Denominator, leader.Id, leader.DisplayName, "数据有误：有一天巡查因系统故障未上传，应当计入。", "巡查纸质记录（社区已盖章）");
        if (appeal is not null)
        {
            db.Appeals.Add(appeal);
            db.Entry(appeal).Property(AppealConfiguration.RunId).CurrentValue = run.Id;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private static async Task DeliberateAsync(CivicGridDbContext db, AssessmentRun run, string subdistrict, List<Domain.Accounts.UserAccount> users,
        Domain.Accounts.UserAccount ops, DateTimeOffset at, CancellationToken ct)
    {
        var label = AssessmentPeriod.Parse(run.Period).Label + (run.Level is null ? "网格人员" : "网格");
        var communities = run.Communities;
        var names = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => communities.Contains(g.Code)).ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        var corrected = run.Level is null;
        foreach (var community in run.Communities)
        {
            var staff = users.FirstOrDefault(u => u.ScopeCode == community && u.Roles.Contains(Role.CommunityStaff)) ?? ops;
            var review = Review(run, ReviewStage.Community, community, $"{label}考核社区评议会", staff, at.AddSeconds(1),
                ["社区书记", "网格长代表", "居民议事会代表", "楼院长代表"]);
            db.AssessmentReviews.Add(review);
            run.RecordReview(ReviewStage.Community, community, review.Id, staff.Id, staff.DisplayName, at.AddSeconds(1), review.Title);
            corrected = corrected || await CorrectAsync(db, run, review, staff, at.AddSeconds(2), ct);
            run.ApproveCommunity(community, names.GetValueOrDefault(community, community), staff.Id, staff.DisplayName, at.AddSeconds(3));
        }

        var meeting = Review(run, ReviewStage.Subdistrict, subdistrict, $"{label}考核街道评议会", ops, at.AddSeconds(4),
            ["街道党工委副书记", "城运中心主任", "各社区书记", "居民议事会代表"]);
        db.AssessmentReviews.Add(meeting);
        run.RecordReview(ReviewStage.Subdistrict, subdistrict, meeting.Id, ops.Id, ops.DisplayName, at.AddSeconds(4), meeting.Title);
        run.ApproveSubdistrict(ops.Id, ops.DisplayName, at.AddSeconds(5));
        run.Publish(ops.Id, ops.DisplayName, at.AddSeconds(6));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static AssessmentReview Review(AssessmentRun run, ReviewStage stage, string scope, string title, Domain.Accounts.UserAccount by, DateTimeOffset at,
        List<string> participants) => new()
    {
        Id = Guid.CreateVersion7(), RunId = run.Id, Stage = stage, ScopeCode = scope, Title = title, HeldAt = at.AddHours(-2).ToUniversalTime(),
        Place = stage == ReviewStage.Community ? "社区党群服务中心议事厅" : "街道城运中心会议室", Participants = participants,
        Summary = "逐网格审议暂定结果，核对有异议的指标及其记录。", RecordedBy = by.Id, RecordedByName = by.DisplayName, RecordedAt = at.ToUniversalTime(),
    };

    /// <summary>
    /// A community's review corrects one rate of one grid by one record (on-time handling when it can: a case finished late
    /// because of a verified power cut counts as on time); the first community with a rate short of full makes it.
    /// </summary>
    private static async Task<bool> CorrectAsync(CivicGridDbContext db, AssessmentRun run, AssessmentReview review, Domain.Accounts.UserAccount by, DateTimeOffset at,
        CancellationToken ct)
    {
        var community = review.ScopeCode;
        var row = await db.RunIndicators.IgnoreQueryFilters()
            .Where(i => i.RunId == run.Id && i.Computed && i.SubjectCode.StartsWith(community) && i.Denominator > i.Numerator
                && i.Code != "rework-rate" && i.Code != "overdue-rate" && i.Code != "repeat-places")
            .OrderBy(i => i.Code == "on-time-handling" ? 0 : 1).ThenBy(i => i.SubjectCode).FirstOrDefaultAsync(ct);
        if (row?.Denominator is not { } whole)
        {
            return false;
        }

        var subject = await db.RunSubjects.IgnoreQueryFilters().SingleAsync(s => s.Id == row.SubjectId, ct);
        var all = await db.RunIndicators.IgnoreQueryFilters().Where(i => i.SubjectId == subject.Id).ToListAsync(ct);
        var catalogue = await AssessmentCatalogues.VersionAsync(db, run.CatalogueVersion, ct) ?? IndicatorCatalogue.Seed;
        var name = catalogue.Find(row.Code)?.Name ?? row.Code;
        var adjustment = new AssessmentAdjustment
        {
            Id = Guid.CreateVersion7(), RunId = run.Id, ReviewId = review.Id, SubjectCode = subject.Code, SubjectName = subject.Name, ScopeCode = subject.ScopeCode,
            Indicator = row.Code, NumeratorBefore = row.Numerator, DenominatorBefore = whole, Numerator = row.Numerator + 1, Denominator = whole,
            Reason = row.Code == "on-time-handling" ? "其中一件因片区停电检修延误，供电部门出具了证明，经审议按时处置计。" : "其中一条记录系录入错误，经审议核实后更正。", ScoreBefore = subject.Score, StarsBefore = subject.Stars, ByUserId = by.Id,
            ByName = by.DisplayName, At = at.ToUniversalTime(),
        };
        row.Numerator += 1;
        row.Adjusted = true;
        StoredResults.Rescore(subject, all, catalogue.ForGrid(GridLevel.Third), catalogue.Stars);
        (adjustment.ScoreAfter, adjustment.StarsAfter) = (subject.Score, subject.Stars);
        db.AssessmentAdjustments.Add(adjustment);
        run.RecordAdjustment(ReviewStage.Community, community, by.Id, by.DisplayName, at,
            $"{subject.Name}·{name}：{adjustment.NumeratorBefore}/{whole} → {adjustment.Numerator}/{whole}（{adjustment.Reason}）");
        return true;
    }
}
