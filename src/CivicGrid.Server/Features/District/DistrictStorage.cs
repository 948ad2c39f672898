using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.District;

public sealed class DistrictReferralConfiguration(EntityModel model) : IEntityTypeConfiguration<DistrictReferral>
{
    public void Configure(EntityTypeBuilder<DistrictReferral> builder)
    {
        builder.ToTable("district_referrals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.CaseId).IsUnique();
        builder.HasIndex(r => new { r.SubdistrictCode, r.Status });
        builder.Property(r => r.CaseNumber).HasMaxLength(20).IsRequired();
        builder.Property(r => r.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(r => r.Summary).HasMaxLength(4000).IsRequired();
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.Answer).HasMaxLength(4000);
        builder.HasQueryFilter(model.InSubtree<DistrictReferral>(r => r.SubdistrictCode));
    }
}

public sealed class DistrictDeliveryConfiguration(EntityModel model) : IEntityTypeConfiguration<DistrictDelivery>
{
    public void Configure(EntityTypeBuilder<DistrictDelivery> builder)
    {
        builder.ToTable("district_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasOne<DistrictReferral>().WithMany().HasForeignKey(d => d.ReferralId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.ReferralId, d.Attempt });
        builder.Property(d => d.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(d => d.MessageId).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Error).HasMaxLength(DistrictDelivery.MaxErrorLength);
        builder.Ignore(d => d.Succeeded);
        builder.HasQueryFilter(model.InSubtree<DistrictDelivery>(d => d.SubdistrictCode));
    }
}

/// <summary>
/// A signed answer from the district, by the message id it carries: stored in the same transaction as the answer's effect,
/// so a replay of the message (a retry, or a captured request sent again within the signature's window) is acknowledged
/// and never applied twice.
/// </summary>
public sealed class DistrictInboundMessage
{
    public const int MaxMessageIdLength = 100;

    public required string MessageId { get; init; }

    public required Guid ReferralId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>Not scoped: only the signed answer endpoint reads it, on behalf of the district.</summary>
public sealed class DistrictInboundMessageConfiguration : IEntityTypeConfiguration<DistrictInboundMessage>
{
    public void Configure(EntityTypeBuilder<DistrictInboundMessage> builder)
    {
        builder.ToTable("district_inbound_messages");
        builder.HasKey(m => m.MessageId);
        builder.Property(m => m.MessageId).HasMaxLength(DistrictInboundMessage.MaxMessageIdLength);
        builder.HasOne<DistrictReferral>().WithMany().HasForeignKey(m => m.ReferralId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.ReferralId);
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class DistrictTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<DistrictReferral> DistrictReferrals => db.Set<DistrictReferral>();
        public DbSet<DistrictDelivery> DistrictDeliveries => db.Set<DistrictDelivery>();
        public DbSet<DistrictInboundMessage> DistrictInboundMessages => db.Set<DistrictInboundMessage>();
    }
}
