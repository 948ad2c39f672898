using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Backups;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Infrastructure.Storage;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using CivicGrid.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The restore drill of issue 21: the real server as a child process takes anonymous reports with photos from several
/// clients; <c>backup</c> runs as a second process while the load goes on; the server stops; <c>restore</c> puts the backup
/// into a fresh data directory and a fresh database; then <c>audit verify</c> passes on it, every case acknowledged before
/// the backup began is there, the main tables hold the manifest's counts, every photo row has its files, a resident's
/// sealed name still opens (the keys came back), and a server started on it shows an anonymous reporter their case and its photo.
/// </summary>
public abstract class RestoreDrillTests(ITestOutputHelper output)
{
    private const string Marker = "备份演练";
    private const int Clients = 8;
    private const int AcknowledgedBeforeBackup = 40;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Puts a copy of the seeded demo in <paramref name="dataDirectory"/>; returns the server's database settings for it.</summary>
    protected abstract Task<Dictionary<string, string>> PrepareAsync(string dataDirectory);

    /// <summary>The database settings of a fresh, empty database for the restore.</summary>
    protected abstract Task<Dictionary<string, string>> FreshDatabaseAsync();

    protected abstract DbConnection Connect(Dictionary<string, string> settings, string dataDirectory);

    protected abstract Task CleanUpAsync();

    [Fact]
    public async Task BackedUpUnderLoad_RestoredFresh_PassesAuditVerify_KeepsAcknowledgedCases_CountsPhotosAndKeys()
    {
        var work = Directory.CreateTempSubdirectory("civicgrid-drill-").FullName;
        try
        {
            var source = Path.Combine(work, "source");
            var restored = Path.Combine(work, "restored");
            var backup = Path.Combine(work, "backup");
            Directory.CreateDirectory(source);
            var sourceSettings = await PrepareAsync(source);
            KeyedReports.AddSettings(sourceSettings, source);
            var dll = Path.Combine(AppContext.BaseDirectory, "CivicGrid.Server.dll");
            var resident = await FirstResidentAsync(Connect(sourceSettings, source));
            var residentName = new Server.Infrastructure.Privacy.FieldVault(new Server.Infrastructure.DataDirectory(source)).Open(Server.Infrastructure.Privacy.FieldVault.NameField, resident.SealedName);

            var acknowledged = new ConcurrentQueue<string>();
            var followTokens = new ConcurrentDictionary<string, string>();
            string[] beforeBackup;
            string backupOutput;
            var duringBackup = 0;
            await using (var server = await ServerProcess.StartAsync(dll, sourceSettings, TimeSpan.FromMinutes(5), Ct))
            {
                using var client = KeyedReports.NewClient(server.Address);
                var (places, category) = await KeyedReports.InputsAsync(client);
                var stop = 0;
                var load = Enumerable.Range(0, Clients).Select(worker => Task.Run(async () =>
                {
                    for (var i = 0; Volatile.Read(ref stop) == 0; i++)
                    {
                        var place = places[(worker * 7919 + i) % places.Count];
                        using var response = await ReportWithPhotoAsync(client, place, category);
                        var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                        Assert.True(response.StatusCode == HttpStatusCode.Created, $"HTTP {(int)response.StatusCode} {body}");
                        var answer = JsonDocument.Parse(body).RootElement;
                        var number = answer.GetProperty("number").GetString()!;
                        followTokens[number] = answer.GetProperty("followToken").GetString()!;
                        acknowledged.Enqueue(number);
                    }
                }, CancellationToken.None)).ToList();
                var deadline = DateTime.UtcNow.AddMinutes(3);
                while (acknowledged.Count < AcknowledgedBeforeBackup && DateTime.UtcNow < deadline && load.All(w => !w.IsCompleted))
                {
                    await Task.Delay(10, Ct);
                }

                beforeBackup = [.. acknowledged];
                Assert.True(beforeBackup.Length >= AcknowledgedBeforeBackup, $"Only {beforeBackup.Length} reports before the backup.\n{server.LogTail}");
                var (code, text) = await RunAsync(dll, sourceSettings, "backup", "--to", backup);
                backupOutput = text;
                duringBackup = acknowledged.Count - beforeBackup.Length;
                Volatile.Write(ref stop, 1);
                await Task.WhenAll(load);
                Assert.True(code == 0, $"backup exited {code}:\n{text}\n{server.LogTail}");
            }

            var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(Path.Combine(backup, BackupManifest.FileName), Ct),
                JsonSerializerOptions.Web)!;
            var restoredSettings = await FreshDatabaseAsync();
            KeyedReports.AddSettings(restoredSettings, restored);
            var (restoreCode, restoreOutput) = await RunAsync(dll, restoredSettings, "restore", "--from", backup, "--data-dir", restored);
            Assert.True(restoreCode == 0, restoreOutput);
            var (verifyCode, verifyOutput) = await RunAsync(dll, restoredSettings, "audit", "verify");
            Assert.True(verifyCode == 0, verifyOutput);
            Assert.Contains("Security audit trail intact", verifyOutput, StringComparison.Ordinal);

            var counts = await CountAsync(Connect(restoredSettings, restored), manifest.Counts.Keys);
            foreach (var (table, rows) in manifest.Counts)
            {
                // The restore records itself in the restored security audit trail, after counting.
                Assert.True(counts[table] == rows + (table == "security_events" ? 1 : 0), $"{table}: backup {rows}, restored {counts[table]}");
            }

            var numbers = await NumbersAsync(Connect(restoredSettings, restored));
            Assert.All(beforeBackup, n => Assert.Contains(n, numbers));
            var photos = await PhotosAsync(Connect(restoredSettings, restored));
            Assert.True(photos.Count(p => p.OfTheDrill) >= beforeBackup.Length, $"{photos.Count(p => p.OfTheDrill)} photos of the drill for {beforeBackup.Length} acknowledged reports");
            var store = new PhotoStore(new Server.Infrastructure.DataDirectory(restored));
            foreach (var (id, _) in photos)
            {
                await using var served = await store.OpenServedAsync(id);
                await using var thumbnail = await store.OpenThumbnailAsync(id);
                Assert.True(served is not null && thumbnail is not null, $"Photo {id} is referenced but its files were not restored.");
                Assert.Equal(0xFF, served.ReadByte());
            }

            var restoredResident = await FirstResidentAsync(Connect(restoredSettings, restored));
            Assert.Equal(resident, restoredResident);
            Assert.Equal(residentName, new Server.Infrastructure.Privacy.FieldVault(new Server.Infrastructure.DataDirectory(restored)).Open(Server.Infrastructure.Privacy.FieldVault.NameField, restoredResident.SealedName));

            // The anonymous reporter of a case acknowledged before the backup still follows it and sees its photo.
            var followed = beforeBackup[0];
            var photoOfFollowed = await QueryAsync(Connect(restoredSettings, restored),
                $"""SELECT p."Id" FROM case_photos p JOIN cases c ON c."Id" = p."CaseId" WHERE c."Number" = '{followed}' """,
                async reader => await reader.ReadAsync(Ct) ? Guid.Parse(reader.GetValue(0).ToString()!) : Guid.Empty);
            await using (var server = await ServerProcess.StartAsync(dll, restoredSettings, TimeSpan.FromMinutes(5), Ct))
            {
                using var client = KeyedReports.NewClient(server.Address);
                client.DefaultRequestHeaders.Add("Follow-Token", followTokens[followed]);
                using var tracked = await client.GetAsync(new Uri($"/api/track/{followed}", UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
                using var photo = await client.GetAsync(new Uri($"/api/track/{followed}/photos/{photoOfFollowed}", UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
                Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{GetType().Name}: {beforeBackup.Length} reports with a photo acknowledged before the backup began, {duringBackup} more while it ran; the backup holds {manifest.Counts["cases"]} cases and {manifest.Counts["case_photos"]} photo rows ({manifest.Files.Count} files); restored: every acknowledged case present, every count equal, {photos.Count} photos readable, audit verify intact, a resident's name opens with the restored keys."));
            output.WriteLine(backupOutput);
            output.WriteLine(restoreOutput);
        }
        finally
        {
            await CleanUpAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> ReportWithPhotoAsync(HttpClient client, (double Lon, double Lat) place, string category)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(category), "categoryCode" },
            { new StringContent($"{Marker} {Guid.NewGuid():N}"), "description" },
            { new StringContent(place.Lon.ToString("R", CultureInfo.InvariantCulture)), "lon" },
            { new StringContent(place.Lat.ToString("R", CultureInfo.InvariantCulture)), "lat" },
            { new StringContent("wgs84"), "crs" },
        };
        var photo = new ByteArrayContent(TestPhotos.Jpeg(64, 48));
        photo.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        content.Add(photo, "photos", "photo.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = content };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("D"));
        return await client.SendAsync(request, CancellationToken.None);
    }

    /// <summary>Runs an operator command of the built server as a child process; returns its exit code and everything it printed.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string dll, Dictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"{await stdout}{await stderr}");
    }

    private static async Task<T> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, Task<T>> read)
    {
        await using (connection)
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(Ct);
            return await read(reader);
        }
    }

    private static Task<(string Id, string SealedName)> FirstResidentAsync(DbConnection connection) =>
        QueryAsync(connection, """SELECT "Id", "SealedName" FROM residents ORDER BY "Id" LIMIT 1""", async reader =>
        {
            Assert.True(await reader.ReadAsync(Ct), "The demo has residents.");
            return (reader.GetValue(0).ToString()!, reader.GetString(1));
        });

    private static Task<HashSet<string>> NumbersAsync(DbConnection connection) =>
        QueryAsync(connection, """SELECT "Number" FROM cases""", async reader =>
        {
            var numbers = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(Ct))
            {
                numbers.Add(reader.GetString(0));
            }

            return numbers;
        });

    private static Task<List<(Guid Id, bool OfTheDrill)>> PhotosAsync(DbConnection connection) =>
        QueryAsync(connection, $"""SELECT p."Id", c."Description" LIKE '{Marker} %' FROM case_photos p JOIN cases c ON c."Id" = p."CaseId" """, async reader =>
        {
            var photos = new List<(Guid, bool)>();
            while (await reader.ReadAsync(Ct))
            {
                photos.Add((Guid.Parse(reader.GetValue(0).ToString()!), Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture)));
            }

            return photos;
        });

    private static async Task<Dictionary<string, long>> CountAsync(DbConnection connection, IEnumerable<string> tables)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (connection)
        {
            await connection.OpenAsync(Ct);
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
            }
        }

        return counts;
    }
}

public sealed class RestoreDrillTestsOnSqlite(SqliteTemplate template, ITestOutputHelper output) : RestoreDrillTests(output)
{
    protected override Task<Dictionary<string, string>> PrepareAsync(string dataDirectory)
    {
        template.CopyTo(dataDirectory);
        return Task.FromResult(new Dictionary<string, string> { ["Database__Provider"] = "Sqlite" });
    }

    protected override Task<Dictionary<string, string>> FreshDatabaseAsync() =>
        Task.FromResult(new Dictionary<string, string> { ["Database__Provider"] = "Sqlite" });

    protected override DbConnection Connect(Dictionary<string, string> settings, string dataDirectory) =>
        new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "civicgrid.db")};Pooling=False");

    protected override Task CleanUpAsync() => Task.CompletedTask;
}

public sealed class RestoreDrillTestsOnPostgres(PostgresTemplate template, ITestOutputHelper output) : RestoreDrillTests(output)
{
    private readonly string _source = "civicgrid_drill_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _restored = "civicgrid_restored_" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task<Dictionary<string, string>> PrepareAsync(string dataDirectory)
    {
        template.CopyTo(dataDirectory);
        await template.CloneAsync(_source);
        return Settings(_source);
    }

    protected override async Task<Dictionary<string, string>> FreshDatabaseAsync()
    {
        await template.Server.CreateDatabaseAsync(_restored);
        return Settings(_restored);
    }

    protected override DbConnection Connect(Dictionary<string, string> settings, string dataDirectory) =>
        new NpgsqlConnection(settings["Database__ConnectionString"]);

    protected override async Task CleanUpAsync()
    {
        await template.DropAsync(_source);
        await template.DropAsync(_restored);
    }

    private Dictionary<string, string> Settings(string database) => new()
    {
        ["Database__Provider"] = "Postgres",
        ["Database__ConnectionString"] = template.Server.ConnectionString(database),
    };
}
