using CivicGrid.Server.Features.Open311;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Persistence.Configurations;

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
