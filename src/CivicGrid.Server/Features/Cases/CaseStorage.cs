using System.Collections.Immutable;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Cases;

public sealed class CaseConfiguration(EntityModel model) : IEntityTypeConfiguration<Case>
{
    public const string FollowTokenHashProperty = "FollowTokenHash";

    /// <summary>Blind index of <see cref="Case.ReporterPhone"/> (a shadow column): staff find a caller's cases by their number.</summary>
    public const string ReporterPhoneIndexProperty = "ReporterPhoneIndex";

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
        // Personal data sealed at rest (ADR 0019): the caller's phone, found by exact match through its blind index.
        model.Sealed(builder.Property(c => c.ReporterPhone), "case.reporterPhone");
        model.BlindIndex(builder, nameof(Case.ReporterPhone), FieldVault.PhoneField, ReporterPhoneIndexProperty);
        builder.HasIndex(ReporterPhoneIndexProperty).HasFilter(NotNull(ReporterPhoneIndexProperty));
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
        // The queues (待受理, 本级在办, 即将到期, 已超期, 督办) and the deadline jobs: status first (the open statuses are few
        // rows among millions of closed ones), the due time for the deadline ranges, then what the queues and the scope test
        // on each row, so their counts read the index alone and never the cases.
        builder.HasIndex(c => new { c.Status, c.DueAt, c.Tier, c.GridCode, c.SupervisionDueAt });
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
            // The report step names the caller (a phone entry's “王阿姨（刘芳代登记）”, a hotline caller, an Open311 reporter):
            // sealed at rest. The hash chain is over the clear name, which the entity holds, so it still verifies.
            model.Sealed(entry.Property(e => e.ActorName), "case.timeline.actorName", clearLength: 100).IsRequired();
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

        // Staff see the cases of their subtree, and a case assigned to them personally wherever it lies (a worker of the
        // next micro-grid asked to help, a property manager serving compounds in two grids); a resident their own reports.
        // Property staff and volunteers (OwnCasesOnly, ADR 0026) see no subtree: only what they reported and what is
        // assigned to them, wherever it lies.
        builder.HasQueryFilter(model.Scoped<Case>((s, c) =>
            s.IsWholeSystem || (s.OwnRecordsOnly ? c.ReporterId == s.UserId
                : s.OwnCasesOnly ? c.ReporterId == s.UserId || c.AssigneeUserId == s.UserId
                : c.GridCode.StartsWith(s.Code) || c.AssigneeUserId == s.UserId)));
        if (model.IsPostgres)
        {
            builder.Property(c => c.Location).HasColumnType("geometry(Point,4326)");
            builder.HasIndex(c => c.Location).HasMethod("gist");

            // Prefix scope checks (grid code LIKE 'prefix%') use this index whatever the database collation.
            builder.HasIndex(c => c.GridCode, "ix_cases_grid_code_pattern").HasOperators("text_pattern_ops");
        }
        else
        {
            // Timeline entries are hash-chained over their time to the microsecond; milliseconds would change the hash on
            // the way back from the database.
            builder.OwnsMany(c => c.Timeline).Property(e => e.At).HasConversion<SqliteCivicGridDbContext.UnixMicrosecondsConverter>();
        }
    }
}
