using System.Globalization;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>
/// Cases made through the domain (the constructor and the workflow's verbs) and stored through the real context, for
/// tests of the read side. Each test tags its cases with a unique token in the title, so filters can single them out
/// among the 12,400 demo cases and other tests' cases.
/// </summary>
internal sealed class TestCases(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Token() => "QT" + Guid.NewGuid().ToString("N")[..10];

    public static string NewNumber() => "7" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>A staff actor with one role at a scope node, not stored (the verbs check roles and scope, not accounts).</summary>
    public static Actor Staff(Role role, string scopeCode, string name = "测试人员")
    {
        var id = Guid.NewGuid();
        return new Actor(id, name, new HashSet<Role> { role }, new Scope(scopeCode, false, id));
    }

    /// <summary>Staff of the level that owns a case of this colour in this grid.</summary>
    public static Actor OwnerOf(string gridCode, CaseTier tier) => Staff(tier switch
    {
        CaseTier.Green => Role.GridLeader,
        CaseTier.Yellow => Role.CommunityStaff,
        CaseTier.Blue => Role.SubdistrictOperator,
        _ => Role.DistrictViewer,
    }, CaseRules.OwnerCodeOf(gridCode, tier), "负责人");

    /// <summary>The first territorial grid of a level under a code (or after skipping some), with a point inside it.</summary>
    public Task<(string Code, Point Point)> GridAsync(string under, GridLevel level, int skip = 0) => app.WithDatabaseAsync(async db =>
    {
        var grid = await db.Grids.AsNoTracking()
            .Where(g => g.Code.StartsWith(under) && g.Level == level && g.Kind == GridKind.Territorial)
            .OrderBy(g => g.Code).Skip(skip).FirstAsync(Ct);
        var inside = grid.Boundary.InteriorPoint;
        return (grid.Code, new Point(inside.X, inside.Y) { SRID = 4326 });
    });

    public Task<UserAccount> UserAsync(string userName) => app.WithDatabaseAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName, Ct));

    /// <summary>Reports a case (at the grid's interior point unless told) and walks it with <paramref name="walk"/>, then stores it.</summary>
    public async Task<Case> AddAsync(string gridCode, string title, Action<Case>? walk = null, CaseTier tier = CaseTier.Green,
        string category = "E0101", CaseChannel channel = CaseChannel.GridPatrol, Guid? reporterId = null, string? reporterName = null,
        string? reporterPhone = null, DateTimeOffset? reportedAt = null, Point? location = null, string description = "测试用案件描述")
    {
        var point = location ?? (await app.WithDatabaseAsync(db => db.Grids.AsNoTracking().Where(g => g.Code == gridCode)
            .Select(g => g.Boundary).FirstAsync(Ct))).InteriorPoint;
        var subject = new Case(NewNumber(), category, title, description, new Point(point.X, point.Y), gridCode, tier, channel, reporterId,
            (reportedAt ?? DateTimeOffset.UtcNow.AddHours(-1)).ToUniversalTime(), reporterName)
        {
            ReporterPhone = reporterPhone,
        };
        walk?.Invoke(subject);
        return await app.WithDatabaseAsync(async db =>
        {
            db.Cases.Add(subject);
            await db.SaveChangesAsync(Ct);
            return subject;
        });
    }
}
