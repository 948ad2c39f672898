using CivicGrid.Server.Tests.Infrastructure;

// One seeded demo per provider for the run; every test class gets its own copy of it (SqliteApp, PostgresApp).
[assembly: AssemblyFixture(typeof(SqliteTemplate))]
[assembly: AssemblyFixture(typeof(PostgresTemplate))]
