using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>One grid's figures for the period.</summary>
/// <param name="ProjectsActive">Projects planted in (or above) the grid that ran during the period.</param>
/// <param name="ClaimsInForce">Claims in the grid in force on any day of the period.</param>
public sealed record GridFigures(string GridCode, string GridName, int NeedsRaised, int NeedsMet, int ProjectsActive, int ProjectParticipants,
    int ProjectBeneficiaries, int ClaimsInForce, int Fulfilments, int CouncilsHeld);

/// <summary>One account's figures for the period: needs they raised (and how many of those were met) and councils they recorded.</summary>
public sealed record PersonFigures(Guid UserId, string Name, int NeedsRaised, int NeedsMet, int CouncilsRecorded);

/// <summary>One claimer's figures: claims in force during the period and fulfilments recorded in it.</summary>
public sealed record ClaimerFigures(Guid ClaimerId, string Name, ClaimerKind Kind, int ClaimsInForce, int Fulfilments);

/// <param name="Level">The grid level the rows are grouped by: community, grid-2, grid-3 or micro.</param>
public sealed record GridAffairsFigures(DateOnly From, DateOnly To, string Level, IReadOnlyList<GridFigures> Grids, IReadOnlyList<PersonFigures> People,
    IReadOnlyList<ClaimerFigures> Claimers);

/// <summary>
/// The figures the five-star assessment reads (needs raised and met, projects with participants and beneficiaries, claims and
/// fulfilment, councils held) per grid, per person and per claimer for a period, inside the caller's scope.
/// </summary>
public static class FiguresApi
{
    public static IEndpointRouteBuilder MapGridAffairsFiguresApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/grid-affairs/figures", Get).WithTags("Grid affairs").RequireAuthorization(p => p.RequireRole(GridAffairsRules.Readers))
            .WithName("GetGridAffairsFigures")
            .WithSummary("Needs raised/met, projects and their people, claims and fulfilments, councils held: per grid (level), per person and per claimer, from–to (Beijing dates, default the last 30 days).");
        return routes;
    }

    public static IReadOnlyList<string> Levels { get; } = ["community", "grid-2", "grid-3", "micro"];

    public static async Task<Results<Ok<GridAffairsFigures>, ProblemHttpResult>> Get(DateOnly? from, DateOnly? to,
        [ApiValues(typeof(FiguresApi), nameof(Levels))] string? level, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var end = to ?? GridAffairsRules.Today(time);
        var start = from ?? end.AddDays(-29);
        GridAffairsRules.Dates(start, end, errors);
        if (end.DayNumber - start.DayNumber > 366)
        {
            errors["from"] = ["统计期间最长一年。"];
        }

        var levelName = level ?? "grid-3";
        var gridLevel = levelName switch
        {
            "community" => GridLevel.Community,
            "grid-2" => GridLevel.Second,
            "grid-3" => GridLevel.Third,
            "micro" => GridLevel.Micro,
            _ => (GridLevel?)null,
        };
        if (gridLevel is null)
        {
            errors["level"] = ["统计层级须为 community、grid-2、grid-3 或 micro。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var startAt = GridAffairsRules.StartOfDay(start);
        var endAt = GridAffairsRules.StartOfDay(end.AddDays(1));
        var raised = await db.Needs.AsNoTracking().Where(n => n.RaisedAt >= startAt && n.RaisedAt < endAt)
            .Select(n => new { n.GridCode, n.RaisedBy, Met = n.Status == NeedStatus.Met }).ToListAsync(ct);
        var met = await db.Needs.AsNoTracking().Where(n => n.MetAt >= startAt && n.MetAt < endAt).Select(n => n.GridCode).ToListAsync(ct);
        var projects = (await db.GridProjects.AsNoTracking().Where(p => p.StartOn <= end && (p.EndOn == null || p.EndOn >= start)
            && p.Status != ProjectStatus.Cancelled).ToListAsync(ct));
        var claims = (await db.Claims.AsNoTracking().Where(c => c.StartOn <= end && c.EndOn >= start).ToListAsync(ct))
            .Where(c => c.EndedOn is null || c.EndedOn > start).ToList();
        var councils = await db.CourtyardCouncils.AsNoTracking().Where(c => c.HeldOn >= start && c.HeldOn <= end)
            .Select(c => new { c.GridCode, c.RecordedBy }).ToListAsync(ct);

        var at = gridLevel!.Value;
        string Key(string code) => GridAffairsRules.AtLevel(code, at);
        var snapshot = await geography.GetAsync(ct);
        var rows = new Dictionary<string, int[]>(StringComparer.Ordinal);
        int[] Row(string code) => rows.TryGetValue(code, out var r) ? r : rows[code] = new int[8];
        foreach (var n in raised)
        {
            Row(Key(n.GridCode))[0]++;
        }

        foreach (var code in met)
        {
            Row(Key(code))[1]++;
        }

        foreach (var p in projects)
        {
            // A project counts once in every grid it is planted in (at the level asked).
            foreach (var code in p.GridCodes.Select(Key).Distinct())
            {
                var row = Row(code);
                row[2]++;
                row[3] += p.Participants;
                row[4] += p.Beneficiaries;
            }
        }

        foreach (var c in claims)
        {
            var row = Row(Key(c.GridCode));
            row[5]++;
            row[6] += c.Fulfilments.Count(f => f.On >= start && f.On <= end);
        }

        foreach (var c in councils)
        {
            Row(Key(c.GridCode))[7]++;
        }

        var grids = rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new GridFigures(r.Key, GridAffairsRules.GridName(snapshot, r.Key), r.Value[0],
            r.Value[1], r.Value[2], r.Value[3], r.Value[4], r.Value[5], r.Value[6], r.Value[7])).ToList();

        var names = await GridAffairsRules.UserNamesAsync(db, raised.Select(n => n.RaisedBy).Concat(councils.Select(c => c.RecordedBy)), ct);
        var people = names.Select(u => new PersonFigures(u.Key, u.Value, raised.Count(n => n.RaisedBy == u.Key), raised.Count(n => n.RaisedBy == u.Key && n.Met),
            councils.Count(c => c.RecordedBy == u.Key))).OrderByDescending(p => p.NeedsRaised + p.CouncilsRecorded).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var claimers = claims.GroupBy(c => (c.ClaimerId, c.ClaimerKind)).Select(g => new ClaimerFigures(g.Key.ClaimerId, g.First().ClaimerName, g.Key.ClaimerKind,
            g.Count(), g.Sum(c => c.Fulfilments.Count(f => f.On >= start && f.On <= end)))).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new GridAffairsFigures(start, end, levelName, grids, people, claimers));
    }
}
