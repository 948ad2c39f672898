using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Assessment;

/// <summary>Why a resident sits on the council (居民议事会): a courtyard head or one of 两代表一委员.</summary>
public enum CouncilMemberKind
{
    /// <summary>楼院长: the head of a compound, chosen by its residents.</summary>
    CourtyardHead = 1,

    /// <summary>党代表: a deputy to the Party congress.</summary>
    PartyDeputy = 2,

    /// <summary>人大代表: a deputy to the people's congress.</summary>
    PeoplesDeputy = 3,

    /// <summary>政协委员: a member of the CPPCC.</summary>
    CppccMember = 4,

    /// <summary>居民代表: a residents' representative or committee member.</summary>
    ResidentRepresentative = 5,
}

public static class CouncilMemberKinds
{
    public static string ToChinese(this CouncilMemberKind kind) => kind switch
    {
        CouncilMemberKind.CourtyardHead => "楼院长",
        CouncilMemberKind.PartyDeputy => "党代表",
        CouncilMemberKind.PeoplesDeputy => "人大代表",
        CouncilMemberKind.CppccMember => "政协委员",
        CouncilMemberKind.ResidentRepresentative => "居民代表",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>A council rule broken by a request; <see cref="Rule"/> names it for the problem details.</summary>
public sealed class CouncilRuleException(string rule, string message) : InvalidOperationException(message)
{
    public const string TermEnded = "term-ended";
    public const string TermNotCovering = "term-not-covering";
    public const string EvaluationClosed = "evaluation-closed";
    public const string BadStars = "bad-stars";
    public const string UnknownAspect = "unknown-aspect";
    public const string MissingAspect = "missing-aspect";
    public const string UnknownPhrase = "unknown-phrase";
    public const string EndBeforeStart = "end-before-start";

    /// <summary>One of the constants above.</summary>
    public string Rule { get; } = rule;
}

/// <summary>
/// A member of the resident council (居民议事会成员): a trusted resident of a compound who evaluates grids (双评) for a term.
/// The term covers [<see cref="TermFrom"/>, <see cref="TermTo"/>] (Beijing dates, inclusive); ending it early sets
/// <see cref="EndedOn"/> (the first day off the council) and keeps the record.
/// </summary>
public sealed class CouncilMember
{
    private CouncilMember()
    {
        Name = null!;
        Phone = null!;
        CommunityCode = null!;
        HomeGridCode = null!;
    }

    /// <param name="homeGridCode">The grid the member lives in (their compound's grid, or a grid of the community).</param>
    public CouncilMember(string name, string phone, CouncilMemberKind kind, string communityCode, string homeGridCode, string? compoundCode,
        DateOnly termFrom, DateOnly termTo, Guid? userId)
    {
        if (termTo < termFrom)
        {
            throw new CouncilRuleException(CouncilRuleException.EndBeforeStart, "The term ends before it starts.");
        }

        Id = Guid.CreateVersion7();
        Name = name;
        Phone = phone;
        Kind = kind;
        CommunityCode = communityCode;
        HomeGridCode = homeGridCode;
        CompoundCode = compoundCode;
        TermFrom = termFrom;
        TermTo = termTo;
        UserId = userId;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>Mobile number in full; personal data, masked on output.</summary>
    public string Phone { get; private set; }

    public CouncilMemberKind Kind { get; private set; }

    /// <summary>The community whose council this is (12-digit code).</summary>
    public string CommunityCode { get; private set; }

    /// <summary>The grid the member lives in: the "assign by compound" helper gives them this grid (or its 3rd-level ancestor).</summary>
    public string HomeGridCode { get; private set; }

    public string? CompoundCode { get; private set; }

    public DateOnly TermFrom { get; private set; }

    public DateOnly TermTo { get; private set; }

    /// <summary>The first day off the council when the term was ended early; null otherwise.</summary>
    public DateOnly? EndedOn { get; private set; }

    public string? EndReason { get; private set; }

    /// <summary>The member's phone account (a resident account signed in by a one-time code); null until one is made.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>True when the member sits on the council on <paramref name="day"/>.</summary>
    public bool ServesOn(DateOnly day) => day >= TermFrom && day <= TermTo && (EndedOn is null || day < EndedOn);

    /// <summary>True when the member's term overlaps a period at all (they may evaluate it).</summary>
    public bool ServesDuring(AssessmentPeriod period) =>
        TermFrom <= period.To && TermTo >= period.From && (EndedOn is null || EndedOn > period.From);

    /// <summary>
    /// The grid the "assign by compound" helper gives the member: the 3rd-level grid holding their home (a micro-grid's
    /// parent), or their home grid itself when it is a 2nd-level one; null above that.
    /// </summary>
    public string? NearestAssessedGrid => HomeGridCode.Length >= GridCodes.ThirdLength ? HomeGridCode[..GridCodes.ThirdLength]
        : HomeGridCode.Length == GridCodes.SecondLength ? HomeGridCode : null;

    public void LinkAccount(Guid userId) => UserId = userId;

    /// <summary>Ends the term early from <paramref name="on"/> (the first day off the council), with the reason.</summary>
    public void EndTerm(DateOnly on, string reason)
    {
        if (EndedOn is not null)
        {
            throw new CouncilRuleException(CouncilRuleException.TermEnded, "The term has already ended.");
        }

        if (on < TermFrom)
        {
            throw new CouncilRuleException(CouncilRuleException.EndBeforeStart, "The term cannot end before it starts.");
        }

        EndedOn = on;
        EndReason = reason;
    }
}

/// <summary>A member asked to evaluate one grid for one period (e.g. 2026-Q3).</summary>
public sealed class CouncilAssignment
{
    private CouncilAssignment()
    {
        Period = null!;
        GridCode = null!;
        CommunityCode = null!;
        AssignedByName = null!;
    }

    public CouncilAssignment(string period, CouncilMember member, string gridCode, Guid assignedBy, string assignedByName, DateTimeOffset at)
    {
        if (!AssessmentPeriod.TryParse(period, out var parsed) || !member.ServesDuring(parsed))
        {
            throw new CouncilRuleException(CouncilRuleException.TermNotCovering, "The member's term does not cover the period.");
        }

        Id = Guid.CreateVersion7();
        Period = parsed.ToString();
        MemberId = member.Id;
        MemberUserId = member.UserId;
        CommunityCode = member.CommunityCode;
        GridCode = gridCode;
        AssignedBy = assignedBy;
        AssignedByName = assignedByName;
        AssignedAt = at;
    }

    public Guid Id { get; private set; }

    /// <summary>The assessment period's canonical text (2026-Q3).</summary>
    public string Period { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>The member's account, copied so the member reads their own assignments through the scope filter.</summary>
    public Guid? MemberUserId { get; private set; }

    /// <summary>The member's community (whose staff manage the assignment).</summary>
    public string CommunityCode { get; private set; }

    /// <summary>The grid evaluated.</summary>
    public string GridCode { get; private set; }

    public Guid AssignedBy { get; private set; }

    public string AssignedByName { get; private set; }

    public DateTimeOffset AssignedAt { get; private set; }

    /// <summary>Links the account made after the assignment (its rows follow the member).</summary>
    public void LinkAccount(Guid userId) => MemberUserId = userId;
}

/// <summary>
/// One member's evaluation of one grid for one period: 1–5 stars per aspect of the evaluation form and the ready phrases
/// they tapped. Private to the member: staff read only tallies, the grid's own people nothing (see the storage's filter).
/// </summary>
public sealed class CouncilEvaluation
{
    private CouncilEvaluation()
    {
        Period = null!;
        GridCode = null!;
    }

    public CouncilEvaluation(CouncilAssignment assignment, IReadOnlyDictionary<string, int> stars, IReadOnlyList<string> phrases, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7();
        AssignmentId = assignment.Id;
        Period = assignment.Period;
        GridCode = assignment.GridCode;
        MemberUserId = assignment.MemberUserId;
        Change(stars, phrases, at);
        SubmittedAt = at;
    }

    public Guid Id { get; private set; }

    public Guid AssignmentId { get; private set; }

    public string Period { get; private set; }

    public string GridCode { get; private set; }

    public Guid? MemberUserId { get; private set; }

    /// <summary>Stars per aspect code (e.g. <c>environment</c> → 4).</summary>
    public Dictionary<string, int> Stars { get; private set; } = [];

    /// <summary>The ready phrases chosen (their text), in the order of the form.</summary>
    public List<string> Phrases { get; private set; } = [];

    /// <summary>The member's overall score: the mean of the aspects rounded half up to whole stars (what the council tally uses).</summary>
    public int Overall { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Replaces the stars and phrases (a member may change their mind until the evaluation closes).</summary>
    public void Change(IReadOnlyDictionary<string, int> stars, IReadOnlyList<string> phrases, DateTimeOffset at)
    {
        Stars = new Dictionary<string, int>(stars, StringComparer.Ordinal);
        Phrases = [.. phrases];
        Overall = CouncilForm.Overall(stars.Values);
        UpdatedAt = at;
    }
}

/// <summary>One aspect of the council's evaluation form (a row of big stars on the phone).</summary>
public sealed record CouncilAspect(string Code, string Name);

/// <summary>
/// The council's evaluation form: the aspects scored with 1–5 stars, the ready phrases a member may tap instead of typing,
/// and when a period's evaluation is open: from <see cref="OpensDaysBeforeEnd"/> days before the period's last day until
/// <see cref="ClosesDaysAfterEnd"/> days after it (Beijing dates, inclusive).
/// </summary>
public sealed record CouncilForm(IReadOnlyList<CouncilAspect> Aspects, IReadOnlyList<string> Phrases, int OpensDaysBeforeEnd, int ClosesDaysAfterEnd)
{
    public const int MaxPhrases = 3;

    /// <summary>The first day members may score a period.</summary>
    public DateOnly OpensOn(AssessmentPeriod period) => period.To.AddDays(-OpensDaysBeforeEnd);

    /// <summary>The last day members may score or change their score.</summary>
    public DateOnly ClosesOn(AssessmentPeriod period) => period.To.AddDays(ClosesDaysAfterEnd);

    public bool IsOpen(AssessmentPeriod period, DateOnly today) => today >= OpensOn(period) && today <= ClosesOn(period);

    /// <summary>
    /// Checks a submission: every aspect scored 1–5 and nothing else, at most <see cref="MaxPhrases"/> phrases and each one
    /// of the form's; throws <see cref="CouncilRuleException"/> naming the first rule broken.
    /// </summary>
    public (Dictionary<string, int> Stars, List<string> Phrases) Check(IReadOnlyDictionary<string, int> stars, IReadOnlyList<string> phrases)
    {
        if (stars.Keys.FirstOrDefault(k => Aspects.All(a => a.Code != k)) is { } unknown)
        {
            throw new CouncilRuleException(CouncilRuleException.UnknownAspect, $"Unknown aspect '{unknown}'.");
        }

        if (Aspects.FirstOrDefault(a => !stars.ContainsKey(a.Code)) is { } missing)
        {
            throw new CouncilRuleException(CouncilRuleException.MissingAspect, $"Aspect '{missing.Code}' is not scored.");
        }

        if (stars.Values.Any(s => s is < 1 or > 5))
        {
            throw new CouncilRuleException(CouncilRuleException.BadStars, "Stars are 1 to 5.");
        }

        var chosen = phrases.Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count > MaxPhrases || chosen.Any(p => !Phrases.Contains(p)))
        {
            throw new CouncilRuleException(CouncilRuleException.UnknownPhrase, "A phrase is not one of the form's, or too many were chosen.");
        }

        return (Aspects.ToDictionary(a => a.Code, a => stars[a.Code], StringComparer.Ordinal),
            [.. Phrases.Where(chosen.Contains)]);
    }

    /// <summary>The mean of the aspects' stars rounded half up (4, 4, 5 → 4; 4, 5 → 5): one whole-star score per member.</summary>
    public static int Overall(IEnumerable<int> stars)
    {
        var all = stars.ToList();
        return all.Count == 0 ? 0 : (int)Math.Floor(all.Average() + 0.5 + 1e-9);
    }

    /// <summary>
    /// The form a subdistrict starts from: three aspects and eight everyday phrases; open the last 20 days of a period and
    /// 15 days after (so some month is always open, and a quarter's evaluation spans its last three weeks and two after).
    /// </summary>
    public static CouncilForm Default { get; } = new(
        [new("environment", "环境整治"), new("mediation", "矛盾化解"), new("service", "服务态度")],
        ["网格员常来走访", "反映的问题解决得快", "小区环境比以前好", "邻里纠纷调解得好", "有事找得到人", "态度热情耐心", "希望多来看看", "反映的问题还没解决"],
        20, 15);
}

/// <summary>
/// The council-score indicator of one grid from its members' overall scores: the tally's trimmed mean (see
/// <see cref="CouncilScoring"/>), with one evidence line per score that names nobody: scores in descending order, each
/// marked kept or set aside, so the kept lines' mean is the value shown.
/// </summary>
public static class CouncilEvidence
{
    public static ComputedIndicator Compute(string code, IReadOnlyList<int> overallScores, CouncilRules rules)
    {
        var tally = CouncilScoring.Tally(overallScores, rules);
        var sorted = overallScores.OrderDescending().ToList();
        var n = sorted.Count;
        var evidence = sorted.Select((stars, i) =>
        {
            var reference = $"评议 {i + 1} / {n}";
            if (!tally.Quorate)
            {
                return new IndicatorEvidence(reference, false, $"{stars} 星（不足法定人数 {rules.Quorum} 人，不计）");
            }

            var note = i < tally.DroppedEach ? $"{stars} 星（去掉最高分）" : i >= n - tally.DroppedEach ? $"{stars} 星（去掉最低分）" : $"{stars} 星";
            return new IndicatorEvidence(reference, i >= tally.DroppedEach && i < n - tally.DroppedEach, note);
        }).ToList();
        var value = tally.Count == 0
            ? IndicatorValue.Absent(code, $"本期没有议事会成员评议这个网格（法定人数 {rules.Quorum} 人），本项不计分也不占权重。")
            : tally.AsValue(code, rules);
        return new ComputedIndicator(value, evidence);
    }
}
