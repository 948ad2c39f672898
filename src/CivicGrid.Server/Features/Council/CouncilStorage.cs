using System.Text.Json;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Council;

/// <summary>
/// A council member is seen by staff whose subtree holds their community (not by a grid's own staff, who are evaluated by
/// them) and by the member themselves through their account.
/// </summary>
public sealed class CouncilMemberConfiguration(EntityModel model) : IEntityTypeConfiguration<CouncilMember>
{
    /// <summary>Blind index of <see cref="CouncilMember.Phone"/> (a shadow column): a member is found by their exact number.</summary>
    public const string PhoneIndexProperty = "PhoneIndex";

    public void Configure(EntityTypeBuilder<CouncilMember> builder)
    {
        builder.ToTable("council_members");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        // Personal data sealed at rest (ADR 0019); one phone per community through the phone's blind index.
        model.Sealed(builder.Property(m => m.Name), "council.name");
        model.Sealed(builder.Property(m => m.Phone), "council.phone");
        model.BlindIndex(builder, nameof(CouncilMember.Phone), FieldVault.PhoneField, PhoneIndexProperty);
        builder.Property(m => m.CommunityCode).HasMaxLength(GridCodes.CommunityLength);
        builder.Property(m => m.HomeGridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(m => m.CompoundCode).HasMaxLength(32);
        builder.Property(m => m.EndReason).HasMaxLength(CouncilLimits.TextLength);
        builder.HasIndex(nameof(CouncilMember.CommunityCode), PhoneIndexProperty).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasQueryFilter(model.Scoped<CouncilMember>((s, m) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && m.CommunityCode.StartsWith(s.Code)) || m.UserId == s.UserId));
    }
}

/// <summary>An assignment is seen by staff whose subtree holds the member's community, and by the member.</summary>
public sealed class CouncilAssignmentConfiguration(EntityModel model) : IEntityTypeConfiguration<CouncilAssignment>
{
    public void Configure(EntityTypeBuilder<CouncilAssignment> builder)
    {
        builder.ToTable("council_assignments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Period).HasMaxLength(8);
        builder.Property(a => a.CommunityCode).HasMaxLength(GridCodes.CommunityLength);
        builder.Property(a => a.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(a => a.AssignedByName).HasMaxLength(CouncilLimits.NameLength);
        builder.HasIndex(a => new { a.Period, a.MemberId, a.GridCode }).IsUnique();
        builder.HasIndex(a => new { a.Period, a.GridCode });
        builder.HasIndex(a => a.MemberUserId);
        builder.HasOne<CouncilMember>().WithMany().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.Scoped<CouncilAssignment>((s, a) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && a.CommunityCode.StartsWith(s.Code)) || a.MemberUserId == s.UserId));
    }
}

/// <summary>
/// A member's scores are seen by nobody but the member (and the system): progress and the council-score indicator read
/// tallies of the grids the caller may see (<see cref="CouncilTallies"/>), never a row with its member.
/// </summary>
public sealed class CouncilEvaluationConfiguration(EntityModel model) : IEntityTypeConfiguration<CouncilEvaluation>
{
    private static readonly JsonSerializerOptions Json = new();

    public void Configure(EntityTypeBuilder<CouncilEvaluation> builder)
    {
        builder.ToTable("council_evaluations");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Period).HasMaxLength(8);
        builder.Property(e => e.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(e => e.Stars).HasMaxLength(400).HasConversion(
            stars => JsonSerializer.Serialize(stars, Json),
            json => JsonSerializer.Deserialize<Dictionary<string, int>>(json, Json) ?? new Dictionary<string, int>(),
            new ValueComparer<Dictionary<string, int>>((a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                d => JsonSerializer.Serialize(d, Json).GetHashCode(StringComparison.Ordinal),
                d => new Dictionary<string, int>(d, StringComparer.Ordinal))).IsRequired();
        builder.Property(e => e.Phrases).HasMaxLength(1000).JsonList();
        builder.HasIndex(e => e.AssignmentId).IsUnique();
        builder.HasIndex(e => new { e.Period, e.GridCode });
        builder.HasOne<CouncilAssignment>().WithMany().HasForeignKey(e => e.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(model.Scoped<CouncilEvaluation>((s, e) => s.IsWholeSystem || e.MemberUserId == s.UserId));
    }
}

/// <summary>Branch activities are seen by staff whose subtree holds their grid.</summary>
public sealed class BranchActivityConfiguration(EntityModel model) : IEntityTypeConfiguration<BranchActivity>
{
    public void Configure(EntityTypeBuilder<BranchActivity> builder)
    {
        builder.ToTable("branch_activities");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(a => a.Title).HasMaxLength(BranchActivity.MaxTitleLength);
        builder.Property(a => a.Note).HasMaxLength(BranchActivity.MaxNoteLength);
        builder.Property(a => a.RecordedByName).HasMaxLength(CouncilLimits.NameLength);
        builder.Ignore(a => a.PhotoIds);
        builder.Ignore(a => a.HasEvidence);
        builder.Property<List<Guid>>("_photoIds").HasColumnName("photo_ids").HasMaxLength(1000).JsonList();
        builder.HasIndex(a => new { a.GridCode, a.HeldOn });
        builder.HasQueryFilter(model.InSubtree<BranchActivity>(a => a.GridCode));
    }
}

public static class CouncilLimits
{
    public const int NameLength = 50;
    public const int PhoneLength = 20;
    public const int TextLength = 200;
}

/// <summary>This feature's tables on the shared context.</summary>
public static class CouncilTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The resident council's members; scoped by community, and the member's own row.</summary>
        public DbSet<CouncilMember> CouncilMembers => db.Set<CouncilMember>();
        /// <summary>Who evaluates which grid in which period; scoped by the member's community, and the member's own.</summary>
        public DbSet<CouncilAssignment> CouncilAssignments => db.Set<CouncilAssignment>();
        /// <summary>Members' scores; only the member's own (tallies are read through <see cref="CouncilTallies"/>).</summary>
        public DbSet<CouncilEvaluation> CouncilEvaluations => db.Set<CouncilEvaluation>();
        /// <summary>Branch activities with their evidence; scoped by grid.</summary>
        public DbSet<BranchActivity> BranchActivities => db.Set<BranchActivity>();
    }
}
