using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Assessment.Appeals;

/// <summary>
/// Appeals (申诉) are kept for good, scoped to their grid's subtree: the grid's own workers and leader, its community's staff,
/// the operations centre and the district see them. Each belongs to the published run it was filed against (shadow column
/// <c>RunId</c>: the domain's appeal knows its period and subject, the server the stored run). A decision is written only
/// if the appeal is still in the status it was read in (<see cref="Appeal.Status"/> is a concurrency token).
/// </summary>
public sealed class AppealConfiguration(EntityModel model) : IEntityTypeConfiguration<Appeal>
{
    public const string RunId = "RunId";

    public void Configure(EntityTypeBuilder<Appeal> builder)
    {
        builder.ToTable("assessment_appeals");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property<Guid>(RunId);
        builder.HasIndex(RunId, nameof(Appeal.SubjectCode), nameof(Appeal.Indicator));
        builder.HasIndex(a => new { a.ScopeCode, a.Status });
        builder.Property(a => a.Period).HasMaxLength(7).IsRequired();
        builder.Property(a => a.SubjectKind).HasMaxLength(16).IsRequired();
        builder.Property(a => a.SubjectCode).HasMaxLength(40).IsRequired();
        builder.Property(a => a.SubjectName).HasMaxLength(200).IsRequired();
        builder.Property(a => a.ScopeCode).HasMaxLength(20).IsRequired();
        builder.Property(a => a.Indicator).HasMaxLength(48).IsRequired();
        builder.Property(a => a.FiledByName).HasMaxLength(100).IsRequired();
        builder.Property(a => a.Reason).HasMaxLength(AppealRules.MaxReasonLength).IsRequired();
        builder.Property(a => a.Evidence).HasMaxLength(AppealRules.MaxReasonLength);
        builder.Property(a => a.DecidedByName).HasMaxLength(100);
        builder.Property(a => a.Decision).HasMaxLength(1000);
        builder.Property(a => a.Status).IsConcurrencyToken();
        builder.HasQueryFilter(model.InSubtree<Appeal>(a => a.ScopeCode));
    }
}

/// <summary>The appeals table on the shared context.</summary>
public static class AppealTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<Appeal> Appeals => db.Set<Appeal>();
    }
}
