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

/// <summary>Changes to stored catalogues that follow changes of <see cref="StandardCatalogue"/>.</summary>
public static class CatalogueUpgrades
{
    /// <summary>
    /// The standard catalogue now counts its urgent kinds (突发事件, a fallen tree, 治安巡防) in natural hours. A stored
    /// category moves with it only while it still has the standard's old working-hours limit, so a limit an administrator
    /// chose stays as chosen. Valid on SQLite and on PostgreSQL. The codes and limits are written out, not read from the
    /// standard catalogue, so that a later change of the standard does not change what this upgrade did.
    /// </summary>
    public static string UrgentKindsCountNaturalTimeSql()
    {
        (string Code, int Limit)[] standard = [("E0401", 24), ("E0402", 8), ("E0403", 1), ("E0404", 4), ("C0302", 8), ("G0401", 4), ("G0402", 4)];
        var urgent = standard.Select(c => $"(\"Code\" = '{c.Code}' AND \"TimeLimit\" = {c.Limit})");
        return $"UPDATE case_categories SET \"TimeLimitUnit\" = {(int)TimeLimitUnit.NaturalHours} "
            + $"WHERE \"TimeLimitUnit\" = {(int)TimeLimitUnit.WorkingHours} AND ({string.Join(" OR ", urgent)})";
    }
}
