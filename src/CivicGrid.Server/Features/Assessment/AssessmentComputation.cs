using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>What is assessed: grids of one level, or grid workers.</summary>
public enum SubjectKind
{
    Grid = 1,
    Worker = 2,
}

/// <summary>A grid or a person being assessed.</summary>
/// <param name="Code">The grid's code; for a worker, their account id (<c>Guid.ToString("D")</c>).</param>
/// <param name="Level">The grid's level; for a worker, the level of the grid they are assigned to, when one.</param>
/// <param name="Roles">For a worker, the roles the catalogue's worker indicators are chosen by; empty for a grid.</param>
/// <param name="Person">For a worker, who they are (their grid, roster member and duty); null for a grid.</param>
public sealed record AssessmentSubject(string Code, string Name, GridLevel? Level, IReadOnlyList<Role> Roles, AssessedPerson? Person = null)
{
    /// <summary>For a worker, their account id.</summary>
    public Guid? UserId => Person?.UserId;
}

/// <summary>
/// One computation: the period's instants [<see cref="Start"/>, <see cref="End"/>) on Beijing days, when it is computed
/// (<see cref="AsOf"/>: after the end for a final result, earlier for a provisional one, so a deadline not yet reached counts
/// against nobody), the subjects (all of a level in the caller's scope, or one for its evidence) and the catalogue version.
/// <see cref="People"/> are everyone in the caller's scope assessed as a worker (a grid's walkers are among them), or, for a
/// scope narrowed to a <see cref="Subtree"/> or <see cref="Person"/>, those of them its subjects need.
/// </summary>
/// <remarks>
/// A scorecard of one grid (or of the grids of one community or smaller) or of one worker is narrowed: every source reads
/// only the records its subjects can count (<see cref="Subtree"/>, <see cref="Person"/>), so a live scorecard does not read
/// the caller's whole scope. The narrowing is exact: the subjects' results are those of the whole scope's computation.
/// </remarks>
public sealed record AssessmentScope(AssessmentPeriod Period, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset AsOf, SubjectKind Kind,
    GridLevel? Level, IReadOnlyList<AssessmentSubject> Subjects, IndicatorCatalogue Catalogue, WorkCalendar Calendar, IReadOnlyList<AssessedPerson> People)
{
    /// <summary>The period's Beijing days and how far they are complete at <see cref="AsOf"/>.</summary>
    public AssessedDays Days => AssessedDays.Of(Period, PatrolTracks.BeijingDay(AsOf));

    /// <summary>The instant up to which records count: the period's end, or <see cref="AsOf"/> before it.</summary>
    public DateTimeOffset Until => AsOf < End ? AsOf : End;

    /// <summary>
    /// The subject a record on grid <paramref name="code"/> counts for when the subjects are grids: the subject grid of the
    /// scope's level whose code prefixes it (<see cref="Domain.FieldWork.GridRollUp.RowOf"/>), or null.
    /// </summary>
    public string? GridRowOf(string code) => Domain.FieldWork.GridRollUp.RowOf(code, Level ?? GridLevel.Third);

    /// <summary>The indicators of the catalogue that apply to a subject.</summary>
    public IReadOnlyList<IndicatorDefinition> IndicatorsFor(AssessmentSubject subject) => Kind == SubjectKind.Grid
        ? Catalogue.ForGrid(subject.Level ?? Level ?? GridLevel.Third)
        : Catalogue.ForWorker(subject.Roles);

    /// <summary>True when the scope is one subject (an evidence list): sources may read only its records.</summary>
    public AssessmentSubject? Single => Subjects.Count == 1 ? Subjects[0] : null;

    /// <summary>
    /// For grids, the subtree every subject lies in when it is a community's or narrower (<see cref="SubtreeOf"/>): every record
    /// a subject counts lies under its code, so sources read only the records under this code (and the people assigned there).
    /// Null when the subjects are workers or span more than a community: sources read the caller's whole scope.
    /// </summary>
    public string? Subtree => Kind == SubjectKind.Grid ? SubtreeOf(Subjects) : null;

    /// <summary>For one worker, their account id: sources read only that person's own records. Null otherwise.</summary>
    public Guid? Person => Kind == SubjectKind.Worker && Single is { UserId: { } id } ? id : null;

    /// <summary>
    /// The code all subjects share, when it is a community's or longer (one grid's scorecard, a community's ranking); null for
    /// a wider scope, which reads every record in the caller's scope (a scan does better than the index for a third of a table).
    /// </summary>
    public static string? SubtreeOf(IReadOnlyList<AssessmentSubject> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        if (subjects.Count == 0)
        {
            return null;
        }

        var prefix = subjects[0].Code.AsSpan();
        foreach (var subject in subjects)
        {
            prefix = prefix[..prefix.CommonPrefixLength(subject.Code)];
        }

        return prefix.Length >= GridCodes.CommunityLength ? prefix.ToString() : null;
    }
}

/// <summary>
/// Where indicator values come from: cases, patrols and visits, training, the council's evaluation, staff entries… Each
/// source computes the indicators it knows for every subject of a scope, each with the records behind it. Sources are
/// registered in DI (<c>services.AddScoped&lt;IIndicatorSource, …&gt;()</c>); an indicator no source computes is shown
/// as missing and its subject gets no stars.
/// </summary>
public interface IIndicatorSource
{
    /// <summary>The indicator codes this source computes (for both subject kinds unless it says otherwise per subject).</summary>
    IReadOnlySet<string> Codes { get; }

    /// <summary>Per subject code, the indicators computed for it. A subject left out has none of this source's indicators computed.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>> ComputeAsync(CivicGridDbContext db, AssessmentScope scope,
        CancellationToken ct);
}

/// <summary>
/// One subject's result: its scorecard, each computed indicator with its evidence, and the applicable indicators no source
/// computed. A subject with any indicator missing gets no stars: a partial score is shown as such, never as a rating.
/// </summary>
public sealed record SubjectResult(AssessmentSubject Subject, Scorecard Card, IReadOnlyDictionary<string, ComputedIndicator> Computed,
    IReadOnlyList<string> Missing)
{
    public string Code => Subject.Code;

    public string Name => Subject.Name;

    public int? Stars => Missing.Count == 0 ? Card.Stars : null;
}

/// <summary>Scores subjects against the catalogue from what the registered sources compute.</summary>
public sealed class AssessmentCalculator(IEnumerable<IIndicatorSource> sources, WorkCalendarProvider calendars)
{
    public const string NotYetComputed = "本指标的数据来源尚未接入平台，暂不计分；接入前不评定星级。";

    private readonly IReadOnlyList<IIndicatorSource> _sources = [.. sources];

    /// <summary>Every indicator code some source computes.</summary>
    public IReadOnlySet<string> ComputedCodes => _sources.SelectMany(s => s.Codes).ToHashSet(StringComparer.Ordinal);

    /// <summary>The source of an indicator, when one computes it.</summary>
    public IIndicatorSource? SourceOf(string code) => _sources.FirstOrDefault(s => s.Codes.Contains(code));

    /// <summary>
    /// The scope of a period's computation: the grids of <paramref name="level"/> in the caller's scope, or the people assessed
    /// as workers there (<see cref="AssessmentPeople"/>), or only <paramref name="subjectCode"/> (a grid code, or an account id);
    /// the catalogue version in force for the period and the work calendar.
    /// </summary>
    public async Task<AssessmentScope> ScopeAsync(CivicGridDbContext db, AssessmentPeriod period, SubjectKind kind, GridLevel? level, DateTimeOffset asOf,
        CancellationToken ct, string? subjectCode = null)
    {
        var (start, end) = PatrolTracks.Bounds(period.From, period.To);
        var catalogue = await AssessmentCatalogues.ForAsync(db, period, ct);
        List<AssessedPerson> people;
        List<AssessmentSubject> subjects;
        if (kind == SubjectKind.Grid)
        {
            subjects = await GridSubjectsAsync(db, level ?? GridLevel.Third, subjectCode, ct);
            people = await AssessmentPeople.ReadAsync(db, period, start, ct, AssessmentScope.SubtreeOf(subjects));
        }
        else
        {
            // One worker: only their account, attachments and roster entry (an id that is not a Guid finds nobody).
            Guid? person = subjectCode is null ? null : Guid.TryParse(subjectCode, out var id) ? id : Guid.Empty;
            people = await AssessmentPeople.ReadAsync(db, period, start, ct, person: person);
            subjects = [.. people.Where(p => subjectCode is null || p.UserId.ToString("D") == subjectCode)
                .Select(p => new AssessmentSubject(p.UserId.ToString("D"), p.Name, AssessmentPeople.LevelOf(p.GridCode), p.Roles, p))];
        }

        return new AssessmentScope(period, start, end, asOf, kind, kind == SubjectKind.Grid ? level ?? GridLevel.Third : null, subjects, catalogue,
            await calendars.GetAsync(ct), people);
    }

    /// <summary>Every subject of the scope scored: each source asked once for all of them.</summary>
    public async Task<List<SubjectResult>> ComputeAsync(CivicGridDbContext db, AssessmentScope scope, CancellationToken ct)
    {
        var computed = new Dictionary<string, Dictionary<string, ComputedIndicator>>(StringComparer.Ordinal);
        foreach (var source in _sources)
        {
            foreach (var (subject, indicators) in await source.ComputeAsync(db, scope, ct))
            {
                if (!computed.TryGetValue(subject, out var into))
                {
                    computed[subject] = into = new Dictionary<string, ComputedIndicator>(StringComparer.Ordinal);
                }

                foreach (var (code, indicator) in indicators)
                {
                    into[code] = indicator;
                }
            }
        }

        return [.. scope.Subjects.Select(subject =>
        {
            var indicators = scope.IndicatorsFor(subject);
            var mine = computed.TryGetValue(subject.Code, out var found) ? found : [];
            var missing = indicators.Where(i => !mine.ContainsKey(i.Code)).Select(i => i.Code).ToList();
            var values = indicators.ToDictionary(i => i.Code, i => mine.TryGetValue(i.Code, out var c) ? c.Value : IndicatorValue.Absent(i.Code, NotYetComputed));
            return new SubjectResult(subject, Scoring.Score(indicators, values, scope.Catalogue.Stars), mine, missing);
        })];
    }

    private static async Task<List<AssessmentSubject>> GridSubjectsAsync(CivicGridDbContext db, GridLevel level, string? code, CancellationToken ct)
    {
        var grids = db.Grids.AsNoTracking().Where(g => g.Level == level && g.Kind == GridKind.Territorial);
        if (code is not null)
        {
            grids = grids.Where(g => g.Code == code);
        }

        return [.. (await grids.OrderBy(g => g.Code).Select(g => new { g.Code, g.Name, g.Level }).ToListAsync(ct))
            .Select(g => new AssessmentSubject(g.Code, g.Name, g.Level, []))];
    }
}
