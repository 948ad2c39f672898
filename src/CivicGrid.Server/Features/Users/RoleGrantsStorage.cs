using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Users;

public static class RoleGrantsStorage
{
    extension(CivicGridDbContext db)
    {
        public DbSet<RoleGrantRequest> RoleGrantRequests => db.Set<RoleGrantRequest>();
    }
}

public sealed class RoleGrantRequestConfiguration(EntityModel model) : IEntityTypeConfiguration<RoleGrantRequest>
{
    public void Configure(EntityTypeBuilder<RoleGrantRequest> builder)
    {
        builder.ToTable("role_grant_requests");
        builder.HasKey(r => r.Id);
        builder.PrimitiveCollection(r => r.Roles).IsRequired();
        builder.Property(r => r.ScopeCode).HasMaxLength(32).IsRequired();
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.RequestedByName).HasMaxLength(64).IsRequired();
        builder.Property(r => r.DecidedByName).HasMaxLength(64);
        builder.Property(r => r.Note).HasMaxLength(500);
        builder.HasIndex(r => new { r.Status, r.RequestedAt });
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(model.InSubtree<RoleGrantRequest>(r => r.ScopeCode));
    }
}
