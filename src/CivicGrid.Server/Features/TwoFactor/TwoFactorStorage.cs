using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.TwoFactor;

public sealed class SecondFactorConfiguration(EntityModel model) : IEntityTypeConfiguration<SecondFactor>
{
    public void Configure(EntityTypeBuilder<SecondFactor> builder)
    {
        builder.ToTable("second_factors");
        builder.HasKey(f => f.UserId);
        builder.HasOne<UserAccount>().WithOne().HasForeignKey<SecondFactor>(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(f => f.ProtectedSecret).HasMaxLength(1000);

        // Two requests with the same code at once: one of them saves, the other is refused (no replay by racing).
        builder.Property(f => f.LastUsedStep).IsConcurrencyToken();
        builder.HasMany(f => f.RecoveryCodes).WithOne().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(f => f.RecoveryCodes).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(f => f.IsEnrolled);
        builder.Ignore(f => f.IsPending);
        builder.Ignore(f => f.RecoveryCodesLeft);
        builder.HasQueryFilter(model.Personal<SecondFactor>(f => f.UserId));
    }
}

public sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("second_factor_recovery_codes");
        builder.HasKey(c => c.Id);

        // The domain makes the ids: a code added to the second factor's collection is new (inserted), not an update.
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CodeHash).HasMaxLength(64).IsRequired();
        builder.Property(c => c.UsedAt).IsConcurrencyToken();
        builder.HasIndex(c => c.UserId);
    }
}

public sealed class SignInChallengeConfiguration(EntityModel model) : IEntityTypeConfiguration<SignInChallenge>
{
    public void Configure(EntityTypeBuilder<SignInChallenge> builder)
    {
        builder.ToTable("sign_in_challenges");
        OneTimeGrants.Configure(builder);
        builder.Property(c => c.Step).HasConversion<string>().HasMaxLength(16);
        builder.HasQueryFilter(model.Personal<SignInChallenge>(c => c.UserId));
    }
}

/// <summary>What every one-time grant's table has: the token's hash (unique, looked up), its user, and use-once saves.</summary>
public static class OneTimeGrants
{
    public static void Configure<T>(EntityTypeBuilder<T> builder)
        where T : OneTimeGrant
    {
        builder.HasKey(g => g.Id);
        builder.Property(g => g.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(g => g.TokenHash).IsUnique();
        builder.HasIndex(g => g.ExpiresAt);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);

        // Two requests with the same token at once: the second save finds it used and fails.
        builder.Property(g => g.UsedAt).IsConcurrencyToken();
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class TwoFactorTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Users' authenticators and recovery codes; personal (each user their own), the sign-in reads them as the system.</summary>
        public DbSet<SecondFactor> SecondFactors => db.Set<SecondFactor>();

        /// <summary>Second steps of sign-ins waiting for their code; read as the system by the anonymous sign-in.</summary>
        public DbSet<SignInChallenge> SignInChallenges => db.Set<SignInChallenge>();
    }
}
