using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Persistence.Configurations;

public sealed class CaseCategoryConfiguration : IEntityTypeConfiguration<CaseCategory>
{
    public void Configure(EntityTypeBuilder<CaseCategory> builder)
    {
        builder.ToTable("case_categories");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(100).IsRequired();
        builder.Property(c => c.MajorCode).HasMaxLength(16).IsRequired();
        builder.Property(c => c.MajorName).HasMaxLength(100).IsRequired();
        builder.Property(c => c.DefaultTier).HasConversion<int>();
        builder.Property(c => c.TimeLimitUnit).HasConversion<int>();
        builder.Property(c => c.ResponsibleDepartmentCode).HasMaxLength(64);
        builder.Property(c => c.AcceptanceCondition).HasMaxLength(1000).IsRequired();
        builder.Property(c => c.ClosingCondition).HasMaxLength(1000).IsRequired();
    }
}

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public const string FollowTokenHashProperty = "FollowTokenHash";

    /// <summary>An index filter for rows where the column holds a value; the same SQL on SQLite and PostgreSQL.</summary>
    private static string NotNull(string column) => $"\"{column}\" IS NOT NULL";

    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Number).HasMaxLength(20).IsRequired();
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.CategoryCode).HasMaxLength(16).IsRequired();
        builder.HasOne<CaseCategory>().WithMany().HasForeignKey(c => c.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Title).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(4000).IsRequired();
        builder.Property(c => c.GridCode).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => new { c.GridCode, c.Status });
        builder.HasIndex(c => c.ReportedAt);

        // Columns most new cases leave empty (an anonymous reporter, no external order, nobody assigned yet, no location
        // to confirm) are indexed only where they hold a value: every query on them asks for a value, and an intake batch
        // then adds nothing to these indexes, so its commit writes and syncs fewer pages (ADR 0016).
        builder.HasIndex(c => c.ReporterId).HasFilter(NotNull(nameof(Case.ReporterId)));
        builder.Property(c => c.Tier).HasConversion<int>();
        builder.Property(c => c.Status).HasConversion<int>();
        builder.Property(c => c.Channel).HasConversion<int>();
        builder.Property(c => c.ReporterPhone).HasMaxLength(32);
        builder.Property(c => c.Address).HasMaxLength(300);
        builder.Property(c => c.BuildingCode).HasMaxLength(32);
        builder.Property(c => c.CompoundCode).HasMaxLength(32);
        builder.Property(c => c.ExternalSource).HasMaxLength(16);
        builder.Property(c => c.ExternalNumber).HasMaxLength(64);
        // A re-import of an external order finds its case; our own reports have neither and are not constrained.
        builder.HasIndex(c => new { c.ExternalSource, c.ExternalNumber }).IsUnique().HasFilter(NotNull(nameof(Case.ExternalSource)));
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(c => c.ReporterId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Location).IsRequired();

        // Optimistic concurrency: every transition raises Version, and a save whose original Version is no
        // longer the stored one fails, so two people acting on one case cannot both win.
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.AssigneeName).HasMaxLength(100);
        builder.Property(c => c.EvaluationComment).HasMaxLength(2000);
        builder.Property(c => c.StatusBeforeParking).HasConversion<int?>();
        builder.Property(c => c.MergedIntoNumber).HasMaxLength(20);
        builder.HasIndex(c => c.AssigneeUserId).HasFilter(NotNull(nameof(Case.AssigneeUserId)));
        builder.HasIndex(c => new { c.Status, c.DueAt });
        builder.Property(c => c.LocationCandidates).HasMaxLength(400).HasConversion(
            codes => string.Join(',', codes),
            text => text.Length == 0 ? new List<string>() : text.Split(',', StringSplitOptions.None).ToList(),
            new ValueComparer<IReadOnlyList<string>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()));
        builder.HasIndex(c => c.LocationConfirmDueAt).HasFilter(NotNull(nameof(Case.LocationConfirmDueAt)));
        builder.Ignore(c => c.IsLocationPending);

        // SHA-256 (hex) of the follow token an anonymous reporter got at intake; the token itself is never kept.
        builder.Property<string?>(FollowTokenHashProperty).HasMaxLength(64);

        builder.OwnsMany(c => c.Timeline, entry =>
        {
            entry.ToTable("case_timeline");
            entry.WithOwner().HasForeignKey("CaseId");
            entry.HasKey("CaseId", nameof(CaseTimelineEntry.Sequence));
            entry.Property(e => e.Sequence).ValueGeneratedNever();
            entry.Property(e => e.ActorName).HasMaxLength(100).IsRequired();
            entry.Property(e => e.Action).HasMaxLength(40).IsRequired();
            entry.Property(e => e.FromStatus).HasConversion<int?>();
            entry.Property(e => e.ToStatus).HasConversion<int>();
            entry.Property(e => e.FromTier).HasConversion<int>();
            entry.Property(e => e.ToTier).HasConversion<int>();
            entry.Property(e => e.FromGridCode).HasMaxLength(32);
            entry.Property(e => e.ToGridCode).HasMaxLength(32);
            entry.Property(e => e.Note).HasMaxLength(4000);
            entry.Property(e => e.PublicText).HasMaxLength(500).IsRequired();
            entry.Property(e => e.Hash).HasMaxLength(64).IsRequired();
            entry.Property(e => e.Details).HasConversion(
                d => JsonSerializer.Serialize(d, (JsonSerializerOptions?)null),
                json => ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                    JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>()),
                new ValueComparer<ImmutableSortedDictionary<string, string>>((a, b) => a!.SequenceEqual(b!), d => d.Count, d => d));
            entry.Property(e => e.AttachmentIds).HasConversion(
                ids => string.Join(',', ids),
                text => text.Length == 0 ? ImmutableArray<Guid>.Empty : text.Split(',', StringSplitOptions.None).Select(Guid.Parse).ToImmutableArray(),
                new ValueComparer<ImmutableArray<Guid>>((a, b) => a.SequenceEqual(b), ids => ids.Length, ids => ids));
        });
        builder.Navigation(c => c.Timeline).HasField("_timeline").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(c => c.Mediations, mediation =>
        {
            mediation.ToTable("case_mediations");
            mediation.WithOwner().HasForeignKey("CaseId");
            mediation.Property<int>("Id");
            mediation.HasKey("Id");
            mediation.Property(m => m.Participants).HasConversion(
                list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
                json => JsonSerializer.Deserialize<List<string>>(json, (JsonSerializerOptions?)null) ?? new List<string>(),
                new ValueComparer<IReadOnlyList<string>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()));
            mediation.Property(m => m.Place).HasMaxLength(200).IsRequired();
            mediation.Property(m => m.Outcome).HasMaxLength(4000).IsRequired();
        });
        builder.Navigation(c => c.Mediations).HasField("_mediations").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(c => c.MeetingDecisions, decision =>
        {
            decision.ToTable("case_meeting_decisions");
            decision.WithOwner().HasForeignKey("CaseId");
            decision.Property<int>("Id");
            decision.HasKey("Id");
            decision.Property(d => d.Decision).HasMaxLength(4000).IsRequired();
        });
        builder.Navigation(c => c.MeetingDecisions).HasField("_meetingDecisions").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

public sealed class StoredPhotoConfiguration : IEntityTypeConfiguration<Features.Cases.StoredPhoto>
{
    public void Configure(EntityTypeBuilder<Features.Cases.StoredPhoto> builder)
    {
        builder.ToTable("case_photos");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasOne<Case>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.CaseId);
        builder.Property(p => p.Purpose).HasConversion<int>();
        builder.Property(p => p.OriginalFormat).HasMaxLength(8).IsRequired();
        builder.Property(p => p.Sha256OfOriginal).HasMaxLength(64).IsRequired();
        builder.Property(p => p.EvidenceCamera).HasMaxLength(100);
    }
}

public sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<Features.Cases.CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<Features.Cases.CaseNumberCounter> builder)
    {
        builder.ToTable("case_number_counters");
        builder.HasKey(c => c.Day);
        builder.Property(c => c.Day).HasMaxLength(8);
    }
}

public sealed class LocationClaimConfiguration : IEntityTypeConfiguration<Features.Cases.LocationClaim>
{
    public void Configure(EntityTypeBuilder<Features.Cases.LocationClaim> builder)
    {
        builder.ToTable("case_location_claims");
        builder.HasKey(c => c.Id);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.CaseId, c.GridCode }).IsUnique();
        builder.HasIndex(c => new { c.GridCode, c.ResolvedAt });
        builder.HasIndex(c => new { c.ResolvedAt, c.DueAt });
        builder.Property(c => c.CaseNumber).HasMaxLength(20).IsRequired();
        builder.Property(c => c.GridCode).HasMaxLength(32).IsRequired();
        builder.Property(c => c.ResolvedToGridCode).HasMaxLength(32);
        builder.Property(c => c.Title).HasMaxLength(200).IsRequired();
        builder.Property(c => c.CategoryCode).HasMaxLength(16).IsRequired();
    }
}

public sealed class DistrictReferralConfiguration : IEntityTypeConfiguration<Features.Cases.DistrictReferral>
{
    public void Configure(EntityTypeBuilder<Features.Cases.DistrictReferral> builder)
    {
        builder.ToTable("district_referrals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.CaseId).IsUnique();
        builder.HasIndex(r => new { r.SubdistrictCode, r.Status });
        builder.Property(r => r.CaseNumber).HasMaxLength(20).IsRequired();
        builder.Property(r => r.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(r => r.Summary).HasMaxLength(4000).IsRequired();
        builder.Property(r => r.Status).HasConversion<int>();
        builder.Property(r => r.Answer).HasMaxLength(4000);
    }
}

public sealed class JointMeetingConfiguration : IEntityTypeConfiguration<Features.Cases.JointMeeting>
{
    public void Configure(EntityTypeBuilder<Features.Cases.JointMeeting> builder)
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
    }
}
