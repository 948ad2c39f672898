using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Features.Grids;

public sealed class GridConfiguration(EntityModel model) : IEntityTypeConfiguration<Grid>
{
    public void Configure(EntityTypeBuilder<Grid> builder)
    {
        builder.ToTable("grids");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Code).HasMaxLength(32).IsRequired();
        builder.HasIndex(g => g.Code).IsUnique();
        builder.Property(g => g.Name).HasMaxLength(100).IsRequired();
        builder.Property(g => g.ParentCode).HasMaxLength(32);
        builder.HasIndex(g => g.ParentCode);
        builder.Property(g => g.Level).HasConversion<int>();
        builder.Property(g => g.Kind).HasConversion<int>();
        builder.HasIndex(g => new { g.Level, g.MinLon, g.MaxLon, g.MinLat, g.MaxLat });
        builder.Property(g => g.Boundary).IsRequired();
        builder.HasQueryFilter(model.InSubtree<Grid>(g => g.Code));
        if (model.IsPostgres)
        {
            builder.Property(g => g.Boundary).HasColumnType("geometry(Geometry,4326)");
            builder.HasIndex(g => g.Boundary).HasMethod("gist");

            // Prefix scope checks (code LIKE 'prefix%') use this index whatever the database collation.
            builder.HasIndex(g => g.Code, "ix_grids_code_pattern").HasOperators("text_pattern_ops");
        }
    }
}

public sealed class GridVersionConfiguration(EntityModel model) : IEntityTypeConfiguration<GridVersion>
{
    public void Configure(EntityTypeBuilder<GridVersion> builder)
    {
        builder.ToTable("grid_versions");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Code).HasMaxLength(32).IsRequired();
        builder.HasIndex(g => new { g.Code, g.ValidFrom }).IsUnique();
        builder.HasIndex(g => new { g.ValidFrom, g.ValidTo });
        builder.Property(g => g.Name).HasMaxLength(100).IsRequired();
        builder.Property(g => g.ParentCode).HasMaxLength(32);
        builder.Property(g => g.Level).HasConversion<int>();
        builder.Property(g => g.Kind).HasConversion<int>();
        builder.Property(g => g.Boundary).IsRequired();
        builder.HasQueryFilter(model.InSubtree<GridVersion>(g => g.Code));
        if (model.IsPostgres)
        {
            builder.Property(g => g.Boundary).HasColumnType("geometry(Geometry,4326)");
        }
    }
}

public sealed class CompoundConfiguration(EntityModel model) : IEntityTypeConfiguration<Compound>
{
    public void Configure(EntityTypeBuilder<Compound> builder)
    {
        builder.ToTable("compounds");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Code).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => c.Code).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(100).IsRequired();
        builder.Property(c => c.Address).HasMaxLength(200).IsRequired();
        builder.Property(c => c.GridCode).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => c.GridCode);
        builder.Property(c => c.Boundary).IsRequired();
        builder.HasOne<Domain.Organisations.Organisation>().WithMany().HasForeignKey(c => c.PropertyCompanyId).OnDelete(DeleteBehavior.SetNull);
        builder.HasQueryFilter(model.InSubtree<Compound>(c => c.GridCode));
        if (model.IsPostgres)
        {
            builder.Property(c => c.Boundary).HasColumnType("geometry(Geometry,4326)");
            builder.HasIndex(c => c.Boundary).HasMethod("gist");
        }
    }
}

public sealed class BuildingConfiguration(EntityModel model) : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> builder)
    {
        builder.ToTable("buildings");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Code).HasMaxLength(32).IsRequired();
        builder.HasIndex(b => b.Code).IsUnique();
        builder.Property(b => b.Name).HasMaxLength(100).IsRequired();
        builder.Property(b => b.Address).HasMaxLength(200).IsRequired();
        builder.Property(b => b.GridCode).HasMaxLength(32).IsRequired();
        builder.HasIndex(b => b.GridCode);
        builder.HasIndex(b => b.CompoundId);
        builder.HasOne<Compound>().WithMany().HasForeignKey(b => b.CompoundId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(b => b.Location).IsRequired();
        builder.HasQueryFilter(model.InSubtree<Building>(b => b.GridCode));
        if (model.IsPostgres)
        {
            builder.Property(b => b.Location).HasColumnType("geometry(Point,4326)");
            builder.Property(b => b.Footprint).HasColumnType("geometry(Polygon,4326)");
            builder.HasIndex(b => b.Location).HasMethod("gist");
        }
    }
}
