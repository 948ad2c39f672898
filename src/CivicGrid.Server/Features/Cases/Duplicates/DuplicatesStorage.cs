using CivicGrid.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>The case's lon/lat columns for nearby searches (<see cref="CaseLocationColumns"/>), kept beside their writer.</summary>
public sealed class CaseLocationColumnsConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder) => CaseLocationColumns.Configure(builder);
}
