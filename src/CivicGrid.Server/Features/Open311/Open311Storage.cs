using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Open311;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength).IsRequired();
        builder.Property(k => k.Hash).HasMaxLength(64).IsRequired();

        // Every Open311 POST looks its key up by hash.
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.Property(k => k.JurisdictionCode).HasMaxLength(32);
        builder.Property(k => k.CreatedBy).HasMaxLength(100).IsRequired();
        builder.Ignore(k => k.IsActive);
    }
}

public sealed class Open311RequestConfiguration : IEntityTypeConfiguration<Open311Request>
{
    public void Configure(EntityTypeBuilder<Open311Request> builder)
    {
        builder.ToTable("open311_requests");
        builder.HasKey(r => r.CaseNumber);
        builder.Property(r => r.CaseNumber).HasMaxLength(20);
        builder.Property(r => r.MediaUrl).HasMaxLength(Open311Request.MaxMediaUrlLength);
        builder.HasIndex(r => r.ApiKeyId);
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class Open311Tables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Open311 clients' keys (hashes only); not scoped (only the system admin lists them).</summary>
        public DbSet<ApiKey> ApiKeys => db.Set<ApiKey>();
        /// <summary>Which key filed which case through Open311; not scoped (read with the case it names).</summary>
        public DbSet<Open311Request> Open311Requests => db.Set<Open311Request>();
    }
}
