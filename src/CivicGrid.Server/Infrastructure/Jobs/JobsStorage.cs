using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Jobs;

public sealed class ScheduledJobStateConfiguration : IEntityTypeConfiguration<ScheduledJobState>
{
    public void Configure(EntityTypeBuilder<ScheduledJobState> builder)
    {
        builder.ToTable("scheduled_jobs");
        builder.HasKey(j => j.Name);
        builder.Property(j => j.Name).HasMaxLength(ScheduledJobState.MaxNameLength);
        builder.Property(j => j.LeaseOwner).HasMaxLength(100);
        builder.Property(j => j.LastError).HasMaxLength(2000);
    }
}

public sealed class JobMarkConfiguration : IEntityTypeConfiguration<JobMark>
{
    public void Configure(EntityTypeBuilder<JobMark> builder)
    {
        builder.ToTable("job_marks");
        builder.HasKey(m => m.Key);
        builder.Property(m => m.Key).HasMaxLength(JobMark.MaxKeyLength);
    }
}
