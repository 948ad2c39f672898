using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.LocationQueue;

/// <summary>An ambiguous case offered to one of the caller's grids.</summary>
/// <param name="IsBest">This grid gets the case at the deadline if nobody claims it.</param>
public sealed record LocationOffer(string CaseNumber, string GridCode, bool IsBest, double Share, string Title, string CategoryCode, double Lon,
    double Lat, DateTimeOffset ReportedAt, DateTimeOffset DueAt, IReadOnlyList<string> OtherCandidates);

public sealed record ClaimLocationRequest(string? GridCode);

/// <summary>
/// The "confirm location" queue: a report near a boundary is offered to every candidate grid; the first one's staff
/// to claim it take it, the others see it leave; at the deadline the router's best candidate gets it
/// (<see cref="ExpireDueAsync"/>, run by the deadline jobs).
/// </summary>
public static class LocationQueueApi
{
    public static IEndpointRouteBuilder MapLocationQueueApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/cases/to-confirm", List).RequireAuthorization().WithTags("Cases").WithName("ListLocationOffers")
            .WithSummary("Ambiguous cases offered to the caller's grids, oldest first: claim one if it is yours.");
        routes.MapPost("/api/cases/{number}/location/claim", Claim).RequireAuthorization().WithTags("Case workflow").WithName("ClaimCaseLocation")
            .WithSummary("认领: take an ambiguous case for one of its candidate grids (the first claim wins).");
        return routes;
    }

    public static async Task<Ok<List<LocationOffer>>> List(CivicGridDbContext db, CancellationToken ct)
    {
        var offers = await db.LocationClaims.AsNoTracking().Where(c => c.ResolvedAt == null).OrderBy(c => c.DueAt).ThenBy(c => c.CaseNumber).Take(500).ToListAsync(ct);
        var caseIds = offers.Select(o => o.CaseId).Distinct().ToList();

        // A case accepted, moved or escalated by its current grid has settled without a claim: it leaves the queue too.
        var pending = await db.Cases.IgnoreQueryFilters().AsNoTracking().Where(c => caseIds.Contains(c.Id) && c.LocationConfirmDueAt != null)
            .Select(c => c.Id).ToListAsync(ct);
        offers.RemoveAll(o => !pending.Contains(o.CaseId));

        // The other candidates' codes only (not their staff or cases): enough to ask "which side of the street?".
        var all = await db.LocationClaims.IgnoreQueryFilters().AsNoTracking().Where(c => caseIds.Contains(c.CaseId))
            .Select(c => new { c.CaseId, c.GridCode }).ToListAsync(ct);
        return TypedResults.Ok(offers.Select(o => new LocationOffer(o.CaseNumber, o.GridCode, o.IsBest, o.Share, o.Title, o.CategoryCode, o.Lon, o.Lat,
            o.ReportedAt, o.DueAt, [.. all.Where(a => a.CaseId == o.CaseId && a.GridCode != o.GridCode).Select(a => a.GridCode)])).ToList());
    }

    public static async Task<Results<Ok<CaseState>, ProblemHttpResult>> Claim(string number, ClaimLocationRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        // The offer must be visible to the caller (scoped by the candidate grid); the case itself may not be yet.
        var offers = await db.LocationClaims.AsNoTracking().Where(c => c.CaseNumber == number).ToListAsync(ct);
        if (offers.Count == 0)
        {
            return CaseActing.NotFound(number);
        }

        var offer = request.GridCode is null && offers.Count == 1 ? offers[0] : offers.SingleOrDefault(o => o.GridCode == request.GridCode);
        if (offer is null)
        {
            return Problems.Validation("gridCode", "请指明认领到您的哪个候选网格 gridCode。");
        }

        if (offer.ResolvedAt is not null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, CaseActing.ConflictType, "The case was already claimed.",
                $"案件 {number} 已由{(offer.ResolvedToGridCode == offer.GridCode ? "本网格" : "其他网格")}认领。");
        }

        var subject = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Id == offer.CaseId, ct);
        var actor = await CaseActing.ActorOfAsync(caller, db, ct);
        return await CaseActing.RunAsync(subject, actor, db, time, async (c, a, now) =>
        {
            c.ConfirmLocation(a, c.Version, now, offer.GridCode, automatic: false);
            await ResolveAsync(db, c.Id, offer.GridCode, now, ct);
            return null;
        }, ct);
    }

    /// <summary>
    /// Gives every case whose confirmation deadline has passed to its best candidate (its current grid), as the system.
    /// Safe to run on several instances at once: a case changed by another run fails its version check and is skipped.
    /// </summary>
    /// <returns>How many cases were settled by this run.</returns>
    public static async Task<int> ExpireDueAsync(CivicGridDbContext db, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow();
        var due = await db.Cases.IgnoreQueryFilters().Where(c => c.LocationConfirmDueAt != null && c.LocationConfirmDueAt <= now)
            .OrderBy(c => c.LocationConfirmDueAt).Select(c => c.Id).Take(200).ToListAsync(ct);
        var settled = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            var subject = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Id == id, ct);
            try
            {
                subject.ConfirmLocation(Actor.System, subject.Version, now, subject.GridCode, automatic: true);
                await ResolveAsync(db, subject.Id, subject.GridCode, now, ct);
                await db.SaveChangesAsync(ct);
                settled++;
            }
            catch (Exception e) when (e is CaseRuleException or DbUpdateException)
            {
                logger.LogInformation("Case {Number} was settled elsewhere while its location timed out: {Reason}", subject.Number, e.Message);
            }
        }

        db.ChangeTracker.Clear();
        return settled;
    }

    private static async Task ResolveAsync(CivicGridDbContext db, Guid caseId, string toGridCode, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.LocationClaims.IgnoreQueryFilters().Where(c => c.CaseId == caseId && c.ResolvedAt == null).ToListAsync(ct);
        foreach (var row in rows)
        {
            row.ResolvedAt = now;
            row.ResolvedToGridCode = toGridCode;
        }
    }
}
