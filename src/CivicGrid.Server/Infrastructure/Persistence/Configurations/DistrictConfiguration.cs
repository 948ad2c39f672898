using CivicGrid.Server.Features.District;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Persistence.Configurations;

public sealed class DistrictDeliveryConfiguration : IEntityTypeConfiguration<DistrictDelivery>
{
    public void Configure(EntityTypeBuilder<DistrictDelivery> builder)
    {
        builder.ToTable("district_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasOne<Features.Cases.DistrictReferral>().WithMany().HasForeignKey(d => d.ReferralId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.ReferralId, d.Attempt });
        builder.Property(d => d.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(d => d.MessageId).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Error).HasMaxLength(DistrictDelivery.MaxErrorLength);
        builder.Ignore(d => d.Succeeded);
    }
}
