using System.Text.Json;
using System.Text.Json.Serialization;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>A need is seen by staff whose subtree holds its grid.</summary>
public sealed class NeedConfiguration(EntityModel model) : IEntityTypeConfiguration<Need>
{
    public void Configure(EntityTypeBuilder<Need> builder)
    {
        builder.ToTable("needs");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(n => n.Urgency).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.SourceReference).HasMaxLength(64);
        builder.Property(n => n.Description).HasMaxLength(CommunityRules.MaxTextLength);
        // The resident who raised the need and their phone: sealed at rest (ADR 0019).
        model.Sealed(builder.Property(n => n.Requester), "need.requester", CommunityRules.MaxNameLength);
        model.Sealed(builder.Property(n => n.ContactPhone), "need.contactPhone");
        builder.Property(n => n.Outcome).HasMaxLength(CommunityRules.MaxTextLength);
        builder.Property(n => n.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(n => n.CompoundCode).HasMaxLength(16);
        builder.Property(n => n.BuildingCode).HasMaxLength(17);
        builder.Ignore(n => n.IsOpen);
        builder.HasIndex(n => new { n.GridCode, n.Status });
        builder.HasIndex(n => new { n.Source, n.SourceReference });
        builder.HasIndex(n => n.RaisedAt);
        builder.HasQueryFilter(model.InSubtree<Need>(n => n.GridCode));
    }
}

/// <summary>A resource is seen inside the node it is based at and above it (a subdistrict's public unit serves every community below).</summary>
public sealed class ResourceConfiguration(EntityModel model) : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> builder)
    {
        builder.ToTable("grid_resources");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Name).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Property(r => r.Phone).HasMaxLength(20);
        builder.Property(r => r.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(r => r.Availability).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Ignore(r => r.Offers);
        builder.Property<List<ServiceKind>>("_offers").HasColumnName("offers").HasMaxLength(400).JsonList();
        builder.HasIndex(r => r.GridCode);
        builder.HasIndex(r => r.OrganisationId);
        builder.HasQueryFilter(model.Scoped<Resource>((s, r) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (r.GridCode.StartsWith(s.Code) || s.Code.StartsWith(r.GridCode)))));
    }
}

/// <summary>A project is seen inside and above the node holding all its grids.</summary>
public sealed class ProjectConfiguration(EntityModel model) : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("grid_projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Name).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Property(p => p.Goal).HasMaxLength(CommunityRules.MaxTextLength);
        builder.Property(p => p.ScopeCode).HasMaxLength(GridCodes.MicroLength);
        builder.Ignore(p => p.GridCodes);
        builder.Ignore(p => p.PartnerIds);
        builder.Ignore(p => p.PhotoIds);
        builder.Ignore(p => p.IsLive);
        builder.Property<List<string>>("_gridCodes").HasColumnName("grid_codes").HasMaxLength(4000).JsonList();
        builder.Property<List<Guid>>("_partnerIds").HasColumnName("partner_ids").HasMaxLength(4000).JsonList();
        builder.Property<List<Guid>>("_photoIds").HasColumnName("photo_ids").HasMaxLength(4000).JsonList();
        builder.HasIndex(p => p.ScopeCode);
        builder.HasQueryFilter(model.Scoped<Project>((s, p) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (p.ScopeCode.StartsWith(s.Code) || s.Code.StartsWith(p.ScopeCode)))));
    }
}

/// <summary>A project's task is seen where its project is: inside and above the node holding the project's grids.</summary>
public sealed class ProjectTaskConfiguration(EntityModel model) : IEntityTypeConfiguration<ProjectTask>
{
    public void Configure(EntityTypeBuilder<ProjectTask> builder)
    {
        builder.ToTable("grid_project_tasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Property(t => t.ScopeCode).HasMaxLength(GridCodes.MicroLength);
        builder.HasIndex(t => new { t.ProjectId, t.On });
        builder.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(model.Scoped<ProjectTask>((s, t) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (t.ScopeCode.StartsWith(s.Code) || s.Code.StartsWith(t.ScopeCode)))));
    }
}

/// <summary>A claim is seen by staff whose subtree holds the claimed thing's grid.</summary>
public sealed class ClaimConfiguration(EntityModel model) : IEntityTypeConfiguration<Claim>
{
    public void Configure(EntityTypeBuilder<Claim> builder)
    {
        builder.ToTable("grid_claims");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Target).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ClaimerKind).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Reference).HasMaxLength(64);
        builder.Property(c => c.TargetName).HasMaxLength(CommunityRules.MaxTextLength);
        builder.Property(c => c.ClaimerName).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Property(c => c.Commitments).HasMaxLength(CommunityRules.MaxTextLength);
        builder.Property(c => c.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Ignore(c => c.Fulfilments);
        builder.Ignore(c => c.Period);
        builder.Property<List<ClaimFulfilment>>("_fulfilments").HasColumnName("fulfilments").JsonList();
        builder.HasIndex(c => new { c.Target, c.Reference });
        builder.HasIndex(c => c.ClaimerId);
        builder.HasIndex(c => c.GridCode);
        builder.HasQueryFilter(model.InSubtree<Claim>(c => c.GridCode));
    }
}

/// <summary>A courtyard council is seen by staff whose subtree holds the compound's grid.</summary>
public sealed class CourtyardCouncilConfiguration(EntityModel model) : IEntityTypeConfiguration<CourtyardCouncil>
{
    public void Configure(EntityTypeBuilder<CourtyardCouncil> builder)
    {
        builder.ToTable("courtyard_councils");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CompoundCode).HasMaxLength(16);
        builder.Property(c => c.CompoundName).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Property(c => c.GridCode).HasMaxLength(GridCodes.MicroLength);
        builder.Property(c => c.Place).HasMaxLength(CommunityRules.MaxNameLength);
        builder.Ignore(c => c.Participants);
        builder.Ignore(c => c.Topics);
        builder.Ignore(c => c.Decisions);
        builder.Ignore(c => c.FollowUps);
        builder.Property<List<CouncilParticipant>>("_participants").HasColumnName("participants").JsonList();
        builder.Property<List<string>>("_topics").HasColumnName("topics").JsonList();
        builder.Property<List<string>>("_decisions").HasColumnName("decisions").JsonList();
        builder.Property<List<CouncilFollowUp>>("_followUps").HasColumnName("follow_ups").JsonList();
        builder.HasIndex(c => new { c.CompoundCode, c.HeldOn });
        builder.HasIndex(c => new { c.GridCode, c.HeldOn });
        builder.HasQueryFilter(model.InSubtree<CourtyardCouncil>(c => c.GridCode));
    }
}

/// <summary>Lists stored as JSON text, the same on every provider.</summary>
internal static class JsonListColumns
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    public static PropertyBuilder<List<T>> JsonList<T>(this PropertyBuilder<List<T>> property) => property.HasConversion(
        list => JsonSerializer.Serialize(list, Options),
        json => JsonSerializer.Deserialize<List<T>>(json, Options) ?? new List<T>(),
        new ValueComparer<List<T>>((a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            l => JsonSerializer.Serialize(l, Options).GetHashCode(StringComparison.Ordinal), l => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(l, Options), Options)!))
        .IsRequired();
}

/// <summary>This feature's tables on the shared context.</summary>
public static class GridAffairsTables
{
    extension(CivicGridDbContext db)
    {
        /// <summary>The needs list; scoped by grid.</summary>
        public DbSet<Need> Needs => db.Set<Need>();
        /// <summary>The resources list; seen inside and above where each is based.</summary>
        public DbSet<Resource> GridResources => db.Set<Resource>();
        /// <summary>The projects list; seen inside and above the node holding their grids.</summary>
        public DbSet<Project> GridProjects => db.Set<Project>();
        /// <summary>Tasks of projects (what a party member or a unit claims); seen where their project is.</summary>
        public DbSet<ProjectTask> ProjectTasks => db.Set<ProjectTask>();
        /// <summary>Claims of compounds and grid affairs; scoped by the claimed thing's grid.</summary>
        public DbSet<Claim> Claims => db.Set<Claim>();
        /// <summary>Courtyard councils; scoped by the compound's grid.</summary>
        public DbSet<CourtyardCouncil> CourtyardCouncils => db.Set<CourtyardCouncil>();
    }
}
