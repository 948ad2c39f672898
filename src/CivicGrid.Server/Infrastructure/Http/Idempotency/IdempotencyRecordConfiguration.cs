using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Caller).HasMaxLength(IdempotencyRecord.MaxCallerLength).IsRequired();
        builder.Property(r => r.KeyHash).HasMaxLength(64).IsRequired();

        // The arbiter of concurrent first requests, across server instances: only one insert wins.
        builder.HasIndex(r => new { r.Caller, r.KeyHash }).IsUnique();
        builder.Property(r => r.Fingerprint).HasMaxLength(64).IsRequired();
        builder.Property(r => r.State).HasConversion<int>();
        builder.Property(r => r.ContentType).HasMaxLength(256);
        builder.Property(r => r.Location).HasMaxLength(2048);

        // The cleanup job deletes by expiry.
        builder.HasIndex(r => r.ExpiresAt);
    }
}
