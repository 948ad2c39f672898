using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Notifications;

public sealed class NotificationConfiguration(EntityModel model) : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(n => n.SourceKey).HasMaxLength(Notification.MaxSourceKeyLength).IsRequired();

        // One cause notifies a user once, however often it is derived or a job retries it. The cause comes first: a case's
        // keys (case:{v7 id}:{sequence}) grow with time, so intake's notifications add to the end of this index rather than
        // to a page per recipient; every page an intake batch touches is one more page its commit writes and syncs. The
        // inbox and the user's foreign key use (UserId, CreatedAt).
        builder.HasIndex(n => new { n.SourceKey, n.UserId }).IsUnique();
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.Property(n => n.Kind).HasMaxLength(40).IsRequired();
        builder.Property(n => n.CaseNumber).HasMaxLength(20);
        builder.Property(n => n.Title).HasMaxLength(Notification.MaxTitleLength).IsRequired();
        builder.Property(n => n.Body).HasMaxLength(Notification.MaxBodyLength).IsRequired();

        // Inboxes and what hangs on them are personal, whatever the caller's subtree.
        builder.HasQueryFilter(model.Personal<Notification>(n => n.UserId));
    }
}

public sealed class OutboxMessageConfiguration(EntityModel model) : IEntityTypeConfiguration<OutboxMessage>
{
    /// <summary>The shadow column with the blind index of <see cref="OutboxMessage.Recipient"/> (as a phone).</summary>
    public const string RecipientIndexProperty = "RecipientIndex";

    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.MessageId).HasMaxLength(64).IsRequired();
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.Channel).HasConversion<int>();
        builder.Property(m => m.State).HasConversion<int>();
        // A phone number (SMS) or a WeChat openid: sealed at rest (ADR 0019).
        model.Sealed(builder.Property(m => m.Recipient), "outbox.recipient").IsRequired();
        // The number's blind index: an SMS rule counts and releases a number's messages without opening the table.
        model.BlindIndex(builder, nameof(OutboxMessage.Recipient), FieldVault.PhoneField, RecipientIndexProperty);
        builder.HasIndex(RecipientIndexProperty, nameof(OutboxMessage.State));
        builder.Property(m => m.ProviderMessageId).HasMaxLength(OutboxMessage.MaxProviderIdLength);
        builder.HasIndex(m => m.ProviderMessageId);
        builder.Property(m => m.Delivery).HasConversion<int?>();
        builder.Property(m => m.DeliveryCode).HasMaxLength(OutboxMessage.MaxProviderIdLength);
        builder.Property(m => m.TemplateCode).HasMaxLength(64).IsRequired();
        builder.Property(m => m.ParametersJson).HasMaxLength(4000).IsRequired();
        builder.Property(m => m.CaseNumber).HasMaxLength(20);
        builder.Property(m => m.LeaseOwner).HasMaxLength(100);
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);

        // The dispatcher's scan: pending messages by due time.
        builder.HasIndex(m => new { m.State, m.NextAttemptAt });
    }
}

public sealed class CaseFollowerConfiguration(EntityModel model) : IEntityTypeConfiguration<CaseFollower>
{
    public void Configure(EntityTypeBuilder<CaseFollower> builder)
    {
        builder.ToTable("case_followers");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.CaseNumber).HasMaxLength(20).IsRequired();
        builder.Property(f => f.SourceCaseNumber).HasMaxLength(20).IsRequired();
        builder.HasIndex(f => new { f.CaseNumber, f.SourceCaseNumber }).IsUnique();
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        // The anonymous reporter's phone that progress messages go to: sealed at rest like the case's (ADR 0019).
        model.Sealed(builder.Property(f => f.Phone), "follower.phone");
        builder.HasQueryFilter(model.Personal<CaseFollower>(f => f.UserId));
    }
}

public sealed class UserChannelAddressConfiguration(EntityModel model) : IEntityTypeConfiguration<UserChannelAddress>
{
    public void Configure(EntityTypeBuilder<UserChannelAddress> builder)
    {
        builder.ToTable("user_channel_addresses");
        builder.HasKey(a => new { a.UserId, a.Channel });
        builder.Property(a => a.Channel).HasConversion<int>();
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        model.Sealed(builder.Property(a => a.Address), "channel.address").IsRequired();
        builder.HasQueryFilter(model.Personal<UserChannelAddress>(a => a.UserId));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class NotificationsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>In-app inboxes; each user sees only their own.</summary>
        public DbSet<Notification> Notifications => db.Set<Notification>();
        /// <summary>SMS and WeChat messages waiting for the dispatcher; not scoped (only the system reads them).</summary>
        public DbSet<OutboxMessage> OutboxMessages => db.Set<OutboxMessage>();
        public DbSet<CaseFollower> CaseFollowers => db.Set<CaseFollower>();
        public DbSet<UserChannelAddress> UserChannelAddresses => db.Set<UserChannelAddress>();
    }
}
