using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.TwoFactor;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.TrustedDevices;

public sealed class TrustedDeviceConfiguration(EntityModel model) : IEntityTypeConfiguration<TrustedDevice>
{
    public void Configure(EntityTypeBuilder<TrustedDevice> builder)
    {
        builder.ToTable("trusted_devices");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ScopeCode).HasMaxLength(32).IsRequired();
        builder.Property(d => d.Label).HasMaxLength(TrustedDevice.MaxLabelLength).IsRequired();
        builder.HasIndex(d => d.UserId);
        builder.HasIndex(d => d.ScopeCode);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);

        // The volunteer sees their own phones; staff those of the volunteers in their subtree (to revoke a lost one).
        builder.HasQueryFilter(model.Scoped<TrustedDevice>((s, d) =>
            s.IsWholeSystem || d.UserId == s.UserId || (!s.OwnRecordsOnly && d.ScopeCode.StartsWith(s.Code))));
    }
}

public sealed class SignInCodeConfiguration(EntityModel model) : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> builder)
    {
        builder.ToTable("sign_in_codes");
        OneTimeGrants.Configure(builder);
        builder.HasQueryFilter(model.Personal<SignInCode>(c => c.UserId));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class TrustedDevicesTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Volunteers' phones signed in by a sign-in code; scoped by the volunteer's subtree (and their own).</summary>
        public DbSet<TrustedDevice> TrustedDevices => db.Set<TrustedDevice>();

        /// <summary>One-time sign-in codes (hashes only); redeemed as the system by the anonymous phone.</summary>
        public DbSet<SignInCode> SignInCodes => db.Set<SignInCode>();
    }
}
