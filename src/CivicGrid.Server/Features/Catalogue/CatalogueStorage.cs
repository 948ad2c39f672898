using CivicGrid.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Catalogue;

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
        builder.Property(c => c.TimeLimitUnit).HasConversion<int>();
        builder.Property(c => c.ResponsibleDepartmentCode).HasMaxLength(64);
        builder.Property(c => c.AcceptanceCondition).HasMaxLength(1000).IsRequired();
        builder.Property(c => c.ClosingCondition).HasMaxLength(1000).IsRequired();
    }
}
