using System.Text.Json.Nodes;
using CivicGrid.Domain.Cases;
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

    [Fact]
    public async Task Document_ListsEnumValuesInKebabCase_AndTypesTheQueryParameters()
    {
        using var client = app.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken))!;
        var schemas = document["components"]!["schemas"]!;

        Assert.Equal("string", schemas["CaseStatus"]!["type"]!.GetValue<string>());
        Assert.Equal(["reported", "accepted", "rejected", "assigned", "in-handling", "handled", "verified", "evaluated", "closed", "parked", "merged", "withdrawn"],
            schemas["CaseStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["green", "yellow", "blue", "red"], schemas["CaseTier"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("#/components/schemas/CaseStatus", schemas["CaseDetail"]!["properties"]!["status"]!["$ref"]!.GetValue<string>());
        Assert.Equal(CaseVerbs.All, schemas["CaseDetail"]!["properties"]!["allowedActions"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));

        // The list's query parameters are typed (read by CaseQuery.BindAsync, described by the OpenAPI transformer).
        var parameters = document["paths"]!["/api/cases"]!["get"]!["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!);
        Assert.Contains("in-handling", parameters["status"]["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["newest", "due"], parameters["sort"]["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("boolean", parameters["overdue"]["type"]!.GetValue<string>());
        Assert.Equal("integer", parameters["pageSize"]["type"]!.GetValue<string>());

        // Numbers are numbers: nothing in the document may say "a number, or a string of one".
        Assert.DoesNotContain("(?:0|[1-9]", document.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("integer", schemas["CaseDetail"]!["properties"]!["version"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task AStringWhereANumberBelongs_IsRefusedWith400Problem_InChinese()
    {
        using var client = await app.ClientForAsync("ops");
        using var body = new StringContent("""{"expectedVersion": "1"}""", System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/api/cases/2026010100001/accept", UriKind.Relative), body, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/validation", problem["type"]!.GetValue<string>());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("JSON", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
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
