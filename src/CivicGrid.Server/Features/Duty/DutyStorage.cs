using System.Linq.Expressions;
using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Duty;

/// <summary>
/// The duty tables' scope rule: a subdistrict's roster, alerts and handovers are seen from the subdistrict, from above it
/// (the district) and from inside it (its communities' staff take shifts too); another subdistrict's are not.
/// </summary>
internal static class DutyScope
{
    public static Expression<Func<T, bool>> OfSubdistrict<T>(EntityModel model, Expression<Func<T, string>> code)
    {
        var row = code.Parameters[0];
        Expression<Func<QueryScope, string, bool>> rule = (s, c) => s.IsWholeSystem || (!s.OwnRecordsOnly && (c.StartsWith(s.Code) || s.Code.StartsWith(c)));
        var scope = rule.Parameters[0];
        var body = new Replace(rule.Parameters[1], code.Body).Visit(rule.Body);
        var filter = Expression.Lambda<Func<QueryScope, T, bool>>(body, scope, row);
        return model.Scoped(filter);
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

public sealed class DutyPostConfiguration(EntityModel model) : IEntityTypeConfiguration<DutyPost>
{
    public void Configure(EntityTypeBuilder<DutyPost> builder)
    {
        builder.ToTable("duty_posts");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(DutyPost.MaxNameLength).IsRequired();
        builder.Property(p => p.Kind).HasConversion<int>();
        builder.HasIndex(p => new { p.SubdistrictCode, p.Name }).IsUnique();
        builder.HasQueryFilter(DutyScope.OfSubdistrict<DutyPost>(model, p => p.SubdistrictCode));
    }
}

public sealed class DutyShiftConfiguration(EntityModel model) : IEntityTypeConfiguration<DutyShift>
{
    public void Configure(EntityTypeBuilder<DutyShift> builder)
    {
        builder.ToTable("duty_shifts");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(s => s.CancelReason).HasMaxLength(200);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.IsActive);
        builder.HasOne<DutyPost>().WithMany().HasForeignKey(s => s.PostId).OnDelete(DeleteBehavior.Restrict);
        // Who is on duty now, and a post's shifts around a period: by post and time.
        builder.HasIndex(s => new { s.PostId, s.StartsAt });
        builder.HasIndex(s => new { s.SubdistrictCode, s.StartsAt });
        builder.HasQueryFilter(DutyScope.OfSubdistrict<DutyShift>(model, s => s.SubdistrictCode));
    }
}

public sealed class DutyAlertConfiguration(EntityModel model) : IEntityTypeConfiguration<DutyAlert>
{
    public void Configure(EntityTypeBuilder<DutyAlert> builder)
    {
        builder.ToTable("duty_alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(a => a.SourceKey).HasMaxLength(DutyAlert.MaxSourceKeyLength).IsRequired();
        builder.HasIndex(a => a.SourceKey).IsUnique();
        builder.Property(a => a.CaseNumber).HasMaxLength(32).IsRequired();
        builder.Property(a => a.CaseTitle).HasMaxLength(DutyAlert.MaxTitleLength).IsRequired();
        builder.Property(a => a.GridCode).HasMaxLength(32).IsRequired();
        builder.Property(a => a.Routing).HasMaxLength(DutyAlert.MaxRoutingLength).IsRequired();
        builder.Property(a => a.Kind).HasConversion<int>();
        builder.Property(a => a.State).HasConversion<int>();
        builder.Property(a => a.Audience).HasConversion<int>();
        builder.Property(a => a.EscalatedTo).HasConversion<int?>();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.IsPending);
        // The escalation job reads the open alerts whose time ran out.
        builder.HasIndex(a => new { a.State, a.AcknowledgeBy });
        builder.HasIndex(a => new { a.SubdistrictCode, a.RaisedAt });
        builder.HasQueryFilter(DutyScope.OfSubdistrict<DutyAlert>(model, a => a.SubdistrictCode));
    }
}

public sealed class DutyHandoverConfiguration(EntityModel model) : IEntityTypeConfiguration<DutyHandover>
{
    public void Configure(EntityTypeBuilder<DutyHandover> builder)
    {
        builder.ToTable("duty_handovers");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(h => h.Notes).HasMaxLength(DutyHandover.MaxNotesLength).IsRequired();
        builder.Property(h => h.Items).HasConversion(
            list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
            json => JsonSerializer.Deserialize<List<HandoverItem>>(json, (JsonSerializerOptions?)null) ?? new List<HandoverItem>(),
            new ValueComparer<List<HandoverItem>>((a, b) => a!.SequenceEqual(b!), l => l.Count, l => l.ToList()));
        builder.Property(h => h.Version).IsConcurrencyToken();
        builder.HasOne<DutyShift>().WithMany().HasForeignKey(h => h.ShiftId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(h => h.ShiftId).IsUnique();
        builder.HasIndex(h => new { h.SubdistrictCode, h.OutgoingSignedAt });
        builder.HasQueryFilter(DutyScope.OfSubdistrict<DutyHandover>(model, h => h.SubdistrictCode));
    }
}

public sealed class DutyLogEntryConfiguration(EntityModel model) : IEntityTypeConfiguration<DutyLogEntry>
{
    public void Configure(EntityTypeBuilder<DutyLogEntry> builder)
    {
        builder.ToTable("duty_log");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.SubdistrictCode).HasMaxLength(9).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(32).IsRequired();
        builder.Property(e => e.Detail).HasMaxLength(DutyLogEntry.MaxDetailLength).IsRequired();
        builder.HasIndex(e => new { e.SubdistrictCode, e.At });
        builder.HasIndex(e => e.SubjectId);
        builder.HasQueryFilter(DutyScope.OfSubdistrict<DutyLogEntry>(model, e => e.SubdistrictCode));
    }
}

/// <summary>This feature's tables on the shared context.</summary>
public static class DutyTables
{
    extension(CivicGridDbContext db)
    {
        public DbSet<DutyPost> DutyPosts => db.Set<DutyPost>();

        public DbSet<DutyShift> DutyShifts => db.Set<DutyShift>();

        public DbSet<DutyAlert> DutyAlerts => db.Set<DutyAlert>();

        public DbSet<DutyHandover> DutyHandovers => db.Set<DutyHandover>();

        public DbSet<DutyLogEntry> DutyLog => db.Set<DutyLogEntry>();
    }
}
