using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// A person assessed as a grid worker: their account, the roles the catalogue's worker indicators are chosen by, their grid
/// (the account's scope; a sunk liaison's first grid of the period in the caller's scope) and, when the account is linked
/// to the roster, the roster member and their spells on duty.
/// </summary>
/// <param name="Duty">The member's grid assignments as spells; null when the account is not on the roster.</param>
public sealed record AssessedPerson(Guid UserId, string Name, IReadOnlyList<Role> Roles, string GridCode, bool IsLiaison, Guid? MemberId,
    IReadOnlyList<DutySpell>? Duty)
{
    public bool Walks => Roles.Contains(Role.GridWorker) || Roles.Contains(Role.GridLeader);

    public WalkerFacts AsWalker => new(UserId, Name, Duty);
}

/// <summary>Reads the people of the caller's scope who are assessed as grid workers, in a few set-based queries.</summary>
public static class AssessmentPeople
{
    /// <summary>The roles a person is assessed in (网格员、网格长、微网格员、下沉人员).</summary>
    public static readonly Role[] WorkerRoles = [Role.GridWorker, Role.GridLeader, Role.MicroGridWorker, Role.DepartmentLiaison];

    /// <summary>
    /// The accounts in the caller's scope holding a grid worker's, leader's or volunteer's role (active, or deactivated during
    /// the period), and the department liaisons sunk into the scope's grids during it (their accounts sit with their department,
    /// so they are read by id across scopes), each linked to their roster member when one carries their account.
    /// </summary>
    /// <param name="subtree">Only the accounts scoped inside this grid's subtree and the liaisons sunk into it, when given (the
    /// people a grid's figures count); a liaison's grid is then their first grid inside it.</param>
    /// <param name="person">Only this account, when given (one worker's scorecard): the same person the whole scope reads.</param>
    public static async Task<List<AssessedPerson>> ReadAsync(CivicGridDbContext db, AssessmentPeriod period, DateTimeOffset start, CancellationToken ct,
        string? subtree = null, Guid? person = null)
    {
        var since = start.ToUniversalTime();
        var users = db.Users.AsNoTracking().InSubtree(u => u.ScopeCode, subtree);
        var attached = db.LiaisonAttachments.AsNoTracking().InSubtree(a => a.GridCode, subtree);
        if (person is { } one)
        {
            users = users.Where(u => u.Id == one);
            attached = attached.Where(a => a.UserId == one);
        }

        var accounts = await users
            .Where(u => u.Roles.Contains(Role.GridWorker) || u.Roles.Contains(Role.GridLeader) || u.Roles.Contains(Role.MicroGridWorker))
            .Where(u => u.IsActive || u.DeactivatedAt >= since)
            .Select(u => new { u.Id, u.DisplayName, u.Roles, u.ScopeCode }).ToListAsync(ct);
        var attachments = await attached
            .Where(a => a.StartsOn <= period.To && (a.EndsOn == null || a.EndsOn >= period.From))
            .Select(a => new { a.UserId, a.GridCode }).ToListAsync(ct);
        var liaisonGrids = attachments.GroupBy(a => a.UserId)
            .ToDictionary(g => g.Key, g => g.Select(a => a.GridCode).Order(StringComparer.Ordinal).First());
        var liaisonIds = liaisonGrids.Keys.ToList();
        var liaisons = new List<(Guid Id, string Name)>();
        foreach (var chunk in liaisonIds.Chunk(500))
        {
            liaisons.AddRange((await db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => chunk.Contains(u.Id))
                .Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct)).Select(u => (u.Id, u.DisplayName)));
        }

        var members = db.RosterMembers.AsNoTracking().Where(m => m.UserId != null);
        if (subtree is not null || person is not null)
        {
            // Only the roster entries of the people read (their accounts), by the index on the account.
            var read = accounts.Select(u => (Guid?)u.Id).Concat(liaisonIds.Select(id => (Guid?)id)).Distinct().ToList();
            members = members.Where(m => read.Contains(m.UserId));
        }

        // In a stable order, so that an account on the roster twice is linked to the same member however many are read.
        var roster = (await members.OrderBy(m => m.Id)
                .Select(m => new { m.Id, m.UserId, Spells = m.Assignments.Select(a => new { a.StartOn, a.EndOn }).ToList() }).ToListAsync(ct))
            .GroupBy(m => m.UserId!.Value).ToDictionary(g => g.Key, g => g.First());

        AssessedPerson Person(Guid id, string name, IReadOnlyList<Role> roles, string grid, bool liaison) => roster.TryGetValue(id, out var member)
            ? new AssessedPerson(id, name, roles, grid, liaison, member.Id, [.. member.Spells.Select(s => new DutySpell(s.StartOn, s.EndOn))])
            : new AssessedPerson(id, name, roles, grid, liaison, null, null);

        var people = accounts.Select(u => Person(u.Id, u.DisplayName, [.. WorkerRoles.Where(u.Roles.Contains)], u.ScopeCode, false)).ToList();
        var listed = people.Select(p => p.UserId).ToHashSet();
        people.AddRange(liaisons.Where(l => !listed.Contains(l.Id))
            .Select(l => Person(l.Id, l.Name, [Role.DepartmentLiaison], liaisonGrids[l.Id], true)));
        return [.. people.OrderBy(p => p.GridCode, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.UserId)];
    }

    /// <summary>The territorial level of a grid code by its length; null for a dedicated grid or a coarser node.</summary>
    public static GridLevel? LevelOf(string code) => code.Length switch
    {
        GridCodes.MicroLength => GridLevel.Micro,
        GridCodes.ThirdLength => GridLevel.Third,
        GridCodes.SecondLength => GridLevel.Second,
        _ => null,
    };
}
