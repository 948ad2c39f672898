using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>The demo staff a test case is worked by: leader01 owns it (green), worker01 handles it, community01 is the community above.</summary>
public sealed record CaseCrew(Actor Leader, Actor Worker, UserAccount WorkerAccount, string MicroGridCode);

/// <summary>
/// Cases for tests, made with the domain constructor and verbs and stored through the real context (the intake
/// endpoint is not part of these tests). Numbers start with 6 so they never meet the demo's or other tests'.
/// </summary>
public static class CrewCases
{
    public static string NewNumber() =>
        "6" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Task<CaseCrew> CrewAsync(CivicGridApp app, CancellationToken ct) => app.WithDatabaseAsync(async db =>
    {
        var leader = await db.Users.SingleAsync(u => u.UserName == "leader01", ct);
        var worker = await db.Users.SingleAsync(u => u.UserName == "worker01", ct);
        var grid = await db.Grids.Where(g => g.ParentCode == leader.ScopeCode).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(ct);
        return new CaseCrew(Actor.Of(leader), Actor.Of(worker), worker, grid);
    });

    /// <summary>Reports a green case in leader01's grid at <paramref name="reportedAt"/>, applies <paramref name="steps"/>, and stores it.</summary>
    public static async Task<Case> CreateAsync(CivicGridApp app, CaseCrew crew, DateTimeOffset reportedAt, Guid? reporterId = null, string? reporterPhone = null,
        Action<Case>? steps = null, CaseTier tier = CaseTier.Green, string categoryCode = "E0101")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var point = (await db.Grids.FirstAsync(g => g.Code == crew.MicroGridCode)).Boundary.InteriorPoint;
        var subject = new Case(NewNumber(), categoryCode, "测试：暴露垃圾", "楼下垃圾无人清运", new Point(point.X, point.Y), crew.MicroGridCode,
            tier, CaseChannel.GridPatrol, reporterId, reportedAt, reporterId is null ? "测试上报人" : null)
        {
            ReporterPhone = reporterPhone,
        };
        steps?.Invoke(subject);
        db.Cases.Add(subject);
        await db.SaveChangesAsync();
        return subject;
    }

    /// <summary>Loads the case in a new context, applies <paramref name="change"/>, and saves.</summary>
    public static async Task<Case> ChangeAsync(CivicGridApp app, string number, Action<Case> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var subject = await db.Cases.SingleAsync(c => c.Number == number);
        change(subject);
        await db.SaveChangesAsync();
        return subject;
    }

    public static Task<Case> ReadAsync(CivicGridApp app, string number) =>
        app.WithDatabaseAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Number == number));

    /// <summary>A random mobile number nobody else in the test run uses.</summary>
    public static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
