using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Roster;

/// <summary>
/// A member is seen by staff whose subtree holds their community, and by a grid's staff while the member has (or had) an
/// assignment in it (a grid leader reads the people of their grid).
/// </summary>
public sealed class RosterMemberConfiguration(EntityModel model) : IEntityTypeConfiguration<RosterMember>
{
    /// <summary>Blind index of <see cref="RosterMember.Phone"/> (a shadow column): a member is found by their exact number.</summary>
    public const string PhoneIndexProperty = "PhoneIndex";

    public void Configure(EntityTypeBuilder<RosterMember> builder)
    {
        builder.ToTable("roster_members");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.AgeBand).HasConversion<string>().HasMaxLength(16);
        // Personal data sealed at rest (ADR 0019); one phone per community through the phone's blind index.
        model.Sealed(builder.Property(m => m.Name), "roster.name");
        model.Sealed(builder.Property(m => m.Phone), "roster.phone");
        model.BlindIndex(builder, nameof(RosterMember.Phone), FieldVault.PhoneField, PhoneIndexProperty);
        builder.Property(m => m.CommunityCode).HasMaxLength(GridCodes.CommunityLength);
        builder.HasIndex(nameof(RosterMember.CommunityCode), PhoneIndexProperty).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.Ignore(m => m.IsActive);
        builder.Ignore(m => m.OpenAssignments);
        builder.HasMany(m => m.Assignments).WithOne().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Assignments).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasQueryFilter(model.Scoped<RosterMember>((s, m) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (m.CommunityCode.StartsWith(s.Code) || m.Assignments.Any(a => a.GridCode.StartsWith(s.Code))))));
    }
}

public sealed class GridAssignmentConfiguration(EntityModel model) : IEntityTypeConfiguration<GridAssignment>
{
    public void Configure(EntityTypeBuilder<GridAssignment> builder)
    {
        builder.ToTable("roster_assignments");
        builder.HasKey(a => a.Id);
        // The domain sets the key; an assignment added to a tracked member's history must be inserted, not updated.
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(a => new { a.GridCode, a.EndOn });
        builder.HasQueryFilter(model.InSubtree<GridAssignment>(a => a.GridCode));
    }
}

/// <summary>Courses and sessions are seen by everyone inside the unit that runs them and by that unit's parents.</summary>
public sealed class CourseConfiguration(EntityModel model) : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> builder)
    {
        builder.ToTable("training_courses");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Title).HasMaxLength(Course.MaxTitleLength);
        builder.Property(c => c.Hours).HasPrecision(5, 1);
        builder.Property(c => c.ScopeCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(c => c.ScopeCode);
        builder.HasQueryFilter(model.Scoped<Course>((s, c) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (c.ScopeCode.StartsWith(s.Code) || s.Code.StartsWith(c.ScopeCode)))));
    }
}

public sealed class TrainingSessionConfiguration(EntityModel model) : IEntityTypeConfiguration<TrainingSession>
{
    public void Configure(EntityTypeBuilder<TrainingSession> builder)
    {
        builder.ToTable("training_sessions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Place).HasMaxLength(RosterLimits.TextLength);
        builder.Property(t => t.Trainer).HasMaxLength(RosterLimits.NameLength);
        builder.Property(t => t.ScopeCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(t => new { t.ScopeCode, t.HeldOn });
        builder.HasOne<Course>().WithMany().HasForeignKey(t => t.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(model.Scoped<TrainingSession>((s, t) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (t.ScopeCode.StartsWith(s.Code) || s.Code.StartsWith(t.ScopeCode)))));
    }
}

/// <summary>An attendance row is seen by staff who see its member's community.</summary>
public sealed class AttendanceConfiguration(EntityModel model) : IEntityTypeConfiguration<Attendance>
{
    public void Configure(EntityTypeBuilder<Attendance> builder)
    {
        builder.ToTable("training_attendance");
        builder.HasKey(a => new { a.SessionId, a.MemberId });
        builder.Property(a => a.CommunityCode).HasMaxLength(GridCodes.CommunityLength);
        builder.HasIndex(a => a.MemberId);
        builder.HasOne<TrainingSession>().WithMany().HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RosterMember>().WithMany().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.InSubtree<Attendance>(a => a.CommunityCode));
    }
}

public sealed class WorkIdConfiguration(EntityModel model) : IEntityTypeConfiguration<WorkId>
{
    public void Configure(EntityTypeBuilder<WorkId> builder)
    {
        builder.ToTable("work_ids");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Number).HasMaxLength(32);
        builder.HasIndex(w => w.Number).IsUnique();
        builder.Property(w => w.VerifyToken).HasMaxLength(32);
        builder.HasIndex(w => w.VerifyToken).IsUnique();
        builder.Property(w => w.CommunityCode).HasMaxLength(GridCodes.CommunityLength);
        builder.HasIndex(w => new { w.CommunityCode, w.ValidUntil });
        builder.Property(w => w.RevokedReason).HasMaxLength(RosterLimits.TextLength);
        builder.HasIndex(w => w.MemberId);
        builder.HasOne<RosterMember>().WithMany().HasForeignKey(w => w.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(model.InSubtree<WorkId>(w => w.CommunityCode));
    }
}

public static class RosterLimits
{
    public const int NameLength = 50;
    public const int PhoneLength = 20;
    public const int TextLength = 200;
}

/// <summary>This feature's tables on the shared context.</summary>
public static class RosterTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The roster; scoped by community, and for grid staff by the grids members work.</summary>
        public DbSet<RosterMember> RosterMembers => db.Set<RosterMember>();
        /// <summary>Grid assignments, ended ones kept; scoped by grid.</summary>
        public DbSet<GridAssignment> GridAssignments => db.Set<GridAssignment>();
        /// <summary>Courses; seen inside and above the unit that runs them.</summary>
        public DbSet<Course> Courses => db.Set<Course>();
        public DbSet<TrainingSession> TrainingSessions => db.Set<TrainingSession>();
        /// <summary>Attendance and scores; scoped by the member's community.</summary>
        public DbSet<Attendance> Attendances => db.Set<Attendance>();
        /// <summary>Work IDs; scoped by the member's community at issue.</summary>
        public DbSet<WorkId> WorkIds => db.Set<WorkId>();
    }
}
