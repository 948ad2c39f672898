using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// A stored version of the indicator catalogue (docs/adr/0021-assessment-runs.md): the definitions as JSON, the first period
/// it applies to, what changed from the version before and who made it. Version 1 is the seed; it is written on first change.
/// </summary>
public sealed class AssessmentCatalogueVersion
{
    public int Version { get; set; }

    /// <summary>The first period it applies to, as text (2026-07).</summary>
    public string EffectiveFrom { get; set; } = string.Empty;

    /// <summary>The first day of <see cref="EffectiveFrom"/>: the version in force for a period is the latest starting on or before its first day.</summary>
    public DateOnly EffectiveFromDay { get; set; }

    /// <summary>The indicators, star thresholds and council rules (<see cref="StoredCatalogue"/>) as JSON.</summary>
    public string Definition { get; set; } = string.Empty;

    /// <summary>Each change from the version before, in Chinese (权重 5 → 6).</summary>
    public List<string> Changes { get; set; } = [];

    public string Note { get; set; } = string.Empty;

    public Guid? CreatedBy { get; set; }

    public string CreatedByName { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A stored subject of a run: its score and stars as they stand (after any adjustment).</summary>
public sealed class RunSubject
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>The grid's code (for a worker, their account id).</summary>
    public string Code { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>The grid code that scopes the row (the grid itself; a worker's grid).</summary>
    public string ScopeCode { get; set; } = string.Empty;

    public double Score { get; set; }

    public int? Stars { get; set; }

    public double Points { get; set; }

    public double ApplicableWeight { get; set; }

    public double TotalWeight { get; set; }

    /// <summary>Applicable indicators no source computed (and nobody entered in a review).</summary>
    public List<string> Missing { get; set; } = [];
}

/// <summary>
/// One indicator of one stored subject: the computed value and its evidence (the digest's input, never changed), and the
/// value in force with its points (changed by an adjustment).
/// </summary>
public sealed class RunIndicator
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    public Guid SubjectId { get; set; }

    public string SubjectCode { get; set; } = string.Empty;

    public string ScopeCode { get; set; } = string.Empty;

    public string Code { get; set; } = string.Empty;

    /// <summary>False when no source computes it (its line says so; it is not part of the digest).</summary>
    public bool Computed { get; set; }

    public double ComputedNumerator { get; set; }

    public double? ComputedDenominator { get; set; }

    public double Numerator { get; set; }

    public double? Denominator { get; set; }

    /// <summary>Why it does not apply, other than a zero denominator (see <see cref="IndicatorValue.NotApplicable"/>).</summary>
    public string? NotApplicable { get; set; }

    public double Points { get; set; }

    public double Weight { get; set; }

    public bool Met { get; set; }

    public bool Adjusted { get; set; }

    public List<IndicatorEvidence> Evidence { get; set; } = [];

    public IndicatorValue Value => new(Code, Numerator, Denominator, NotApplicable);

    public IndicatorValue ComputedValue => new(Code, ComputedNumerator, ComputedDenominator, Computed ? NotApplicable : AssessmentCalculator.NotYetComputed);
}

/// <summary>A deliberation meeting (评议会) of a run: the community's or the subdistrict's review, who took part, what was decided.</summary>
public sealed class AssessmentReview
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    public ReviewStage Stage { get; set; }

    /// <summary>The community's code (community stage) or the subdistrict's.</summary>
    public string ScopeCode { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public DateTimeOffset HeldAt { get; set; }

    public string Place { get; set; } = string.Empty;

    public List<string> Participants { get; set; } = [];

    public string Summary { get; set; } = string.Empty;

    public Guid RecordedBy { get; set; }

    public string RecordedByName { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>One correction of one stored indicator, with its reason and the score and stars before and after.</summary>
public sealed class AssessmentAdjustment
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>The review it was decided in (an appeal's correction has none).</summary>
    public Guid? ReviewId { get; set; }

    /// <summary>The accepted appeal it corrects (申诉更正); null for a correction made in a review.</summary>
    public Guid? AppealId { get; set; }

    public string SubjectCode { get; set; } = string.Empty;

    public string SubjectName { get; set; } = string.Empty;

    public string ScopeCode { get; set; } = string.Empty;

    public string Indicator { get; set; } = string.Empty;

    public double? NumeratorBefore { get; set; }

    public double? DenominatorBefore { get; set; }

    public double Numerator { get; set; }

    public double? Denominator { get; set; }

    public string Reason { get; set; } = string.Empty;

    public double ScoreBefore { get; set; }

    public double ScoreAfter { get; set; }

    public int? StarsBefore { get; set; }

    public int? StarsAfter { get; set; }

    public Guid ByUserId { get; set; }

    public string ByName { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }
}

/// <summary>The catalogue as stored in <see cref="AssessmentCatalogueVersion.Definition"/>.</summary>
public sealed record StoredCatalogue(IReadOnlyList<IndicatorDefinition> Indicators, StarThresholds Stars, CouncilRules Council)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    public static string Write(IndicatorCatalogue catalogue) => JsonSerializer.Serialize(new StoredCatalogue(catalogue.Indicators, catalogue.Stars, catalogue.Council), Json);

    public static IndicatorCatalogue Read(int version, AssessmentPeriod from, string json)
    {
        var stored = JsonSerializer.Deserialize<StoredCatalogue>(json, Json) ?? throw new InvalidOperationException($"Catalogue version {version} is empty.");
        return new IndicatorCatalogue(version, from, stored.Indicators, stored.Stars, stored.Council);
    }
}

internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>A list stored as one JSON text column, compared by content.</summary>
    public static PropertyBuilder<List<T>> AsJson<T>(this PropertyBuilder<List<T>> property) => property.HasConversion(
        list => JsonSerializer.Serialize(list, Options),
        json => JsonSerializer.Deserialize<List<T>>(json, Options) ?? new List<T>(),
        new ValueComparer<List<T>>((a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            l => JsonSerializer.Serialize(l, Options).GetHashCode(StringComparison.Ordinal), l => l.ToList()));

    /// <summary>
    /// Rows of a subdistrict (or a community) are seen from above and from inside: the district and the operations centre,
    /// and the community staff and grid workers below, each of whom sees their own part of it through the subject rows.
    /// </summary>
    public static Expression<Func<T, bool>> AboveOrWithin<T>(EntityModel model, Expression<Func<T, string>> code)
    {
        var row = code.Parameters[0];
        Expression<Func<QueryScope, string, bool>> rule = (s, c) => s.IsWholeSystem || (!s.OwnRecordsOnly && (c.StartsWith(s.Code) || s.Code.StartsWith(c)));
        var body = new Swap(rule.Parameters[1], code.Body).Visit(rule.Body);
        return model.Scoped(Expression.Lambda<Func<QueryScope, T, bool>>(body, rule.Parameters[0], row));
    }

    private sealed class Swap(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

public sealed class AssessmentCatalogueVersionConfiguration : IEntityTypeConfiguration<AssessmentCatalogueVersion>
{
    public void Configure(EntityTypeBuilder<AssessmentCatalogueVersion> builder)
    {
        builder.ToTable("assessment_catalogue_versions");
        builder.HasKey(v => v.Version);
        builder.Property(v => v.Version).ValueGeneratedNever();
        builder.Property(v => v.EffectiveFrom).HasMaxLength(7).IsRequired();
        builder.HasIndex(v => v.EffectiveFromDay).IsUnique();
        builder.Property(v => v.Definition).IsRequired();
        builder.Property(v => v.Changes).AsJson();
        builder.Property(v => v.Note).HasMaxLength(1000).IsRequired();
        builder.Property(v => v.CreatedByName).HasMaxLength(100).IsRequired();
    }
}

public sealed class AssessmentRunConfiguration(EntityModel model) : IEntityTypeConfiguration<AssessmentRun>
{
    public void Configure(EntityTypeBuilder<AssessmentRun> builder)
    {
        builder.ToTable("assessment_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(r => r.Period).HasMaxLength(7).IsRequired();
        builder.Property(r => r.Subject).HasMaxLength(16).IsRequired();
        builder.HasIndex(r => new { r.SubdistrictCode, r.Period, r.Subject, r.Level }).IsUnique();
        // A workers' run has no level, and NULLs never collide in a unique index: one workers' run per subdistrict and period
        // is kept by an index of its own, so two first computations at once cannot both be stored.
        builder.HasIndex(r => new { r.SubdistrictCode, r.Period, r.Subject }, "IX_assessment_runs_one_without_level").IsUnique()
            .HasFilter("\"Level\" IS NULL");
        builder.HasIndex(r => new { r.Period, r.Status });
        builder.Property(r => r.InputDigest).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.Communities).AsJson();
        builder.Property(r => r.CommunityApprovals).AsJson();
        builder.Property(r => r.Reviews).AsJson();
        builder.Property(r => r.History).AsJson();
        builder.HasQueryFilter(JsonColumn.AboveOrWithin<AssessmentRun>(model, r => r.SubdistrictCode));
    }
}

public sealed class RunSubjectConfiguration(EntityModel model) : IEntityTypeConfiguration<RunSubject>
{
    public void Configure(EntityTypeBuilder<RunSubject> builder)
    {
        builder.ToTable("assessment_run_subjects");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasIndex(s => new { s.RunId, s.Code }).IsUnique();
        builder.HasIndex(s => s.ScopeCode);
        builder.Property(s => s.Code).HasMaxLength(40).IsRequired();
        builder.Property(s => s.Name).HasMaxLength(200).IsRequired();
        builder.Property(s => s.ScopeCode).HasMaxLength(20).IsRequired();
        builder.Property(s => s.Missing).AsJson();
        builder.HasQueryFilter(model.InSubtree<RunSubject>(s => s.ScopeCode));
    }
}

public sealed class RunIndicatorConfiguration(EntityModel model) : IEntityTypeConfiguration<RunIndicator>
{
    public void Configure(EntityTypeBuilder<RunIndicator> builder)
    {
        builder.ToTable("assessment_run_indicators");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.HasIndex(i => new { i.RunId, i.SubjectCode, i.Code }).IsUnique();
        builder.HasIndex(i => i.SubjectId);
        builder.Property(i => i.SubjectCode).HasMaxLength(40).IsRequired();
        builder.Property(i => i.ScopeCode).HasMaxLength(20).IsRequired();
        builder.Property(i => i.Code).HasMaxLength(48).IsRequired();
        builder.Property(i => i.NotApplicable).HasMaxLength(500);
        builder.Property(i => i.Evidence).AsJson();
        builder.Ignore(i => i.Value);
        builder.Ignore(i => i.ComputedValue);
        builder.HasQueryFilter(model.InSubtree<RunIndicator>(i => i.ScopeCode));
    }
}

public sealed class AssessmentReviewConfiguration(EntityModel model) : IEntityTypeConfiguration<AssessmentReview>
{
    public void Configure(EntityTypeBuilder<AssessmentReview> builder)
    {
        builder.ToTable("assessment_reviews");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasIndex(r => r.RunId);
        builder.Property(r => r.ScopeCode).HasMaxLength(12).IsRequired();
        builder.Property(r => r.Title).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Place).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Summary).HasMaxLength(4000).IsRequired();
        builder.Property(r => r.RecordedByName).HasMaxLength(100).IsRequired();
        builder.Property(r => r.Participants).AsJson();
        builder.HasQueryFilter(JsonColumn.AboveOrWithin<AssessmentReview>(model, r => r.ScopeCode));
    }
}

public sealed class AssessmentAdjustmentConfiguration(EntityModel model) : IEntityTypeConfiguration<AssessmentAdjustment>
{
    public void Configure(EntityTypeBuilder<AssessmentAdjustment> builder)
    {
        builder.ToTable("assessment_adjustments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.HasIndex(a => new { a.RunId, a.SubjectCode });
        builder.HasIndex(a => a.AppealId);
        builder.Property(a => a.SubjectCode).HasMaxLength(40).IsRequired();
        builder.Property(a => a.SubjectName).HasMaxLength(200).IsRequired();
        builder.Property(a => a.ScopeCode).HasMaxLength(20).IsRequired();
        builder.Property(a => a.Indicator).HasMaxLength(48).IsRequired();
        builder.Property(a => a.Reason).HasMaxLength(1000).IsRequired();
        builder.Property(a => a.ByName).HasMaxLength(100).IsRequired();
        builder.HasQueryFilter(model.InSubtree<AssessmentAdjustment>(a => a.ScopeCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class AssessmentTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<AssessmentCatalogueVersion> AssessmentCatalogueVersions => db.Set<AssessmentCatalogueVersion>();

        public DbSet<AssessmentRun> AssessmentRuns => db.Set<AssessmentRun>();

        public DbSet<RunSubject> RunSubjects => db.Set<RunSubject>();

        public DbSet<RunIndicator> RunIndicators => db.Set<RunIndicator>();

        public DbSet<AssessmentReview> AssessmentReviews => db.Set<AssessmentReview>();

        public DbSet<AssessmentAdjustment> AssessmentAdjustments => db.Set<AssessmentAdjustment>();
    }
}
