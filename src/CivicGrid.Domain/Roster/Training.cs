namespace CivicGrid.Domain.Roster;

/// <summary>What a course teaches.</summary>
public enum CourseKind
{
    /// <summary>政策: laws, policies, the grid's tasks.</summary>
    Policy = 1,

    /// <summary>平台使用: using CivicGrid on the phone and the console.</summary>
    PlatformUse = 2,

    /// <summary>安全: safety on patrol, fire, gas, first aid.</summary>
    Safety = 3,
}

/// <summary>A training course of a subdistrict or community.</summary>
public sealed class Course
{
    public const int MaxTitleLength = 100;

    private Course()
    {
        Title = null!;
        ScopeCode = null!;
    }

    /// <param name="hours">Class hours, more than 0 and at most 100.</param>
    /// <param name="passMark">The lowest passing test score, 0–100.</param>
    /// <param name="requiredForWorkId">Whether passing it is needed before a work ID is issued.</param>
    public Course(CourseKind kind, string title, decimal hours, int passMark, bool requiredForWorkId, string scopeCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(passMark);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(passMark, 100);
        Id = Guid.CreateVersion7();
        Kind = kind;
        Title = title.Trim();
        Hours = hours;
        PassMark = passMark;
        RequiredForWorkId = requiredForWorkId;
        ScopeCode = scopeCode;
    }

    public Guid Id { get; private set; }

    public CourseKind Kind { get; private set; }

    public string Title { get; private set; }

    public decimal Hours { get; private set; }

    /// <summary>The lowest passing score, 0–100.</summary>
    public int PassMark { get; private set; }

    public bool RequiredForWorkId { get; set; }

    /// <summary>The subdistrict or community that runs it; everyone below sees it.</summary>
    public string ScopeCode { get; private set; }

    /// <summary>Attended and scored at least the pass mark.</summary>
    public bool Passes(bool attended, int? score) => attended && score is { } s && s >= PassMark;
}

/// <summary>One class of a course: when, where, who teaches; attendance and scores are <see cref="Attendance"/> rows.</summary>
public sealed class TrainingSession
{
    private TrainingSession()
    {
        Place = null!;
        Trainer = null!;
        ScopeCode = null!;
    }

    public TrainingSession(Guid courseId, DateOnly heldOn, string place, string trainer, string scopeCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(place);
        ArgumentException.ThrowIfNullOrWhiteSpace(trainer);
        Id = Guid.CreateVersion7();
        CourseId = courseId;
        HeldOn = heldOn;
        Place = place.Trim();
        Trainer = trainer.Trim();
        ScopeCode = scopeCode;
    }

    public Guid Id { get; private set; }

    public Guid CourseId { get; private set; }

    public DateOnly HeldOn { get; private set; }

    public string Place { get; private set; }

    public string Trainer { get; private set; }

    /// <summary>The subdistrict or community that holds it.</summary>
    public string ScopeCode { get; private set; }
}

/// <summary>A roster member on a session's list: whether they came and their test score (0–100, null before the test).</summary>
public sealed class Attendance
{
    private Attendance()
    {
        CommunityCode = null!;
    }

    /// <param name="communityCode">The member's community (the scope of the row).</param>
    public Attendance(Guid sessionId, Guid memberId, string communityCode, bool attended, int? score)
    {
        SessionId = sessionId;
        MemberId = memberId;
        CommunityCode = communityCode;
        Record(attended, score);
    }

    public Guid SessionId { get; private set; }

    public Guid MemberId { get; private set; }

    public string CommunityCode { get; private set; }

    public bool Attended { get; private set; }

    public int? Score { get; private set; }

    /// <exception cref="ArgumentOutOfRangeException">A score outside 0–100.</exception>
    public void Record(bool attended, int? score)
    {
        if (score is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A score is 0–100.");
        }

        Attended = attended;
        Score = score;
    }
}

/// <summary>Whether a member may be issued a work ID: every course marked required passed in some session.</summary>
public static class WorkIdEligibility
{
    /// <param name="required">The courses required for a work ID in the member's scope.</param>
    /// <param name="results">The member's (course, attended, score) from every session they were on the list of.</param>
    /// <returns>The required courses not yet passed; empty when the member is eligible.</returns>
    public static IReadOnlyList<Course> Missing(IEnumerable<Course> required, IEnumerable<(Guid CourseId, bool Attended, int? Score)> results)
    {
        var all = results.ToList();
        return [.. required.Where(c => !all.Any(r => r.CourseId == c.Id && c.Passes(r.Attended, r.Score)))];
    }
}
