using System.Net;
using System.Net.Http.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Personal data at rest (issue 21, ADR 0019) on each provider: a caller's phone and name are not in the database in
/// clear (read back through a plain SQL command, not the model), yet the API answers them masked, reveals them with a
/// reason, finds the case by the exact phone; a key rotation re-seals every column and everything still reads; rows kept
/// in clear by an older version are sealed by the start-up pass.
/// </summary>
public abstract class FieldEncryptionTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    /// <summary>A mobile number no demo record or other test uses.</summary>
    private static string Phone() => "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A staff member types in a call: the caller's name and phone. Returns the case number and the staff client.</summary>
    private async Task<(string Number, HttpClient Staff)> PhoneEntryAsync(string callerName, string phone)
    {
        var place = await _scenario.CertainPlaceAsync();
        var (communityName, _) = await _scenario.UserAtAsync(place.GridCode[..12], Role.CommunityStaff);
        var staff = await app.ClientForAsync(communityName);
        var fields = ReportFields(place.Lon, place.Lat, "C0101", "来电反映：楼道灯坏了。");
        fields["callerName"] = callerName;
        fields["phone"] = phone;
        var created = await ReportAsync(staff, fields);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await JsonAsync(created)).GetProperty("number").GetString()!, staff);
    }

    /// <summary>One column of one row as the database holds it, read with a plain SQL command (no model, no converter).</summary>
    private Task<string?> RawAsync(string sql, string number) => app.WithDatabaseAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@number";
            parameter.Value = number;
            command.Parameters.Add(parameter);
            return await command.ExecuteScalarAsync(Ct) as string;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    });

    private Task<string?> RawPhoneAsync(string number) => RawAsync("SELECT \"ReporterPhone\" FROM cases WHERE \"Number\" = @number", number);

    private Task<string?> RawCallerAsync(string number) => RawAsync(
        "SELECT t.\"ActorName\" FROM case_timeline t JOIN cases c ON c.\"Id\" = t.\"CaseId\" WHERE c.\"Number\" = @number AND t.\"Sequence\" = 1", number);

    private Task<int> ExecuteAsync(string sql) => app.WithDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(sql, Ct));

    [Fact]
    public async Task PhoneEntry_KeepsTheCallersPhoneAndName_SealedAtRest_AndTheApiStillMasksAndReveals()
    {
        var phone = Phone();
        var (number, staff) = await PhoneEntryAsync("欧阳娜娜", phone);
        using var _ = staff;

        var rawPhone = await RawPhoneAsync(number);
        var rawCaller = await RawCallerAsync(number);
        Assert.NotNull(rawPhone);
        Assert.DoesNotContain(phone, rawPhone, StringComparison.Ordinal);
        Assert.True(FieldVault.IsSealed(rawPhone), rawPhone);
        Assert.NotNull(rawCaller);
        Assert.DoesNotContain("欧阳", rawCaller, StringComparison.Ordinal);
        Assert.True(FieldVault.IsSealed(rawCaller), rawCaller);

        // The model reads the clear values; the timeline's hash chain (over the clear name) still holds.
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(phone, stored.ReporterPhone);
        Assert.StartsWith("欧阳娜娜（", stored.Timeline[0].ActorName, StringComparison.Ordinal);
        var timeline = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases/{number}/timeline", UriKind.Relative), Ct));
        Assert.True(timeline.GetProperty("intact").GetBoolean());

        var detail = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases/{number}", UriKind.Relative), Ct));
        Assert.Equal(Masking.Phone(phone), detail.GetProperty("reporterPhone").GetString());
        Assert.Equal("欧***", detail.GetProperty("reporterName").GetString());
        var revealed = await JsonAsync(await staff.PostAsJsonAsync($"/api/cases/{number}/personal-data", new { reason = "回电核实" }, Ct));
        Assert.Equal(phone, revealed.GetProperty("reporterPhone").GetString());
        Assert.Equal("欧阳娜娜", revealed.GetProperty("reporterName").GetString());
    }

    [Fact]
    public async Task CaseList_FindsACaseByTheCallersExactPhone_ThroughTheBlindIndex_NotByAPart()
    {
        var phone = Phone();
        var (number, staff) = await PhoneEntryAsync("李四", phone);
        using var _ = staff;

        var found = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases?text={phone}", UriKind.Relative), Ct));
        Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("number").GetString() == number);
        var spaced = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases?text={phone[..3]}%20{phone[3..7]}%20{phone[7..]}", UriKind.Relative), Ct));
        Assert.Contains(spaced.GetProperty("items").EnumerateArray(), c => c.GetProperty("number").GetString() == number);
        var part = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases?text={phone[..9]}", UriKind.Relative), Ct));
        Assert.DoesNotContain(part.GetProperty("items").EnumerateArray(), c => c.GetProperty("number").GetString() == number);
    }

    [Fact]
    public async Task RotateKey_ResealsEveryColumn_AndCasesStillRead_RevealAndSearch()
    {
        var phone = Phone();
        var (number, staff) = await PhoneEntryAsync("周八", phone);
        using var _ = staff;
        var vault = app.Services.GetRequiredService<FieldVault>();
        var before = FieldVault.KeyIdOf((await RawPhoneAsync(number))!);

        var next = vault.AddKey();
        Assert.True(string.CompareOrdinal(next, before) > 0);
        Assert.True(await app.WithDatabaseAsync(db => ColumnSealer.ResealAsync(db, vault, Ct)) > 0);
        Assert.Equal(0, await app.WithDatabaseAsync(db => ColumnSealer.ResealAsync(db, vault, Ct)));

        Assert.Equal(next, FieldVault.KeyIdOf((await RawPhoneAsync(number))!));
        Assert.Equal(next, FieldVault.KeyIdOf((await RawCallerAsync(number))!));
        var stale = await app.WithDatabaseAsync(db => db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM cases WHERE \"ReporterPhone\" IS NOT NULL AND \"ReporterPhone\" NOT LIKE {next + ":%"}").SingleAsync(Ct));
        Assert.Equal(0, stale);
        var revealed = await JsonAsync(await staff.PostAsJsonAsync($"/api/cases/{number}/personal-data", new { reason = "密钥轮换后核对" }, Ct));
        Assert.Equal(phone, revealed.GetProperty("reporterPhone").GetString());
        Assert.Equal("周八", revealed.GetProperty("reporterName").GetString());
        var found = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases?text={phone}", UriKind.Relative), Ct));
        Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("number").GetString() == number);
        var timeline = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases/{number}/timeline", UriKind.Relative), Ct));
        Assert.True(timeline.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task RowsKeptInClearByAnOlderVersion_ReadAsTheyAre_AndTheStartUpPassSealsAndIndexesThem()
    {
        var phone = Phone();
        var (number, staff) = await PhoneEntryAsync("吴九", phone);
        using var _ = staff;
        await ExecuteAsync($"UPDATE cases SET \"ReporterPhone\" = '{phone}', \"ReporterPhoneIndex\" = NULL WHERE \"Number\" = '{number}'");
        Assert.Equal(phone, await RawPhoneAsync(number));

        var detail = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases/{number}", UriKind.Relative), Ct));
        Assert.Equal(Masking.Phone(phone), detail.GetProperty("reporterPhone").GetString());

        await ExecuteAsync($"DELETE FROM system_settings WHERE \"Key\" = '{ColumnSealer.SealedFieldsSetting}'");
        await app.WithDatabaseAsync(async db =>
        {
            await ColumnSealer.SealClearRowsOnceAsync(db, app.Services.GetRequiredService<FieldVault>(), TimeProvider.System, NullLogger.Instance, Ct);
            return 0;
        });

        var sealedPhone = await RawPhoneAsync(number);
        Assert.True(FieldVault.IsSealed(sealedPhone!), sealedPhone);
        var found = await JsonAsync(await staff.GetAsync(new Uri($"/api/cases?text={phone}", UriKind.Relative), Ct));
        Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("number").GetString() == number);
        var marked = await app.WithDatabaseAsync(db => db.SystemSettings.AsNoTracking().SingleAsync(s => s.Key == ColumnSealer.SealedFieldsSetting, Ct));
        Assert.Contains("case.reporterPhone", marked.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffAccountsPhones_RosterAndFollowers_AreSealedAtRest()
    {
        var phone = Phone();
        using var staff = await app.ClientForAsync("community01");
        var created = await staff.PostAsJsonAsync("/api/roster/members",
            new { kind = "micro-volunteer", name = "郑十一", phone, ageBand = "60-69" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetString()!;
        var rawPhone = await RawAsync("SELECT \"Phone\" FROM roster_members WHERE UPPER(CAST(\"Id\" AS TEXT)) = UPPER(@number)", id);
        var rawName = await RawAsync("SELECT \"Name\" FROM roster_members WHERE UPPER(CAST(\"Id\" AS TEXT)) = UPPER(@number)", id);
        Assert.True(FieldVault.IsSealed(rawPhone!), rawPhone);
        Assert.DoesNotContain("郑", rawName!, StringComparison.Ordinal);

        // The same phone again in the community is still refused (the unique index is on the phone's blind index).
        var again = await staff.PostAsJsonAsync("/api/roster/members", new { kind = "micro-volunteer", name = "重复", phone, ageBand = "60-69" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var list = await JsonAsync(await staff.GetAsync(new Uri("/api/roster/members", UriKind.Relative), Ct));
        Assert.Contains(list.EnumerateArray(), m => m.GetProperty("id").GetString() == id && m.GetProperty("name").GetString()!.StartsWith('郑'));

        var user = await app.CreateUserAsync($"fc-{Guid.NewGuid():N}"[..16], "610103099001", Role.CommunityStaff);
        await app.WithDatabaseAsync(async db =>
        {
            var account = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == user.Id, Ct);
            account.PhoneNumber = phone;
            return await db.SaveChangesAsync(Ct);
        });
        var rawAccountPhone = await RawAsync("SELECT \"PhoneNumber\" FROM users WHERE \"UserName\" = @number", user.UserName);
        Assert.True(FieldVault.IsSealed(rawAccountPhone!), rawAccountPhone);
        Assert.Equal(phone, await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == user.Id).Select(u => u.PhoneNumber).SingleAsync(Ct)));
    }
}

public sealed class FieldEncryptionTestsOnSqlite(SqliteApp app) : FieldEncryptionTests(app), IClassFixture<SqliteApp>;

public sealed class FieldEncryptionTestsOnPostgres(PostgresApp app) : FieldEncryptionTests(app), IClassFixture<PostgresApp>;
