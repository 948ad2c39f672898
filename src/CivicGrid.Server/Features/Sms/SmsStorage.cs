using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Sms;

public sealed class PhoneVerificationConfiguration : IEntityTypeConfiguration<PhoneVerification>
{
    public void Configure(EntityTypeBuilder<PhoneVerification> builder)
    {
        builder.ToTable("phone_verifications");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.PhoneIndex).HasMaxLength(PhoneVerification.IndexLength).IsRequired();
        builder.Property(v => v.AddressIndex).HasMaxLength(PhoneVerification.IndexLength);
        builder.Property(v => v.CodeHash).HasMaxLength(PhoneVerification.IndexLength);
        builder.Property(v => v.Method).HasConversion<int>();
        builder.Property(v => v.CaseNumber).HasMaxLength(20);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(v => v.AttestedBy).OnDelete(DeleteBehavior.Restrict);

        // A number's latest code and whether it is verified; an address's codes of the day.
        builder.HasIndex(v => new { v.PhoneIndex, v.CreatedAt });
        builder.HasIndex(v => new { v.AddressIndex, v.CreatedAt });
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class SmsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Verification codes and attested numbers; not scoped (only the SMS rules read them).</summary>
        public DbSet<PhoneVerification> PhoneVerifications => db.Set<PhoneVerification>();
    }
}
