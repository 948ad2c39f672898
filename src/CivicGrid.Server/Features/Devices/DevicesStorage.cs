using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Devices;

public sealed class DeviceConfiguration(EntityModel model) : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("devices");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Code).HasMaxLength(Device.MaxCodeLength);
        builder.HasIndex(d => d.Code).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.Property(d => d.Model).HasMaxLength(100);
        builder.Property(d => d.Owner).HasMaxLength(100);
        builder.Property(d => d.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(d => d.GridCode);
        builder.Property(d => d.ProtectedSecret).HasMaxLength(1000);
        builder.Property(d => d.RetiredReason).HasMaxLength(Device.MaxRetiredReasonLength);
        builder.Ignore(d => d.SilentSince);
        builder.HasQueryFilter(model.InSubtree<Device>(d => d.GridCode));
    }
}

public sealed class DeviceAlarmTypeConfiguration : IEntityTypeConfiguration<DeviceAlarmType>
{
    public void Configure(EntityTypeBuilder<DeviceAlarmType> builder)
    {
        builder.ToTable("device_alarm_types");
        builder.HasKey(t => t.Code);
        builder.Property(t => t.Code).HasMaxLength(DeviceAlarmType.MaxCodeLength);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.CategoryCode).HasMaxLength(5);
    }
}

public sealed class DeviceCaseConfiguration : IEntityTypeConfiguration<DeviceCase>
{
    public void Configure(EntityTypeBuilder<DeviceCase> builder)
    {
        builder.ToTable("device_cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.AlarmType).HasMaxLength(DeviceAlarmType.MaxCodeLength);
        builder.Property(c => c.CaseNumber).HasMaxLength(20);
        builder.HasIndex(c => new { c.DeviceId, c.AlarmType, c.OpenedAt });
        builder.HasIndex(c => c.CaseId);

        // One open case per device and alarm type, whichever instance opens it (docs/adr/0012-devices.md). The filter is
        // the same SQL on SQLite (a 0/1 integer) and PostgreSQL (a boolean).
        builder.HasIndex(c => new { c.DeviceId, c.AlarmType }).IsUnique().HasFilter("\"IsOpen\"").HasDatabaseName(DeviceCaseLinks.OpenIndexName);
        builder.HasOne<Device>().WithMany().HasForeignKey(c => c.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DeviceNonceConfiguration : IEntityTypeConfiguration<DeviceNonce>
{
    public void Configure(EntityTypeBuilder<DeviceNonce> builder)
    {
        builder.ToTable("device_nonces");
        builder.HasKey(n => new { n.DeviceId, n.Nonce });
        builder.Property(n => n.Nonce).HasMaxLength(DeviceNonce.MaxNonceLength);
        builder.HasIndex(n => n.ExpiresAt);
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class DevicesTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The device registry; scoped by the grid each device lies in.</summary>
        public DbSet<Device> Devices => db.Set<Device>();
        /// <summary>Alarm type → case category; not scoped (the catalogue's extension for devices).</summary>
        public DbSet<DeviceAlarmType> DeviceAlarmTypes => db.Set<DeviceAlarmType>();
        /// <summary>Which case a device's alarm opened; read only by the device intake, as the system.</summary>
        public DbSet<DeviceCase> DeviceCases => db.Set<DeviceCase>();
        /// <summary>Nonces of signed device messages inside the acceptance window; not scoped.</summary>
        public DbSet<DeviceNonce> DeviceNonces => db.Set<DeviceNonce>();
    }
}
