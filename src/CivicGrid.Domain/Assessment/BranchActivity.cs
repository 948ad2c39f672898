namespace CivicGrid.Domain.Assessment;

/// <summary>
/// A branch activity (支部活动: a themed party day, a study session, a volunteer service day) entered by staff for a grid,
/// with photos of the activity or its sign-in sheet as evidence. It counts for the <c>branch-activities</c> indicator of the
/// grid and every grid above it in the period holding <see cref="HeldOn"/>, once it has evidence.
/// </summary>
public sealed class BranchActivity
{
    public const int MaxTitleLength = 100;
    public const int MaxNoteLength = 500;
    public const int MaxPhotos = 9;

    private readonly List<Guid> _photoIds = [];

    private BranchActivity()
    {
        GridCode = null!;
        Title = null!;
        RecordedByName = null!;
    }

    public BranchActivity(string gridCode, DateOnly heldOn, string title, string? note, int participants, Guid recordedBy, string recordedByName,
        DateTimeOffset at)
    {
        Id = Guid.CreateVersion7();
        GridCode = gridCode;
        HeldOn = heldOn;
        Title = title;
        Note = note;
        Participants = participants;
        RecordedBy = recordedBy;
        RecordedByName = recordedByName;
        RecordedAt = at;
    }

    public Guid Id { get; private set; }

    public string GridCode { get; private set; }

    /// <summary>The Beijing date it was held.</summary>
    public DateOnly HeldOn { get; private set; }

    public string Title { get; private set; }

    public string? Note { get; private set; }

    /// <summary>How many took part (from the sign-in sheet); 0 when not known.</summary>
    public int Participants { get; private set; }

    public Guid RecordedBy { get; private set; }

    public string RecordedByName { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>Photos of the activity and its sign-in sheet, in the order added.</summary>
    public IReadOnlyList<Guid> PhotoIds => _photoIds;

    /// <summary>True once it has evidence: only then does it count.</summary>
    public bool HasEvidence => _photoIds.Count > 0;

    /// <summary>Adds a photo; refuses beyond <see cref="MaxPhotos"/> with <see cref="InvalidOperationException"/>.</summary>
    public void AddPhoto(Guid photoId)
    {
        if (_photoIds.Count >= MaxPhotos)
        {
            throw new InvalidOperationException($"An activity keeps at most {MaxPhotos} photos.");
        }

        _photoIds.Add(photoId);
    }
}

/// <summary>The <c>branch-activities</c> indicator: each activity of the period is a line of evidence; those with photos count.</summary>
public static class BranchActivityCount
{
    /// <param name="activities">The activities of a grid's subtree held in the period.</param>
    public static ComputedIndicator Compute(string code, IEnumerable<BranchActivity> activities) =>
        ComputedIndicator.CountOf(code, [.. activities.OrderBy(a => a.HeldOn).ThenBy(a => a.Title, StringComparer.Ordinal).Select(a =>
            new IndicatorEvidence($"{a.HeldOn:yyyy-MM-dd} {a.Title}", a.HasEvidence,
                a.HasEvidence ? $"{a.PhotoIds.Count} 份佐证材料" + (a.Participants > 0 ? $"，{a.Participants} 人参加" : string.Empty)
                    : "尚无佐证材料（照片或签到表），不计入"))]);
}
