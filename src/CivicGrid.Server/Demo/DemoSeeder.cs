using System.Diagnostics;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Demo;

/// <summary>Writes the generated demo subdistrict into an empty database.</summary>
public sealed class DemoSeeder(CivicGridDbContext db, IPasswordHasher<UserAccount> hasher, TimeProvider time, ILogger<DemoSeeder> logger)
{
    /// <summary>Seeds when the database has no grids; returns false (and changes nothing) otherwise.</summary>
    public async Task<bool> SeedAsync(string password, int seed, CancellationToken ct)
    {
        if (await db.Grids.IgnoreQueryFilters().AnyAsync(ct))
        {
            return false;
        }

        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var data = DemoSubdistrictGenerator.Generate(today, seed);
        var generated = clock.Elapsed;

        // One hash for every demo account: they share the demo password by design, and hashing
        // over a thousand accounts one by one would add a minute to the first start.
        var hash = hasher.HashPassword(data.Users[0], password);
        foreach (var user in data.Users)
        {
            user.ChangePassword(hash, now);
        }

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Grids.AddRange(data.Grids);
        db.Organisations.AddRange(data.Organisations);
        // The catalogue is seeded for every installation at start; the demo adds only what is missing.
        var known = await db.CaseCategories.Select(c => c.Code).ToListAsync(ct);
        db.CaseCategories.AddRange(data.Categories.Where(c => !known.Contains(c.Code)));
        await db.SaveChangesAsync(ct);
        db.Compounds.AddRange(data.Compounds);
        db.Users.AddRange(data.Users);
        await db.SaveChangesAsync(ct);
        db.Buildings.AddRange(data.Buildings);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        // A year of cases with their timelines, in chunks: the change tracker of all of them at once
        // costs hundreds of megabytes for nothing.
        foreach (var chunk in data.Cases.Chunk(2_000))
        {
            db.Cases.AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        // Intake numbers its cases from each day's counter: continue after the demo's numbers.
        db.CaseNumberCounters.AddRange(data.Cases.GroupBy(c => c.Number[..8])
            .Select(g => new Features.Cases.CaseNumberCounter { Day = g.Key, Last = g.Max(c => int.Parse(c.Number[8..], System.Globalization.CultureInfo.InvariantCulture)) }));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;

        logger.LogInformation(
            "Demo subdistrict loaded: {Grids} grids, {Compounds} compounds, {Buildings} buildings, {Users} accounts, {Cases} cases (generated in {Generated} ms, stored in {Stored} ms)",
            data.Grids.Count, data.Compounds.Count, data.Buildings.Count, data.Users.Count, data.Cases.Count,
            (int)generated.TotalMilliseconds, (int)(clock.Elapsed - generated).TotalMilliseconds);
        return true;
    }
}
