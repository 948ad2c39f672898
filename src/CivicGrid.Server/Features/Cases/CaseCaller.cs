using System.Linq.Expressions;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases;

/// <summary>
/// The signed-in caller as the case queries need them: the workflow's <see cref="Actor"/> (with the department a
/// liaison works for, which the token does not carry) and what "mine" and "owned at my level" mean for them.
/// Scope itself is not decided here: every query still runs through the context's query filter.
/// </summary>
public sealed record CaseCaller(Actor Actor, string UserName)
{
    public Guid UserId => Actor.UserId;

    /// <summary>Holds a role that works cases for a level (grid, community, subdistrict, district).</summary>
    public bool IsCaseWorker => Actor.Roles.Any(CaseRules.CaseWorkingRoles.Contains);

    public bool IsResident => Actor.Scope.OwnRecordsOnly;

    /// <summary>The department whose assignments this caller handles: a liaison's organisation, else none.</summary>
    public Guid? HandlesForDepartment => Actor.HasRole(Role.DepartmentLiaison) ? Actor.DepartmentId : null;

    /// <summary>Loads the caller's account (their own row, which their scope always covers); null when it is gone.</summary>
    public static async Task<CaseCaller?> LoadAsync(ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        if (principal.GetUserId() is not { } id)
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? null : new CaseCaller(Actor.Of(user), user.UserName);
    }

    /// <summary>Cases assigned to this caller in person, or, for a liaison, to their department.</summary>
    public Expression<Func<Case, bool>> AssignedToMe()
    {
        var userId = UserId;
        if (HandlesForDepartment is { } department)
        {
            return c => c.AssigneeUserId == userId || c.AssigneeDepartmentId == department;
        }

        return c => c.AssigneeUserId == userId;
    }

    /// <summary>
    /// Cases whose owner (<see cref="CaseRules.OwnerCodeOf"/>: green → 3rd-level grid, yellow → community, blue →
    /// subdistrict, red → district) sits at exactly the level of this caller's scope node. Combined with the scope filter
    /// (the case lies in the caller's subtree) that is "owned by my node". Nothing for callers who are not case workers.
    /// </summary>
    public Expression<Func<Case, bool>> OwnedAtMyLevel() => IsCaseWorker ? OwnedAt(Actor.Scope.Code.Length) : _ => false;

    /// <summary>The SQL-translatable form of "OwnerCodeOf(case).Length == <paramref name="level"/>", for cases inside that node.</summary>
    internal static Expression<Func<Case, bool>> OwnedAt(int level) => level switch
    {
        GridCodes.DistrictLength => c => c.Tier == CaseTier.Red,
        GridCodes.SubdistrictLength => c => c.Tier == CaseTier.Blue,
        GridCodes.CommunityLength => c => c.Tier == CaseTier.Yellow || (c.Tier == CaseTier.Green && c.GridCode.Length == GridCodes.CommunityLength),
        GridCodes.ThirdLength => c => c.Tier == CaseTier.Green,
        GridCodes.SecondLength or GridCodes.DedicatedLength => c => c.Tier == CaseTier.Green && c.GridCode.Length == level,
        _ => _ => false,
    };
}
