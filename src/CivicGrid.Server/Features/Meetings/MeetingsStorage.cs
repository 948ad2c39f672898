using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Meetings;

public sealed class JointMeetingConfiguration(EntityModel model) : IEntityTypeConfiguration<JointMeeting>
{
    public void Configure(EntityTypeBuilder<JointMeeting> builder)
    {
        builder.ToTable("joint_meetings");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.HasIndex(m => new { m.SubdistrictCode, m.HeldAt });
        builder.Property(m => m.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(m => m.Title).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Place).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Summary).HasMaxLength(4000).IsRequired();
        builder.Property(m => m.Participants).HasConversion(
            list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
            json => JsonSerializer.Deserialize<List<string>>(json, (JsonSerializerOptions?)null) ?? new List<string>(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()));
        builder.Property(m => m.CaseNumbers).HasConversion(
            list => string.Join(',', list),
            text => text.Length == 0 ? new List<string>() : text.Split(',', StringSplitOptions.None).ToList(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()));
        builder.HasQueryFilter(model.InSubtree<JointMeeting>(m => m.SubdistrictCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class MeetingsTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<JointMeeting> JointMeetings => db.Set<JointMeeting>();
    }
}
