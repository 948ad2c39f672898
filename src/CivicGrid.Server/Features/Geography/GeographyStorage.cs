using CivicGrid.Domain.Routing;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Geography;

public sealed class RoutingOverrideConfiguration(EntityModel model) : IEntityTypeConfiguration<RoutingOverride>
{
    public void Configure(EntityTypeBuilder<RoutingOverride> builder)
    {
        builder.ToTable("routing_overrides");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Subject).HasConversion<int>();
        builder.Property(o => o.SubjectKey).HasMaxLength(200).IsRequired();
        builder.HasIndex(o => new { o.Subject, o.SubjectKey });
        builder.Property(o => o.FromGridCode).HasMaxLength(32);
        builder.Property(o => o.ToGridCode).HasMaxLength(32).IsRequired();
        builder.Property(o => o.Reason).HasMaxLength(500).IsRequired();
        builder.Property(o => o.CaseNumber).HasMaxLength(20);
        builder.Ignore(o => o.IsActive);
        // Visible to (and withdrawable by) both the community a place is taught to and the one it is taken from.
        builder.HasQueryFilter(model.Scoped<RoutingOverride>((s, o) => s.IsWholeSystem
            || (!s.OwnRecordsOnly && (o.ToGridCode.StartsWith(s.Code) || (o.FromGridCode != null && o.FromGridCode.StartsWith(s.Code))))));
    }
}
