using CivicGrid.Domain.Cases;
using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>
/// Builds a case and walks it to the wanted status through the real verbs (owner staff of its colour, the grid
/// worker <see cref="Actors.Worker"/> as assignee, the reporter <see cref="Actors.Reporter"/>), one minute apart.
/// </summary>
internal sealed class CaseBuilder
{
    public static readonly DateTimeOffset ReportedAt = new(2026, 11, 27, 1, 30, 0, TimeSpan.Zero);

    /// <summary>A time after every step the builder takes; tests act from here.</summary>
    public static readonly DateTimeOffset Now = ReportedAt.AddDays(1);

    private string _gridCode = Codes.MicroGrid;
    private CaseTier _tier = CaseTier.Green;
    private Guid? _reporterId = Actors.ReporterId;
    private CaseStatus _status = CaseStatus.Reported;
    private string _number = "2026112700042";

    public static CaseBuilder ACase() => new();

    public CaseBuilder Numbered(string number)
    {
        _number = number;
        return this;
    }

    public CaseBuilder InGrid(string gridCode)
    {
        _gridCode = gridCode;
        return this;
    }

    public CaseBuilder OfTier(CaseTier tier)
    {
        _tier = tier;
        return this;
    }

    public CaseBuilder Anonymous()
    {
        _reporterId = null;
        return this;
    }

    /// <summary>Walks the case to <paramref name="status"/>: any status of the main loop, or Parked (from Assigned).</summary>
    public CaseBuilder In(CaseStatus status)
    {
        _status = status;
        return this;
    }

    public Case Build()
    {
        var subject = new Case(_number, "E0101", "楼道堆放杂物", "3 号楼 2 单元楼道堆满纸箱", new Point(108.95, 34.26), _gridCode,
            _tier, CaseChannel.ResidentApp, _reporterId, ReportedAt, _reporterId is null ? null : "王居民");
        var owner = Actors.OwnerOf(_tier);
        var at = ReportedAt;
        var steps = new List<Action<Case>>
        {
            c => c.Accept(owner, c.Version, at = at.AddMinutes(1)),
            c => c.Assign(owner, c.Version, at = at.AddMinutes(1), CaseAssignee.User(Actors.WorkerId, "李网格员"), ReportedAt.AddDays(3)),
        };
        if (_status == CaseStatus.Parked)
        {
            steps.Add(c => c.Park(owner, c.Version, at = at.AddMinutes(1), "需等待管网改造", DateOnly.FromDateTime(ReportedAt.AddDays(30).DateTime)));
        }
        else
        {
            steps.Add(c => c.StartHandling(Actors.Worker, c.Version, at = at.AddMinutes(1)));
            steps.Add(c => c.RecordHandled(Actors.Worker, c.Version, at = at.AddMinutes(1), "已清理楼道杂物", [Guid.NewGuid()]));
            steps.Add(c => c.Verify(owner, c.Version, at = at.AddMinutes(1), true, "现场核查已清理"));
            steps.Add(c => c.Evaluate(Actors.Reporter, c.Version, at = at.AddMinutes(1), 5, "很及时"));
        }

        foreach (var step in steps)
        {
            if (subject.Status == _status)
            {
                break;
            }

            step(subject);
        }

        Assert.Equal(_status, subject.Status);
        return subject;
    }
}
