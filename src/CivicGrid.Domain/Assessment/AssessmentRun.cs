using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Assessment;

/// <summary>
/// Where a run stands (双评双议): computed (provisional) → the council's evaluation open → closed → every community's
/// review approved → the subdistrict's review approved → published. The council steps may be skipped (a level the council
/// does not evaluate); nothing else may.
/// </summary>
public enum RunStatus
{
    /// <summary>Computed and not yet deliberated; recomputed on demand or by the period-end job.</summary>
    Provisional = 1,

    /// <summary>The resident council is scoring the grids (双评); no review meanwhile.</summary>
    CouncilOpen = 2,

    /// <summary>The council's scores are in; the communities may review.</summary>
    CouncilClosed = 3,

    /// <summary>Every community with subjects in the run has held its review and approved it.</summary>
    CommunityReviewed = 4,

    /// <summary>The subdistrict has held its review and approved it; ready to publish.</summary>
    SubdistrictApproved = 5,

    /// <summary>Published and frozen: the stored numbers are the result.</summary>
    Published = 6,
}

/// <summary>What was done to a run; every change of a run is one of these, attributed and kept.</summary>
public enum RunAction
{
    Compute = 1,
    OpenCouncil = 2,
    CloseCouncil = 3,
    RecordReview = 4,
    Adjust = 5,
    ApproveCommunity = 6,
    ApproveSubdistrict = 7,
    Publish = 8,

    /// <summary>A published figure corrected after an accepted appeal (申诉更正); the run stays published.</summary>
    CorrectOnAppeal = 9,
}

/// <summary>Who reviews (双议): the community first, then the subdistrict.</summary>
public enum ReviewStage
{
    Community = 1,
    Subdistrict = 2,
}

/// <summary>A broken rule of a run's lifecycle, named (<see cref="Rule"/>) and told in Chinese.</summary>
public sealed class RunRuleException(string rule, string chineseMessage) : Exception($"Run rule '{rule}' refused the change.")
{
    public string Rule { get; } = rule;

    public string ChineseMessage { get; } = chineseMessage;
}

/// <summary>One entry of a run's history: who did what, when, from which status to which.</summary>
/// <param name="Note">What it was about (a community's code, a meeting, an indicator), in Chinese.</param>
public sealed record RunEntry(RunAction Action, RunStatus From, RunStatus To, Guid? ByUserId, string ByName, DateTimeOffset At, string? Note);

/// <summary>A review meeting held for a run: its stage and the community (or subdistrict) it covered.</summary>
public sealed record RunReviewMark(ReviewStage Stage, string ScopeCode, Guid MeetingId);

/// <summary>A community's approval of its part of a run.</summary>
public sealed record CommunityApproval(string CommunityCode, Guid ByUserId, string ByName, DateTimeOffset At);

/// <summary>
/// An assessment run (考核批次): one subdistrict's results for one period, subject kind and grid level, stored with the
/// catalogue version and the digest of their inputs, and taken through deliberation to publication. Its methods are the
/// lifecycle's verbs; each checks its rule and appends to <see cref="History"/>.
/// </summary>
public sealed class AssessmentRun
{
    private AssessmentRun()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The subdistrict whose subjects the run holds (9-digit code); scope checks use it.</summary>
    public string SubdistrictCode { get; private set; } = string.Empty;

    /// <summary>The period's text form (2026-Q3).</summary>
    public string Period { get; private set; } = string.Empty;

    /// <summary><c>grid</c> or <c>worker</c>.</summary>
    public string Subject { get; private set; } = string.Empty;

    /// <summary>The grid level assessed; null for workers.</summary>
    public GridLevel? Level { get; private set; }

    public RunStatus Status { get; private set; }

    public int CatalogueVersion { get; private set; }

    /// <summary>SHA-256 (hex) of every subject's evidence (<see cref="InputDigest"/>), as computed.</summary>
    public string InputDigest { get; private set; } = string.Empty;

    public DateTimeOffset ComputedAt { get; private set; }

    /// <summary>The instant the figures were computed as of: the period's end for a final run, earlier for a provisional one.</summary>
    public DateTimeOffset AsOf { get; private set; }

    /// <summary>True when computed after the period ended: its figures can no longer grow, so it may be deliberated.</summary>
    public bool PeriodEnded { get; private set; }

    /// <summary>The communities (12-digit codes) with subjects in the run; each must approve before the subdistrict reviews.</summary>
    public List<string> Communities { get; private set; } = [];

    public List<CommunityApproval> CommunityApprovals { get; private set; } = [];

    public List<RunReviewMark> Reviews { get; private set; } = [];

    public List<RunEntry> History { get; private set; } = [];

    /// <summary>Optimistic concurrency: bumped by every change.</summary>
    public int Version { get; private set; }

    /// <summary>A run's first computation.</summary>
    public static AssessmentRun Start(Guid id, string subdistrictCode, AssessmentPeriod period, string subject, GridLevel? level, Computation computation,
        Guid? byUserId, string byName)
    {
        var run = new AssessmentRun
        {
            Id = id, SubdistrictCode = subdistrictCode, Period = period.ToString(), Subject = subject, Level = level, Status = RunStatus.Provisional,
        };
        run.Apply(computation);
        run.Record(RunAction.Compute, RunStatus.Provisional, byUserId, byName, computation.At, Describe(computation));
        return run;
    }

    /// <summary>The figures of one computation.</summary>
    public sealed record Computation(int CatalogueVersion, string Digest, DateTimeOffset At, DateTimeOffset AsOf, bool PeriodEnded, IReadOnlyList<string> Communities);

    /// <summary>Whether the stored figures may be replaced by a new computation: only before anyone has reviewed them.</summary>
    public bool MayRecompute => Status is RunStatus.Provisional or RunStatus.CouncilOpen or RunStatus.CouncilClosed && Reviews.Count == 0;

    /// <summary>Replaces the figures (the caller replaces the stored subjects in the same save).</summary>
    public void Recompute(Computation computation, Guid? byUserId, string byName)
    {
        EnsureMayRecompute();
        Apply(computation);
        Record(RunAction.Compute, Status, byUserId, byName, computation.At, Describe(computation));
    }

    /// <summary>Throws the rule when the figures may no longer be replaced (checked before the costly computation).</summary>
    public void EnsureMayRecompute()
    {
        if (!MayRecompute)
        {
            throw new RunRuleException("recompute-after-review",
                Status == RunStatus.Published ? "该考核结果已公布并冻结，不能重新计算；可用“核验”查看此后记录的变化。" : "该考核结果已进入审议，不能重新计算；如需更正，请在审议中调整具体指标。");
        }
    }

    public void OpenCouncil(Guid byUserId, string byName, DateTimeOffset at)
    {
        Require(Status == RunStatus.Provisional, "council-open-from-provisional", "只有尚未审议的暂定结果可以开启议事会评议。");
        Record(RunAction.OpenCouncil, RunStatus.CouncilOpen, byUserId, byName, at, null);
    }

    public void CloseCouncil(Guid byUserId, string byName, DateTimeOffset at)
    {
        Require(Status == RunStatus.CouncilOpen, "council-close-when-open", "议事会评议尚未开启，无需结束。");
        Record(RunAction.CloseCouncil, RunStatus.CouncilClosed, byUserId, byName, at, null);
    }

    /// <summary>Whether a review (and its adjustments) of a stage may be recorded now for a community or the subdistrict.</summary>
    public string? WhyNoReview(ReviewStage stage, string scopeCode)
    {
        if (Status == RunStatus.Published)
        {
            return "该考核结果已公布并冻结，不能再审议或调整。";
        }

        if (!PeriodEnded)
        {
            return "考核期尚未结束，暂定结果不能审议；请在考核期结束后重新计算再审议。";
        }

        if (Status == RunStatus.CouncilOpen)
        {
            return "议事会评议尚在进行，请结束评议后再审议。";
        }

        if (stage == ReviewStage.Community)
        {
            if (!Communities.Contains(scopeCode))
            {
                return "本批次中没有该社区的考核对象。";
            }

            return CommunityApprovals.Any(a => a.CommunityCode == scopeCode) || Status >= RunStatus.CommunityReviewed
                ? "该社区已审议通过，社区审议阶段已结束。"
                : null;
        }

        return Status == RunStatus.CommunityReviewed ? null : "须待各社区审议通过后，街道才能审议。";
    }

    /// <summary>Records that a review meeting of a stage was held (its adjustments are recorded beside it).</summary>
    public void RecordReview(ReviewStage stage, string scopeCode, Guid meetingId, Guid byUserId, string byName, DateTimeOffset at, string title)
    {
        if (WhyNoReview(stage, scopeCode) is { } why)
        {
            throw new RunRuleException("review-not-open", why);
        }

        Reviews.Add(new RunReviewMark(stage, scopeCode, meetingId));
        Record(RunAction.RecordReview, Status, byUserId, byName, at, $"{(stage == ReviewStage.Community ? "社区" : "街道")}审议：{title}");
    }

    /// <summary>Records one adjustment of a stored figure, made in a review of that stage that is still open.</summary>
    public void RecordAdjustment(ReviewStage stage, string scopeCode, Guid byUserId, string byName, DateTimeOffset at, string note)
    {
        if (WhyNoReview(stage, scopeCode) is { } why)
        {
            throw new RunRuleException("review-not-open", why);
        }

        Record(RunAction.Adjust, Status, byUserId, byName, at, note);
    }

    /// <summary>A community approves its part, after its review meeting; the last community's approval ends the community stage.</summary>
    /// <param name="communityName">How the run's record names the community (社区 name).</param>
    public void ApproveCommunity(string communityCode, string communityName, Guid byUserId, string byName, DateTimeOffset at)
    {
        if (WhyNoReview(ReviewStage.Community, communityCode) is { } why)
        {
            throw new RunRuleException("community-review-not-open", why);
        }

        Require(Reviews.Any(r => r.Stage == ReviewStage.Community && r.ScopeCode == communityCode), "community-meeting-first",
            "请先登记社区审议会议（参会人员、调整事项），再审议通过。");
        CommunityApprovals.Add(new CommunityApproval(communityCode, byUserId, byName, at));
        var all = Communities.All(c => CommunityApprovals.Any(a => a.CommunityCode == c));
        Record(RunAction.ApproveCommunity, all ? RunStatus.CommunityReviewed : Status, byUserId, byName, at, $"{communityName}审议通过");
    }

    /// <summary>The subdistrict approves, after its review meeting.</summary>
    public void ApproveSubdistrict(Guid byUserId, string byName, DateTimeOffset at)
    {
        Require(Status == RunStatus.CommunityReviewed, "communities-first", "须待各社区审议通过后，街道才能审议通过。");
        Require(Reviews.Any(r => r.Stage == ReviewStage.Subdistrict), "subdistrict-meeting-first", "请先登记街道审议会议，再审议通过。");
        Record(RunAction.ApproveSubdistrict, RunStatus.SubdistrictApproved, byUserId, byName, at, null);
    }

    /// <summary>Publishes and freezes the result.</summary>
    public void Publish(Guid byUserId, string byName, DateTimeOffset at)
    {
        Require(Status == RunStatus.SubdistrictApproved, "publish-after-approval", "须经社区、街道两级审议通过后才能公布。");
        Record(RunAction.Publish, RunStatus.Published, byUserId, byName, at, null);
    }

    /// <summary>When the run was published; null before.</summary>
    public DateTimeOffset? PublishedAt => Status == RunStatus.Published ? History.LastOrDefault(h => h.Action == RunAction.Publish)?.At : null;

    /// <summary>
    /// Records the correction of one published figure after an accepted appeal (the caller changes the stored indicator and
    /// rescores the subject in the same save). Only a published run is appealed; it stays published, and its input digest
    /// is unchanged: the digest is of the computed inputs, the correction is kept beside them.
    /// </summary>
    public void RecordAppealCorrection(Guid byUserId, string byName, DateTimeOffset at, string note)
    {
        Require(Status == RunStatus.Published, "appeal-after-publication", "只有已公布的考核结果可以申诉；审议中的结果请在审议会议上调整。");
        Record(RunAction.CorrectOnAppeal, RunStatus.Published, byUserId, byName, at, note);
    }

    private void Apply(Computation computation)
    {
        CatalogueVersion = computation.CatalogueVersion;
        InputDigest = computation.Digest;
        ComputedAt = computation.At.ToUniversalTime();
        AsOf = computation.AsOf.ToUniversalTime();
        PeriodEnded = computation.PeriodEnded;
        Communities = [.. computation.Communities.Distinct().Order(StringComparer.Ordinal)];
    }

    private static string Describe(Computation c) =>
        $"指标体系第 {c.CatalogueVersion} 版；{(c.PeriodEnded ? "考核期已结束" : "考核期未结束（暂定）")}；输入摘要 {c.Digest[..Math.Min(12, c.Digest.Length)]}";

    private static void Require(bool condition, string rule, string chinese)
    {
        if (!condition)
        {
            throw new RunRuleException(rule, chinese);
        }
    }

    private void Record(RunAction action, RunStatus to, Guid? byUserId, string byName, DateTimeOffset at, string? note)
    {
        History.Add(new RunEntry(action, Status, to, byUserId, byName, at, note));
        Status = to;
        Version++;
    }
}
