using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Auth;

public sealed class UserSessionConfiguration(EntityModel model) : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Channel).HasMaxLength(16).IsRequired();
        builder.Property(s => s.ClientAddress).HasMaxLength(64);
        builder.HasIndex(s => s.UserId);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.Personal<UserSession>(s => s.UserId));
    }
}

/// <summary>Failed sign-in counters per (user name, address) and per user name; not scoped (read before anyone is signed in).</summary>
public sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> builder)
    {
        builder.ToTable("sign_in_throttles");
        builder.HasKey(t => new { t.NormalizedUserName, t.ClientAddress });
        builder.Property(t => t.NormalizedUserName).HasMaxLength(64);
        builder.Property(t => t.ClientAddress).HasMaxLength(64);
        builder.Ignore(t => t.IsAccountWide);
        builder.HasIndex(t => t.WindowStartedAt);
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class AuthTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Failed sign-in counters; not scoped.</summary>
        public DbSet<SignInThrottle> SignInThrottles => db.Set<SignInThrottle>();
    }
}
