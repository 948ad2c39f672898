using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Broadcast;

public sealed class EmergencyBroadcastConfiguration(EntityModel model) : IEntityTypeConfiguration<EmergencyBroadcast>
{
    public void Configure(EntityTypeBuilder<EmergencyBroadcast> builder)
    {
        builder.ToTable("broadcasts");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.ScopeCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(b => new { b.ScopeCode, b.SentAt });
        builder.Property(b => b.Text).HasMaxLength(2000);
        builder.Property(b => b.SenderName).HasMaxLength(100);
        builder.Property(b => b.GridCodes).HasConversion(
            list => string.Join(',', list),
            text => text.Length == 0 ? new List<string>() : text.Split(',', StringSplitOptions.None).ToList(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()));
        builder.Property(b => b.Area).HasConversion(
            ring => ring == null ? null : JsonSerializer.Serialize(ring, (JsonSerializerOptions?)null),
            json => json == null ? null : JsonSerializer.Deserialize<List<double[]>>(json, (JsonSerializerOptions?)null),
            new ValueComparer<List<double[]>?>((a, b) => JsonSerializer.Serialize(a, (JsonSerializerOptions?)null) == JsonSerializer.Serialize(b, (JsonSerializerOptions?)null),
                l => l == null ? 0 : l.Count, l => l == null ? null : l.Select(p => p.ToArray()).ToList()));
        builder.HasQueryFilter(model.InSubtree<EmergencyBroadcast>(b => b.ScopeCode));
    }
}

public sealed class BroadcastDeliveryConfiguration(EntityModel model) : IEntityTypeConfiguration<BroadcastDelivery>
{
    public void Configure(EntityTypeBuilder<BroadcastDelivery> builder)
    {
        builder.ToTable("broadcast_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.State).HasConversion<int>();
        builder.Property(d => d.TargetCode).HasMaxLength(64);
        builder.Property(d => d.TargetName).HasMaxLength(100);
        builder.Property(d => d.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(d => d.LeaseOwner).HasMaxLength(100);
        builder.Property(d => d.LastError).HasMaxLength(BroadcastDelivery.MaxErrorLength);
        builder.HasIndex(d => d.BroadcastId);
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasIndex(d => d.UserId);
        builder.HasIndex(d => d.DeviceId);
        builder.HasOne<EmergencyBroadcast>().WithMany().HasForeignKey(d => d.BroadcastId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.InSubtree<BroadcastDelivery>(d => d.GridCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class BroadcastTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>Emergency broadcasts; visible at the sender's scope node and above.</summary>
        public DbSet<EmergencyBroadcast> Broadcasts => db.Set<EmergencyBroadcast>();

        /// <summary>Deliveries of broadcasts; scoped by the speaker's grid or the worker's scope.</summary>
        public DbSet<BroadcastDelivery> BroadcastDeliveries => db.Set<BroadcastDelivery>();
    }
}

/// <summary>Records a speaker's acknowledgement of a broadcast command (the command id is the delivery's id).</summary>
public sealed class BroadcastAcks : IDeviceCommandAcks
{
    public async Task<bool> AcknowledgeAsync(CivicGridDbContext db, Guid deviceId, Guid commandId, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var mine = db.BroadcastDeliveries.IgnoreQueryFilters().Where(d => d.Id == commandId && d.DeviceId == deviceId && d.Kind == BroadcastTargetKind.Speaker);

        // A late acknowledgement of a delivery marked failed is recorded too: the speaker did read the text.
        var recorded = await mine.Where(d => d.State != DeliveryState.Acknowledged).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, DeliveryState.Acknowledged)
            .SetProperty(d => d.AcknowledgedAt, at)
            .SetProperty(d => d.NextAttemptAt, at), ct);
        return recorded == 1 || await mine.AnyAsync(ct);
    }
}
