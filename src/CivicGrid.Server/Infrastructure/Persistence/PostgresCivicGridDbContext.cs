using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Production: PostgreSQL with PostGIS. Geometry lives in real <c>geometry</c> columns (SRID 4326)
/// with GiST indexes, so GIS staff can open the grids in QGIS directly.
/// </summary>
public sealed class PostgresCivicGridDbContext(DbContextOptions<PostgresCivicGridDbContext> options, IScopeAccessor scopeAccessor)
    : CivicGridDbContext(options, scopeAccessor)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPostgresExtension("postgis");

        modelBuilder.Entity<Grid>().Property(g => g.Boundary).HasColumnType("geometry(Geometry,4326)");
        modelBuilder.Entity<Grid>().HasIndex(g => g.Boundary).HasMethod("gist");
        modelBuilder.Entity<GridVersion>().Property(g => g.Boundary).HasColumnType("geometry(Geometry,4326)");
        modelBuilder.Entity<Compound>().Property(c => c.Boundary).HasColumnType("geometry(Geometry,4326)");
        modelBuilder.Entity<Compound>().HasIndex(c => c.Boundary).HasMethod("gist");
        modelBuilder.Entity<Building>().Property(b => b.Location).HasColumnType("geometry(Point,4326)");
        modelBuilder.Entity<Building>().Property(b => b.Footprint).HasColumnType("geometry(Polygon,4326)");
        modelBuilder.Entity<Building>().HasIndex(b => b.Location).HasMethod("gist");
        modelBuilder.Entity<Case>().Property(c => c.Location).HasColumnType("geometry(Point,4326)");
        modelBuilder.Entity<Case>().HasIndex(c => c.Location).HasMethod("gist");

        // Prefix scope checks (code LIKE 'prefix%') use these indexes whatever the database collation.
        modelBuilder.Entity<Grid>().HasIndex(g => g.Code, "ix_grids_code_pattern").HasOperators("text_pattern_ops");
        modelBuilder.Entity<Case>().HasIndex(c => c.GridCode, "ix_cases_grid_code_pattern").HasOperators("text_pattern_ops");
    }

    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, o =>
        {
            o.UseNetTopologySuite();
            o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
            o.MigrationsAssembly(typeof(PostgresCivicGridDbContext).Assembly.GetName().Name);
        }).AddInterceptors(CaseLocationColumns.Interceptor);
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresCivicGridDbContext</c> build the model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCivicGridDbContext>
{
    public PostgresCivicGridDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresCivicGridDbContext>();
        PostgresCivicGridDbContext.Configure(builder, "Host=localhost;Database=civicgrid_design");
        return new PostgresCivicGridDbContext(builder.Options, FixedScopeAccessor.System);
    }
}
