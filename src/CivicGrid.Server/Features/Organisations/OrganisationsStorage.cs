using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Organisations;

public sealed class OrganisationConfiguration(EntityModel model) : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("organisations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Code).HasMaxLength(OrganisationRules.MaxCodeLength).IsRequired();
        builder.HasIndex(o => o.Code).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(200).IsRequired();
        builder.Property(o => o.Kind).HasConversion<int>();
        builder.Property(o => o.ScopeCode).HasMaxLength(32).IsRequired();
        builder.HasIndex(o => new { o.ScopeCode, o.Name });
        builder.Property(o => o.ContactPhone).HasMaxLength(32);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Compound>().WithMany().HasForeignKey(o => o.CompoundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(o => o.RetiredBy).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(o => o.IsActive);

        // An organisation is visible to staff below the region it serves (a police station serving the subdistrict is
        // visible to a grid leader in it) and to staff above it.
        builder.HasQueryFilter(model.Scoped<Organisation>((s, o) =>
            s.IsWholeSystem || (!s.OwnRecordsOnly && (o.ScopeCode.StartsWith(s.Code) || s.Code.StartsWith(o.ScopeCode)))));
    }
}

public sealed class LiaisonAttachmentConfiguration(EntityModel model) : IEntityTypeConfiguration<LiaisonAttachment>
{
    public void Configure(EntityTypeBuilder<LiaisonAttachment> builder)
    {
        builder.ToTable("liaison_attachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.GridCode).HasMaxLength(GridCodes.MicroLength).IsRequired();
        builder.HasIndex(a => new { a.UserId, a.GridCode });
        builder.HasIndex(a => new { a.DepartmentId, a.EndsOn });
        builder.HasIndex(a => a.GridCode);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(a => a.DepartmentId).OnDelete(DeleteBehavior.Restrict);

        // Staff see the attachments in their subtree; the department's page asks for the department's liaisons across it.
        builder.HasQueryFilter(model.InSubtree<LiaisonAttachment>(a => a.GridCode));
    }
}

/// <summary>This feature's tables on the shared context (the organisations themselves are the context's <c>Organisations</c>).</summary>
public static class OrganisationsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Liaisons sunk into third-level grids, with their dates (history kept); scoped by the grid.</summary>
        public DbSet<LiaisonAttachment> LiaisonAttachments => db.Set<LiaisonAttachment>();
    }
}
