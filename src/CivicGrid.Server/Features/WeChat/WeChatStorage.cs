using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.WeChat;

public sealed class WeChatCredentialConfiguration(EntityModel model) : IEntityTypeConfiguration<WeChatCredential>
{
    public void Configure(EntityTypeBuilder<WeChatCredential> builder)
    {
        builder.ToTable("wechat_credentials");
        builder.HasKey(c => c.Kind);
        builder.Property(c => c.Kind).HasMaxLength(32);
        // A bearer secret for the official account's API: sealed at rest like personal data (ADR 0019).
        model.Sealed(builder.Property(c => c.Value), "wechat.credential", clearLength: 600);
        builder.Property(c => c.LeaseOwner).HasMaxLength(100);
    }
}

public sealed class WeChatSignInStateConfiguration : IEntityTypeConfiguration<WeChatSignInState>
{
    public void Configure(EntityTypeBuilder<WeChatSignInState> builder)
    {
        builder.ToTable("wechat_sign_in_states");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.StateHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(s => s.StateHash).IsUnique();
        builder.Property(s => s.ReturnPath).HasMaxLength(WeChatSignIn.MaxReturnPathLength).IsRequired();
        builder.Property(s => s.Scope).HasMaxLength(20).IsRequired();
        builder.HasIndex(s => s.ExpiresAt);
    }
}

public sealed class WeChatIdentityConfiguration(EntityModel model) : IEntityTypeConfiguration<WeChatIdentity>
{
    public const string OpenIdIndexProperty = "OpenIdIndex";
    public const string UnionIdIndexProperty = "UnionIdIndex";

    /// <summary>The blind index kinds of the two ids (one openid has one index wherever it is stored).</summary>
    public const string OpenIdKind = "wechatOpenId";
    public const string UnionIdKind = "wechatUnionId";

    public void Configure(EntityTypeBuilder<WeChatIdentity> builder)
    {
        builder.ToTable("wechat_identities");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.AppId).HasMaxLength(32).IsRequired();
        model.Sealed(builder.Property(i => i.OpenId), "wechat.openid", clearLength: 64).IsRequired();
        model.Sealed(builder.Property(i => i.UnionId), "wechat.unionid", clearLength: 64);
        model.BlindIndex(builder, nameof(WeChatIdentity.OpenId), OpenIdKind, OpenIdIndexProperty);
        model.BlindIndex(builder, nameof(WeChatIdentity.UnionId), UnionIdKind, UnionIdIndexProperty);
        builder.HasIndex(nameof(WeChatIdentity.AppId), OpenIdIndexProperty).IsUnique();
        builder.HasIndex(UnionIdIndexProperty);
        builder.HasIndex(i => i.UserId);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.Personal<WeChatIdentity>(i => i.UserId));
    }
}

public sealed class WeChatTemplateDeliveryConfiguration : IEntityTypeConfiguration<WeChatTemplateDelivery>
{
    public void Configure(EntityTypeBuilder<WeChatTemplateDelivery> builder)
    {
        builder.ToTable("wechat_template_deliveries");
        builder.HasKey(d => d.MessageId);
        builder.Property(d => d.MessageId).HasMaxLength(64);
        builder.Property(d => d.Outcome).HasMaxLength(20).IsRequired();
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class WeChatTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The cached access token and ticket; not scoped (only the server reads them).</summary>
        public DbSet<WeChatCredential> WeChatCredentials => db.Set<WeChatCredential>();

        /// <summary>OAuth states in flight; not scoped (read before anyone is signed in).</summary>
        public DbSet<WeChatSignInState> WeChatSignInStates => db.Set<WeChatSignInState>();

        /// <summary>Residents' WeChat ids; each user sees only their own.</summary>
        public DbSet<WeChatIdentity> WeChatIdentities => db.Set<WeChatIdentity>();

        /// <summary>Template messages WeChat answered; not scoped.</summary>
        public DbSet<WeChatTemplateDelivery> WeChatTemplateDeliveries => db.Set<WeChatTemplateDelivery>();
    }
}
