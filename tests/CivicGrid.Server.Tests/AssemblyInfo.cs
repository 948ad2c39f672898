using CivicGrid.Server.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(SqliteApp))]
[assembly: AssemblyFixture(typeof(PostgresApp))]
