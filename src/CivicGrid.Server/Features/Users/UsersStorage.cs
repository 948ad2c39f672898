using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Users;

public sealed class UserAccountConfiguration(EntityModel model) : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.UserName).HasMaxLength(64).IsRequired();
        builder.Property(u => u.NormalizedUserName).HasMaxLength(64).IsRequired();
        builder.HasIndex(u => u.NormalizedUserName).IsUnique();
        builder.Property(u => u.DisplayName).HasMaxLength(100).IsRequired();
        // A staff member's or resident's phone is sealed at rest (ADR 0019); display names stay plain: every list, timeline
        // and assignment shows and sorts them, and they are what colleagues know each other by, not a contact.
        model.Sealed(builder.Property(u => u.PhoneNumber), "user.phone");
        builder.Property(u => u.PasswordHash).HasMaxLength(256).IsRequired();
        builder.Property(u => u.ScopeCode).HasMaxLength(32).IsRequired();
        builder.HasIndex(u => u.ScopeCode);
        builder.PrimitiveCollection(u => u.Roles).IsRequired();
        builder.HasOne<Organisation>().WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(u => u.IsStaff);
        builder.HasQueryFilter(model.Scoped<UserAccount>((s, u) =>
            s.IsWholeSystem || (s.OwnRecordsOnly ? u.Id == s.UserId : u.ScopeCode.StartsWith(s.Code))));
    }
}
