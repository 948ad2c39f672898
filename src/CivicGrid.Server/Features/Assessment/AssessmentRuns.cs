using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>The published results of a period and level that the caller may see, by grid code, as stored.</summary>
public sealed record PublishedResults(IReadOnlyDictionary<string, GridResult> Results, int CatalogueVersion, DateTimeOffset ComputedAt)
{
    /// <summary>True when every subject listed has a published result: the answer is the stored one, not a computation.</summary>
    public bool Covers(IReadOnlyList<AssessmentSubject> subjects) => subjects.Count > 0 && subjects.All(s => Results.ContainsKey(s.Code));
}

/// <summary>A corrected value of one stored indicator: by whom, why, and what decided it (a review meeting or an appeal).</summary>
public sealed record Correction(double Numerator, double? Denominator, string Reason, Guid ByUserId, string ByName, DateTimeOffset At, Guid? ReviewId,
    Guid? AppealId);

/// <summary>What a recomputation of a stored run found: the same digest, or every record that changed since.</summary>
public sealed record RunVerification(bool Same, string StoredDigest, string CurrentDigest, IReadOnlyList<EvidenceChange> Changes);

/// <summary>
/// Reading stored results: a run's subjects as scorecard lines (in the catalogue's order), the published ones of a period,
/// and rescoring a subject after one indicator is corrected.
/// </summary>
public static class StoredResults
{
    public static async Task<PublishedResults> PublishedAsync(CivicGridDbContext db, AssessmentPeriod period, string subject, GridLevel? level, CancellationToken ct)
    {
        var text = period.ToString();
        var runs = await db.AssessmentRuns.AsNoTracking()
            .Where(r => r.Period == text && r.Subject == subject && r.Level == level && r.Status == RunStatus.Published).ToListAsync(ct);
        var results = new Dictionary<string, GridResult>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var result in await ResultsOfAsync(db, run, ct))
            {
                results[result.Code] = result;
            }
        }

        return new PublishedResults(results, runs.Select(r => r.CatalogueVersion).DefaultIfEmpty(0).Max(),
            runs.Select(r => r.ComputedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max());
    }

    /// <summary>One stored indicator of a grid in a published run, when there is one.</summary>
    public static async Task<RunIndicator?> PublishedIndicatorAsync(CivicGridDbContext db, AssessmentPeriod period, string subject, GridLevel? level,
        string subjectCode, string indicator, CancellationToken ct)
    {
        var text = period.ToString();
        var runIds = db.AssessmentRuns.Where(r => r.Period == text && r.Subject == subject && r.Level == level && r.Status == RunStatus.Published)
            .Select(r => r.Id);
        return await db.RunIndicators.AsNoTracking().Where(i => runIds.Contains(i.RunId) && i.SubjectCode == subjectCode && i.Code == indicator)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The stored subjects of a run the caller may see, each as a result with its lines.</summary>
    public static async Task<List<GridResult>> ResultsOfAsync(CivicGridDbContext db, AssessmentRun run, CancellationToken ct)
    {
        var catalogue = await AssessmentCatalogues.VersionAsync(db, run.CatalogueVersion, ct) ?? IndicatorCatalogue.Seed;
        var subjects = await db.RunSubjects.AsNoTracking().Where(s => s.RunId == run.Id).OrderBy(s => s.Code).ToListAsync(ct);
        var lines = (await db.RunIndicators.AsNoTracking().Where(i => i.RunId == run.Id).ToListAsync(ct)).ToLookup(i => i.SubjectCode);
        var level = run.Level?.ToApiName() ?? "worker";
        return [.. subjects.Select(s => new GridResult(s.Code, s.Name, level, s.Stars, s.Score, s.Missing,
            [.. lines[s.Code].OrderBy(l => Order(catalogue, l.Code)).Select(l => Line(catalogue, l))], run.Level is null ? s.ScopeCode : null))];
    }

    /// <summary>
    /// The indicators a stored subject is scored by: a grid level's from the catalogue, or for a worker those stored for them
    /// (chosen by their roles when the run was computed), in the catalogue's order.
    /// </summary>
    public static IReadOnlyList<IndicatorDefinition> IndicatorsOf(IndicatorCatalogue catalogue, AssessmentRun run, IReadOnlyList<RunIndicator> rows) =>
        run.Level is { } level ? catalogue.ForGrid(level) : [.. catalogue.Indicators.Where(i => rows.Any(r => r.Code == i.Code))];

    private static int Order(IndicatorCatalogue catalogue, string code)
    {
        var index = catalogue.Indicators.ToList().FindIndex(i => i.Code == code);
        return index < 0 ? int.MaxValue : index;
    }

    private static IndicatorLine Line(IndicatorCatalogue catalogue, RunIndicator row)
    {
        var definition = catalogue.Find(row.Code);
        var value = row.Value;
        return new IndicatorLine(row.Code, definition?.Name ?? row.Code, definition?.Group ?? StarGroup.Governance,
            value.Value is { } v ? Math.Round(v, 4) : null, row.Numerator, row.Denominator, definition?.Unit ?? string.Empty, definition?.Target ?? 0,
            row.Points, row.Weight, row.Met, value.Reason, row.Adjusted);
    }

    /// <summary>
    /// Scores a stored subject again from its rows' values as they stand (after a correction): each row's points, weight and
    /// whether it met its target, and the subject's score and stars. A missing indicator someone entered is no longer missing.
    /// </summary>
    public static void Rescore(RunSubject subject, IReadOnlyList<RunIndicator> rows, IReadOnlyList<IndicatorDefinition> indicators, StarThresholds thresholds)
    {
        subject.Missing = [.. subject.Missing.Where(code => rows.Any(r => r.Code == code && !r.Computed && !r.Adjusted))];
        var values = indicators.ToDictionary(i => i.Code, i => rows.FirstOrDefault(r => r.Code == i.Code)?.Value
            ?? IndicatorValue.Absent(i.Code, AssessmentCalculator.NotYetComputed));
        var card = Scoring.Score(indicators, values, thresholds);
        foreach (var line in card.Indicators)
        {
            if (rows.FirstOrDefault(r => r.Code == line.Indicator.Code) is { } row)
            {
                (row.Points, row.Weight, row.Met) = (line.Points, line.Weight, line.Met);
            }
        }

        subject.Score = card.Score;
        subject.Stars = subject.Missing.Count == 0 ? card.Stars : null;
        subject.Points = card.Points;
        subject.ApplicableWeight = card.ApplicableWeight;
        subject.TotalWeight = card.TotalWeight;
    }

    /// <summary>
    /// Corrects one stored indicator of a subject (a review's adjustment, or an accepted appeal): the value in force changes,
    /// the computed value and its evidence stay as they were (they are the digest's input), the subject is scored again, and
    /// the correction is recorded with the values, score and stars before and after. Returns the record (added to the
    /// context) and the note for the run's history.
    /// </summary>
    public static (AssessmentAdjustment Adjustment, string Note) Correct(CivicGridDbContext db, RunSubject subject, IReadOnlyList<RunIndicator> rows,
        RunIndicator row, IReadOnlyList<IndicatorDefinition> indicators, StarThresholds thresholds, Correction correction)
    {
        var adjustment = new AssessmentAdjustment
        {
            Id = Guid.CreateVersion7(), RunId = row.RunId, ReviewId = correction.ReviewId, AppealId = correction.AppealId, SubjectCode = subject.Code,
            SubjectName = subject.Name, ScopeCode = subject.ScopeCode, Indicator = row.Code, NumeratorBefore = row.Numerator, DenominatorBefore = row.Denominator,
            Numerator = correction.Numerator, Denominator = correction.Denominator, Reason = correction.Reason, ScoreBefore = subject.Score,
            StarsBefore = subject.Stars, ByUserId = correction.ByUserId, ByName = correction.ByName, At = correction.At,
        };
        (row.Numerator, row.Denominator, row.NotApplicable, row.Adjusted) = (correction.Numerator, correction.Denominator, null, true);
        Rescore(subject, rows, indicators, thresholds);
        (adjustment.ScoreAfter, adjustment.StarsAfter) = (subject.Score, subject.Stars);
        db.AssessmentAdjustments.Add(adjustment);
        var name = indicators.FirstOrDefault(d => d.Code == row.Code)?.Name ?? row.Code;
        return (adjustment, $"{subject.Name}·{name}：{Value(adjustment.NumeratorBefore, adjustment.DenominatorBefore)} → {Value(adjustment.Numerator, adjustment.Denominator)}（{adjustment.Reason}）");
    }

    private static string Value(double? numerator, double? denominator) => denominator is { } d ? $"{numerator}/{d}" : $"{numerator}";

    /// <summary>The digest's inputs of scored subjects: every computed indicator that applies, with its evidence.</summary>
    public static IEnumerable<DigestInput> InputsOf(IEnumerable<SubjectResult> results) =>
        results.SelectMany(r => r.Card.Indicators.Where(l => r.Computed.ContainsKey(l.Indicator.Code)).Select(l =>
            new DigestInput(r.Code, l.Indicator.Code, l.Value.Numerator, l.Value.Denominator, r.Computed[l.Indicator.Code].Evidence)));

    /// <summary>The digest's inputs as stored: the computed values and evidence, never the adjusted ones.</summary>
    public static IEnumerable<DigestInput> InputsOf(IEnumerable<RunIndicator> rows) =>
        rows.Where(r => r.Computed).Select(r => new DigestInput(r.SubjectCode, r.Code, r.ComputedNumerator, r.ComputedDenominator, r.Evidence));
}

/// <summary>
/// Computes and stores runs: one subdistrict's subjects of a level for a period, every indicator with its evidence, the
/// catalogue version and the input digest; and verifies a stored run against a recomputation with the same catalogue and
/// the same instant.
/// </summary>
public sealed class AssessmentRuns(AssessmentCalculator calculator, TimeProvider time)
{
    /// <summary>
    /// Computes a run (or recomputes it while nobody has reviewed it): the grids of <paramref name="level"/>, or the subdistrict's
    /// grid workers when <paramref name="level"/> is null (subject <c>worker</c>, each stored under their account id and scoped
    /// to their grid, approved by the community of that grid). A broken rule throws <see cref="RunRuleException"/>.
    /// </summary>
    public async Task<AssessmentRun> ComputeAsync(CivicGridDbContext db, string subdistrictCode, AssessmentPeriod period, GridLevel? level, Guid? byUserId,
        string byName, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var text = period.ToString();
        var subjectKind = SubjectOf(level);
        var run = await db.AssessmentRuns.SingleOrDefaultAsync(r => r.SubdistrictCode == subdistrictCode && r.Period == text && r.Subject == subjectKind
            && r.Level == level, ct);
        run?.EnsureMayRecompute();

        var scope = await ScopeAsync(db, subdistrictCode, period, level, now, null, ct);
        var results = await calculator.ComputeAsync(db, scope, ct);
        var computation = new AssessmentRun.Computation(scope.Catalogue.Version, InputDigest.Compute(StoredResults.InputsOf(results)), now, scope.AsOf,
            now >= scope.End, [.. results.Select(ScopeCodeOf).Where(c => c.Length >= GridCodes.CommunityLength).Select(c => c[..GridCodes.CommunityLength])]);
        await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
        if (run is null)
        {
            run = AssessmentRun.Start(Guid.CreateVersion7(), subdistrictCode, period, subjectKind, level, computation, byUserId, byName);
            db.AssessmentRuns.Add(run);
        }
        else
        {
            var id = run.Id;
            await db.RunIndicators.IgnoreQueryFilters().Where(i => i.RunId == id).ExecuteDeleteAsync(ct);
            await db.RunSubjects.IgnoreQueryFilters().Where(s => s.RunId == id).ExecuteDeleteAsync(ct);
            run.Recompute(computation, byUserId, byName);
        }

        foreach (var result in results)
        {
            var subject = new RunSubject
            {
                Id = Guid.CreateVersion7(), RunId = run.Id, Code = result.Code, Name = result.Name, ScopeCode = ScopeCodeOf(result), Score = result.Card.Score,
                Stars = result.Stars, Points = result.Card.Points, ApplicableWeight = result.Card.ApplicableWeight, TotalWeight = result.Card.TotalWeight,
                Missing = [.. result.Missing],
            };
            db.RunSubjects.Add(subject);
            foreach (var line in result.Card.Indicators)
            {
                var computed = result.Computed.GetValueOrDefault(line.Indicator.Code);
                db.RunIndicators.Add(new RunIndicator
                {
                    Id = Guid.CreateVersion7(), RunId = run.Id, SubjectId = subject.Id, SubjectCode = result.Code, ScopeCode = subject.ScopeCode,
                    Code = line.Indicator.Code, Computed = computed is not null, ComputedNumerator = line.Value.Numerator,
                    ComputedDenominator = line.Value.Denominator, Numerator = line.Value.Numerator, Denominator = line.Value.Denominator,
                    NotApplicable = line.Value.NotApplicable, Points = line.Points, Weight = line.Weight, Met = line.Met, Evidence = [.. computed?.Evidence ?? []],
                });
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return run;
    }

    /// <summary>Recomputes a stored run with its catalogue version as of its instant, and names every record that changed.</summary>
    public async Task<RunVerification> VerifyAsync(CivicGridDbContext db, AssessmentRun run, CancellationToken ct)
    {
        var period = AssessmentPeriod.Parse(run.Period);
        var catalogue = await AssessmentCatalogues.VersionAsync(db, run.CatalogueVersion, ct) ?? IndicatorCatalogue.Seed;
        var scope = await ScopeAsync(db, run.SubdistrictCode, period, run.Level, run.AsOf, catalogue, ct);
        var now = StoredResults.InputsOf(await calculator.ComputeAsync(db, scope, ct)).ToList();
        var stored = StoredResults.InputsOf(await db.RunIndicators.AsNoTracking().Where(i => i.RunId == run.Id).ToListAsync(ct)).ToList();
        var digest = InputDigest.Compute(now);
        return new RunVerification(digest == run.InputDigest, run.InputDigest, digest, digest == run.InputDigest ? [] : InputDigest.Compare(stored, now));
    }

    /// <summary>The run's subject kind: <c>grid</c> for a grid level, <c>worker</c> for none.</summary>
    public static string SubjectOf(GridLevel? level) => level is null ? "worker" : "grid";

    /// <summary>The grid that scopes a subject's stored rows: the grid itself, or the worker's grid.</summary>
    private static string ScopeCodeOf(SubjectResult result) => result.Subject.Person?.GridCode ?? result.Code;

    /// <summary>
    /// The subdistrict's grids of a level (or its grid workers, by their grid, when <paramref name="level"/> is null), computed
    /// as of <paramref name="asOf"/> (at most the period's end).
    /// </summary>
    private async Task<AssessmentScope> ScopeAsync(CivicGridDbContext db, string subdistrictCode, AssessmentPeriod period, GridLevel? level,
        DateTimeOffset asOf, IndicatorCatalogue? catalogue, CancellationToken ct)
    {
        var scope = await calculator.ScopeAsync(db, period, level is null ? SubjectKind.Worker : SubjectKind.Grid, level, asOf, ct);
        return scope with
        {
            AsOf = asOf < scope.End ? asOf : scope.End,
            Subjects = [.. scope.Subjects.Where(s => GridCodes.IsWithin(s.Person?.GridCode ?? s.Code, subdistrictCode))],
            Catalogue = catalogue ?? scope.Catalogue,
        };
    }
}
