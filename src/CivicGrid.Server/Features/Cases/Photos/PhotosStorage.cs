using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Cases.Photos;

public sealed class StoredPhotoConfiguration : IEntityTypeConfiguration<StoredPhoto>
{
    public void Configure(EntityTypeBuilder<StoredPhoto> builder)
    {
        builder.ToTable("case_photos");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasOne<Case>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.CaseId);
        builder.Property(p => p.Purpose).HasConversion<int>();
        builder.Property(p => p.OriginalFormat).HasMaxLength(8).IsRequired();
        builder.Property(p => p.Sha256OfOriginal).HasMaxLength(64).IsRequired();
        builder.Property(p => p.EvidenceCamera).HasMaxLength(100);
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class PhotosTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Photos of cases; read only through a case the caller may see.</summary>
        public DbSet<StoredPhoto> CasePhotos => db.Set<StoredPhoto>();
    }
}
