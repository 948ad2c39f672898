using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Households;

public sealed class HouseholdConfiguration(EntityModel model) : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> builder)
    {
        builder.ToTable("households");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.BuildingCode).HasMaxLength(GridCodes.CommunityLength + 5);
        builder.Property(h => h.CompoundCode).HasMaxLength(GridCodes.CommunityLength + 4);
        builder.Property(h => h.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(h => h.Room).HasMaxLength(8);
        builder.Property(h => h.Occupancy).HasConversion<string>().HasMaxLength(16);
        builder.Property(h => h.Notes).HasMaxLength(Household.MaxNotesLength);
        builder.HasIndex(h => new { h.BuildingCode, h.Unit, h.Room }).IsUnique();
        builder.HasIndex(h => h.GridCode);
        builder.HasIndex(h => h.CompoundCode);
        builder.HasMany(h => h.Residents).WithOne().HasForeignKey(r => r.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.InSubtree<Household>(h => h.GridCode));
    }
}

public sealed class ResidentConfiguration(EntityModel model) : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> builder)
    {
        builder.ToTable("residents");
        builder.HasKey(r => r.Id);
        // Sealed by the register itself (ResidentSealing); marked so the key rotation re-seals them with every other column.
        model.SealedByEntity(builder.Property(r => r.SealedName), FieldVault.NameField);
        model.SealedByEntity(builder.Property(r => r.SealedIdNumber), FieldVault.IdNumberField);
        model.SealedByEntity(builder.Property(r => r.SealedPhone), FieldVault.PhoneField);
        builder.Property(r => r.NameIndex).HasMaxLength(FieldVault.IndexLength);
        builder.Property(r => r.IdNumberIndex).HasMaxLength(FieldVault.IndexLength);
        builder.Property(r => r.PhoneIndex).HasMaxLength(FieldVault.IndexLength);
        builder.HasIndex(r => r.NameIndex);
        builder.HasIndex(r => r.PhoneIndex);
        builder.HasIndex(r => r.IdNumberIndex);
        builder.OwnsMany(r => r.Care, care =>
        {
            care.ToTable("resident_care");
            care.WithOwner().HasForeignKey("ResidentId");
            care.Property<int>("Id");
            care.HasKey("Id");
            care.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
            care.Property(c => c.Basis).HasMaxLength(ResidentCare.MaxBasisLength);
        });
        builder.Navigation(r => r.Care).AutoInclude();
        builder.Property(r => r.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasQueryFilter(model.InSubtree<Resident>(r => r.GridCode));
    }
}

public sealed class DoorVisitConfiguration(EntityModel model) : IEntityTypeConfiguration<DoorVisit>
{
    public void Configure(EntityTypeBuilder<DoorVisit> builder)
    {
        builder.ToTable("door_visits");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.BuildingCode).HasMaxLength(GridCodes.CommunityLength + 5);
        builder.Property(v => v.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(v => v.Room).HasMaxLength(8);
        builder.Property(v => v.VisitorName).HasMaxLength(100);
        builder.Property(v => v.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Notes).HasMaxLength(DoorVisit.MaxNotesLength);
        builder.HasIndex(v => new { v.VisitorId, v.WeekStart });
        builder.HasIndex(v => new { v.GridCode, v.VisitedAt });
        builder.HasIndex(v => v.HouseholdId);
        builder.HasOne<Household>().WithMany().HasForeignKey(v => v.HouseholdId).OnDelete(DeleteBehavior.Restrict);
        builder.OwnsMany(v => v.Findings, finding =>
        {
            finding.ToTable("door_visit_findings");
            finding.WithOwner().HasForeignKey("VisitId");
            finding.Property<int>("Id");
            finding.HasKey("Id");
            finding.Property(f => f.Kind).HasConversion<string>().HasMaxLength(16);
            finding.Property(f => f.NeedKind).HasConversion<string>().HasMaxLength(32);
            finding.Property(f => f.Urgency).HasConversion<string>().HasMaxLength(16);
            finding.Property(f => f.CategoryCode).HasMaxLength(5);
            finding.Property(f => f.Text).HasMaxLength(VisitFinding.MaxTextLength);
            finding.Property(f => f.CaseNumber).HasMaxLength(20);
        });
        builder.Navigation(v => v.Findings).AutoInclude();
        builder.HasQueryFilter(model.InSubtree<DoorVisit>(v => v.GridCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class HouseholdsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The household register; scoped by the building's grid.</summary>
        public DbSet<Household> Households => db.Set<Household>();
        /// <summary>Residents; scoped by their household's grid.</summary>
        public DbSet<Resident> Residents => db.Set<Resident>();
        /// <summary>Door-knocking visits; scoped by the building's grid.</summary>
        public DbSet<DoorVisit> DoorVisits => db.Set<DoorVisit>();
    }
}
