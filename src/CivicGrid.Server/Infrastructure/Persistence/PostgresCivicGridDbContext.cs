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
    internal override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPostgresExtension("postgis");
    }

    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, o =>
        {
            o.UseNetTopologySuite();
            o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
            o.MigrationsAssembly(typeof(PostgresCivicGridDbContext).Assembly.GetName().Name);
        }).ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, SealedColumns.ModelCacheKeyFactory>();
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
