using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Privacy;

public sealed class PersonalDataRevealConfiguration(EntityModel model) : IEntityTypeConfiguration<PersonalDataReveal>
{
    public void Configure(EntityTypeBuilder<PersonalDataReveal> builder)
    {
        builder.ToTable("personal_data_reveals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.UserName).HasMaxLength(100).IsRequired();
        builder.Property(r => r.CaseNumber).HasMaxLength(20).IsRequired();
        builder.Property(r => r.GridCode).HasMaxLength(32).IsRequired();
        builder.Property(r => r.Fields).HasMaxLength(200).IsRequired();
        builder.Property(r => r.ClientIp).HasMaxLength(64);
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.Property(r => r.Outcome).HasMaxLength(16).IsRequired().HasDefaultValue(PersonalDataReveal.Revealed);
        builder.HasIndex(r => r.At);
        builder.HasIndex(r => r.CaseNumber);
        builder.HasQueryFilter(model.InSubtree<PersonalDataReveal>(r => r.GridCode));
    }
}
