using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Persistence.Configurations;

public sealed class CaseCategoryConfiguration : IEntityTypeConfiguration<CaseCategory>
{
    public void Configure(EntityTypeBuilder<CaseCategory> builder)
    {
        builder.ToTable("case_categories");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(100).IsRequired();
        builder.Property(c => c.MajorCode).HasMaxLength(16).IsRequired();
        builder.Property(c => c.MajorName).HasMaxLength(100).IsRequired();
        builder.Property(c => c.DefaultTier).HasConversion<int>();
    }
}

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Number).HasMaxLength(20).IsRequired();
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.CategoryCode).HasMaxLength(16).IsRequired();
        builder.HasOne<CaseCategory>().WithMany().HasForeignKey(c => c.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Title).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(4000).IsRequired();
        builder.Property(c => c.GridCode).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => new { c.GridCode, c.Status });
        builder.HasIndex(c => c.ReportedAt);
        builder.HasIndex(c => c.ReporterId);
        builder.Property(c => c.Tier).HasConversion<int>();
        builder.Property(c => c.Status).HasConversion<int>();
        builder.Property(c => c.Channel).HasConversion<int>();
        builder.Property(c => c.ReporterPhone).HasMaxLength(32);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(c => c.ReporterId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Location).IsRequired();

        // The workflow's state and its hash-chained timeline live in the domain first (ADR 0008); their tables and
        // columns come with the workflow endpoints' migration. Until then they are not part of the stored model,
        // so the model still matches the migrations.
        builder.Ignore(c => c.Version);
        builder.Ignore(c => c.AssigneeUserId);
        builder.Ignore(c => c.AssigneeDepartmentId);
        builder.Ignore(c => c.AssigneeName);
        builder.Ignore(c => c.DueAt);
        builder.Ignore(c => c.HandledBy);
        builder.Ignore(c => c.HandledAt);
        builder.Ignore(c => c.VerifiedAt);
        builder.Ignore(c => c.EvaluationComment);
        builder.Ignore(c => c.EvaluatedAutomatically);
        builder.Ignore(c => c.ReopenCount);
        builder.Ignore(c => c.ParkedUntil);
        builder.Ignore(c => c.StatusBeforeParking);
        builder.Ignore(c => c.MergedIntoNumber);
        builder.Ignore(c => c.DistrictRecordId);
        builder.Ignore(c => c.SupervisionCount);
        builder.Ignore(c => c.SupervisionDueAt);
        builder.Ignore(c => c.Timeline);
        builder.Ignore(c => c.Mediations);
        builder.Ignore(c => c.MeetingDecisions);
    }
}
