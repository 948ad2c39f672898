using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Briefings;

/// <summary>The kinds of worker a briefing (政策宣传) can be addressed to; each is one role.</summary>
public enum BriefingRecipientKind
{
    GridWorker = 1,
    MicroGridWorker = 2,
    GridLeader = 3,
    DepartmentLiaison = 4,
    CommunityStaff = 5,
    PropertyStaff = 6,
}

/// <summary>
/// Who a briefing is for, as the sender chose: grid subtrees, kinds of worker and organisations. The three criteria combine
/// with AND, the values inside one with OR ("grid workers and grid leaders of 和平社区"); a criterion left empty does not
/// narrow. At least one must be given.
/// </summary>
/// <param name="GridCodes">Roots of grid subtrees: a worker is in one when their scope code lies inside it.</param>
/// <param name="OrganisationIds">Departments, property companies…: a worker is in one when their account belongs to it.</param>
public sealed record BriefingAudience(IReadOnlyList<string> GridCodes, IReadOnlyList<BriefingRecipientKind> Kinds, IReadOnlyList<Guid> OrganisationIds)
{
    public bool IsEmpty => GridCodes.Count == 0 && Kinds.Count == 0 && OrganisationIds.Count == 0;
}

/// <summary>An account as the recipient rules see it.</summary>
/// <param name="ScopeCode">The root of the account's subtree: a grid worker's grid, a community staff member's community.</param>
public sealed record BriefingCandidate(Guid UserId, string DisplayName, string ScopeCode, Guid? OrganisationId, IReadOnlyList<Role> Roles, bool IsActive);

/// <summary>A rule an audience broke, named for tests and with the Chinese sentence for the sender.</summary>
/// <param name="Rule">audience-empty, grid-outside-scope or no-recipients.</param>
public sealed record BriefingAudienceProblem(string Rule, string DetailZh);

/// <summary>
/// Turns an audience into the accounts a briefing goes to, once, when it is sent; the list is stored with the briefing so
/// that later changes of roles, grids or organisations do not rewrite who received what.
/// </summary>
public static class BriefingRecipients
{
    public const string AudienceEmpty = "audience-empty";
    public const string GridOutsideScope = "grid-outside-scope";
    public const string NoRecipients = "no-recipients";

    /// <summary>The role each kind stands for.</summary>
    public static Role RoleOf(BriefingRecipientKind kind) => kind switch
    {
        BriefingRecipientKind.GridWorker => Role.GridWorker,
        BriefingRecipientKind.MicroGridWorker => Role.MicroGridWorker,
        BriefingRecipientKind.GridLeader => Role.GridLeader,
        BriefingRecipientKind.DepartmentLiaison => Role.DepartmentLiaison,
        BriefingRecipientKind.CommunityStaff => Role.CommunityStaff,
        BriefingRecipientKind.PropertyStaff => Role.PropertyStaff,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The roles a briefing can reach at all: administrators, residents, operators and district users never receive one.</summary>
    public static IReadOnlySet<Role> AddressableRoles { get; } = Enum.GetValues<BriefingRecipientKind>().Select(RoleOf).ToHashSet();

    /// <summary>
    /// Checks what can be checked without the accounts: an audience with no criterion at all, or a grid outside the sender's
    /// scope (<paramref name="senderScopeCode"/>). Null when neither.
    /// </summary>
    public static BriefingAudienceProblem? Check(BriefingAudience audience, string senderScopeCode)
    {
        ArgumentNullException.ThrowIfNull(audience);
        if (audience.IsEmpty)
        {
            return new BriefingAudienceProblem(AudienceEmpty, "请至少选择一个网格、一类人员或一个单位作为接收范围。");
        }

        var outside = audience.GridCodes.Where(g => !GridCodes.IsWithin(g, senderScopeCode)).ToList();
        return outside.Count == 0
            ? null
            : new BriefingAudienceProblem(GridOutsideScope, $"网格 {string.Join("、", outside)} 不在您的管辖范围内，不能向其发送。");
    }

    /// <summary>
    /// The recipients among <paramref name="candidates"/>, in a stable order (scope code, then name): active accounts inside the
    /// sender's scope, holding a role of one of the chosen kinds (any addressable role when no kind was chosen), inside one of
    /// the chosen grids and belonging to one of the chosen organisations (when chosen); never the sender.
    /// </summary>
    /// <remarks>
    /// A worker scoped above a chosen grid (a department liaison scoped at the subdistrict, when one community is chosen) is
    /// not inside it, so grids narrow to the people who work in them.
    /// </remarks>
    public static IReadOnlyList<BriefingCandidate> Resolve(BriefingAudience audience, string senderScopeCode, Guid senderId,
        IEnumerable<BriefingCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(candidates);
        var roles = audience.Kinds.Count == 0 ? AddressableRoles : audience.Kinds.Select(RoleOf).ToHashSet();
        var organisations = audience.OrganisationIds.ToHashSet();
        return [.. candidates
            .Where(c => c.IsActive && c.UserId != senderId && GridCodes.IsWithin(c.ScopeCode, senderScopeCode))
            .Where(c => c.Roles.Any(roles.Contains))
            .Where(c => audience.GridCodes.Count == 0 || audience.GridCodes.Any(g => GridCodes.IsWithin(c.ScopeCode, g)))
            .Where(c => organisations.Count == 0 || (c.OrganisationId is { } o && organisations.Contains(o)))
            .DistinctBy(c => c.UserId)
            .OrderBy(c => c.ScopeCode, StringComparer.Ordinal).ThenBy(c => c.DisplayName, StringComparer.Ordinal)];
    }

    /// <summary>The problem of a resolved audience that reaches nobody, or null.</summary>
    public static BriefingAudienceProblem? CheckResolved(IReadOnlyCollection<BriefingCandidate> recipients) =>
        recipients.Count == 0
            ? new BriefingAudienceProblem(NoRecipients, "按所选范围没有找到任何接收人（在职且在您管辖范围内的人员），请调整网格、人员类别或单位。")
            : null;
}
