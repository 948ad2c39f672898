using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Users;

public sealed class OrganisationConfiguration(EntityModel model) : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("organisations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Code).HasMaxLength(64).IsRequired();
        builder.HasIndex(o => o.Code).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(200).IsRequired();
        builder.Property(o => o.Kind).HasConversion<int>();
        builder.Property(o => o.ScopeCode).HasMaxLength(32).IsRequired();
        builder.Property(o => o.ContactPhone).HasMaxLength(32);

        // An organisation is visible to staff below the region it serves (a police station serving the subdistrict is
        // visible to a grid leader in it) and to staff above it.
        builder.HasQueryFilter(model.Scoped<Organisation>((s, o) =>
            s.IsWholeSystem || (!s.OwnRecordsOnly && (o.ScopeCode.StartsWith(s.Code) || s.Code.StartsWith(o.ScopeCode)))));
    }
}

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
        builder.Property(u => u.PhoneNumber).HasMaxLength(32);
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
