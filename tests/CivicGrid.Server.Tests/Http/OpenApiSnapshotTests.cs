using System.Text.Json.Nodes;
using CivicGrid.Server.Tests.Infrastructure;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The web pages' typed API client is generated from web/src/api/openapi.json; this keeps that snapshot equal to
/// the document the server publishes, so an API change is a visible change to the client's types.
/// </summary>
public sealed class OpenApiSnapshotTestsOnSqlite(SqliteApp app) : IClassFixture<SqliteApp>
{
    private const string UpdateVariable = "CIVICGRID_UPDATE_OPENAPI_SNAPSHOT";
    private const string RefreshCommand = UpdateVariable + "=1 dotnet test tests/CivicGrid.Server.Tests --filter OpenApiSnapshot";

    [Fact]
    public async Task CommittedSnapshot_EqualsTheLiveDocument()
    {
        using var client = app.CreateClient();
        var live = Normalise(JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken))!);
        var path = Path.Combine(RepositoryRoot(), "web", "src", "api", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, live.ToJsonString(new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n",
                TestContext.Current.CancellationToken);
            return;
        }

        var committed = Normalise(JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken))!);
        Assert.True(JsonNode.DeepEquals(live, committed),
            $"web/src/api/openapi.json differs from the server's /openapi/v1.json. Refresh it (then rebuild the web pages) with: {RefreshCommand}");
    }

    /// <summary>The servers list names the host that asked; it is not part of the contract.</summary>
    private static JsonNode Normalise(JsonNode document)
    {
        document.AsObject().Remove("servers");
        return document;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicGrid.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CivicGrid.slnx not found above " + AppContext.BaseDirectory);
    }
}
