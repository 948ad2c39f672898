using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Audit;

public static class SecurityAuditStorage
{
    public const int HeadId = 1;

    extension(CivicGridDbContext db)
    {
        public DbSet<SecurityEvent> SecurityEvents => db.Set<SecurityEvent>();
    }

    /// <summary>
    /// SQL that makes <c>security_events</c> append-only: the database itself refuses UPDATE and DELETE, whoever asks
    /// (a migration adds it; someone with the database owner's rights can drop it, which the hash chain then shows).
    /// </summary>
    public static string AppendOnlySql(bool postgres) => postgres
        ? """
          CREATE OR REPLACE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'security_events is append-only'; END $$;
          CREATE TRIGGER security_events_no_update BEFORE UPDATE OR DELETE ON security_events
          FOR EACH ROW EXECUTE FUNCTION security_events_append_only();
          CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
          FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only();
          """
        : """
          CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
          BEGIN SELECT RAISE(ABORT, 'security_events is append-only'); END;
          CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
          BEGIN SELECT RAISE(ABORT, 'security_events is append-only'); END;
          """;
}

public sealed class SecurityEventConfiguration(EntityModel model) : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> builder)
    {
        builder.ToTable("security_events");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.Property(e => e.Kind).HasConversion<int>();
        builder.Property(e => e.Outcome).HasConversion<int>();
        builder.Property(e => e.ActorName).HasMaxLength(100).IsRequired();
        builder.Property(e => e.SubjectKind).HasMaxLength(32);
        builder.Property(e => e.SubjectId).HasMaxLength(64);
        builder.Property(e => e.SubjectName).HasMaxLength(200);
        builder.Property(e => e.ScopeCode).HasMaxLength(32).IsRequired();
        builder.Property(e => e.ClientAddress).HasMaxLength(64);
        builder.Property(e => e.Detail).HasMaxLength(1000).IsRequired();
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsRequired();
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.ActorId, e.At });
        builder.HasIndex(e => new { e.Kind, e.At });
        builder.HasQueryFilter(model.InSubtree<SecurityEvent>(e => e.ScopeCode));
    }
}

public sealed class SecurityAuditHeadConfiguration : IEntityTypeConfiguration<SecurityAuditHead>
{
    public void Configure(EntityTypeBuilder<SecurityAuditHead> builder)
    {
        builder.ToTable("security_audit_head");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(64).IsRequired();
        builder.HasData(new SecurityAuditHead { Id = SecurityAuditStorage.HeadId, LastSequence = 0, LastHash = string.Empty });
    }
}
