using CivicGrid.Domain.Briefings;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Briefings;

public sealed class BriefingConfiguration(EntityModel model) : IEntityTypeConfiguration<Briefing>
{
    public void Configure(EntityTypeBuilder<Briefing> builder)
    {
        builder.ToTable("briefings");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Title).HasMaxLength(Briefing.MaxTitleLength).IsRequired();
        builder.Property(b => b.Body).HasMaxLength(Briefing.MaxBodyLength).IsRequired();
        builder.Property(b => b.AttachmentUrl).HasMaxLength(Briefing.MaxAttachmentUrlLength);
        builder.Property(b => b.ScopeCode).HasMaxLength(GridCodes.MicroLength).IsRequired();
        builder.Property(b => b.SenderName).HasMaxLength(100).IsRequired();
        builder.PrimitiveCollection(b => b.AudienceGridCodes).IsRequired();
        builder.PrimitiveCollection(b => b.AudienceKinds).IsRequired();
        builder.PrimitiveCollection(b => b.AudienceOrganisationIds).IsRequired();
        builder.Ignore(b => b.Outstanding);
        builder.HasIndex(b => new { b.ScopeCode, b.SentAt });
        builder.HasIndex(b => b.DueAt);
        builder.HasMany(b => b.Recipients).WithOne().HasForeignKey(r => r.BriefingId).OnDelete(DeleteBehavior.Cascade);

        // Staff see the briefings sent in their subtree (a subdistrict operator those of its communities too). A recipient
        // reads their own through their receipt, whatever the sender's scope (BriefingsApi's inbox).
        builder.HasQueryFilter(model.InSubtree<Briefing>(b => b.ScopeCode));
    }
}

public sealed class BriefingRecipientConfiguration(EntityModel model) : IEntityTypeConfiguration<BriefingRecipient>
{
    public void Configure(EntityTypeBuilder<BriefingRecipient> builder)
    {
        builder.ToTable("briefing_recipients");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.BriefingScopeCode).HasMaxLength(GridCodes.MicroLength).IsRequired();
        builder.Property(r => r.DisplayName).HasMaxLength(100).IsRequired();
        builder.Property(r => r.ScopeCode).HasMaxLength(32).IsRequired();
        builder.PrimitiveCollection(r => r.Roles).IsRequired();
        builder.HasIndex(r => new { r.BriefingId, r.UserId }).IsUnique();
        builder.HasIndex(r => r.UserId);

        // A receipt is seen by its recipient, and by staff of the briefing's scope (the sender's view of who read it).
        builder.HasQueryFilter(model.Scoped<BriefingRecipient>((s, r) =>
            s.IsWholeSystem || r.UserId == s.UserId || (!s.OwnRecordsOnly && r.BriefingScopeCode.StartsWith(s.Code))));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class BriefingsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Briefings, scoped by the sender's scope.</summary>
        public DbSet<Briefing> Briefings => db.Set<Briefing>();

        /// <summary>Recipients with their read receipts: the recipient's own, and those of briefings in the caller's scope.</summary>
        public DbSet<BriefingRecipient> BriefingRecipients => db.Set<BriefingRecipient>();
    }
}
