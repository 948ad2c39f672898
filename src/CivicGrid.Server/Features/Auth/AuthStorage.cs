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
