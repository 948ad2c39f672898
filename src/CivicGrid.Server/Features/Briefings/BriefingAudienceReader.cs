using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Briefings;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Briefings;

/// <summary>Who to send a briefing to and from what scope.</summary>
/// <param name="GridCodes">Roots of grid subtrees (from the grid tree): workers scoped inside one of them.</param>
/// <param name="Kinds">grid-worker, micro-grid-worker, grid-leader, department-liaison, community-staff, property-staff.</param>
/// <param name="OrganisationIds">Departments or property companies the recipients work for.</param>
public sealed record BriefingAudienceRequest(IReadOnlyList<string>? GridCodes, IReadOnlyList<BriefingRecipientKind>? Kinds, IReadOnlyList<Guid>? OrganisationIds);

/// <summary>
/// Reads an audience into recipients for the caller: the grids must exist and lie in the caller's scope, the organisations
/// must be ones the caller sees, and the accounts are read through the caller's scope filter, then narrowed by
/// <see cref="BriefingRecipients.Resolve"/>. An audience that reaches nobody is not refused here (the live count shows 0);
/// sending refuses it (<see cref="RefuseEmpty"/>).
/// </summary>
public static class BriefingAudienceReader
{
    public const string ProblemType = "/problems/briefing-audience";

    public static async Task<(BriefingAudience Audience, IReadOnlyList<BriefingCandidate> Recipients, ProblemHttpResult? Problem)> ResolveAsync(
        BriefingAudienceRequest? request, Scope caller, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var audience = new BriefingAudience(
            [.. (request?.GridCodes ?? []).Select(g => g?.Trim() ?? string.Empty).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal)],
            [.. (request?.Kinds ?? []).Distinct()],
            [.. (request?.OrganisationIds ?? []).Distinct()]);
        if (BriefingRecipients.Check(audience, caller.Code) is { } broken)
        {
            return (audience, [], Refuse(broken, broken.Rule == BriefingRecipients.GridOutsideScope ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity));
        }

        var grids = (await geography.GetAsync(ct)).Grids;
        var unknown = audience.GridCodes.Where(g => !grids.ContainsKey(g)).ToList();
        if (unknown.Count > 0)
        {
            return (audience, [], Problems.Validation("audience.gridCodes", $"找不到网格 {string.Join("、", unknown)}，请从网格树中选择。"));
        }

        if (audience.OrganisationIds.Count > 0)
        {
            var visible = await db.Organisations.AsNoTracking().Where(o => audience.OrganisationIds.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct);
            if (visible.Count != audience.OrganisationIds.Count)
            {
                return (audience, [], Problems.Create(StatusCodes.Status403Forbidden, ProblemType, "An organisation is outside the caller's scope.",
                    "所选单位不存在或不在您的管辖范围内，不能向其人员发送。", new Dictionary<string, object?> { ["rule"] = "organisation-outside-scope" }));
            }
        }

        // The scope filter on accounts keeps everyone outside the caller's subtree out before the rules look.
        var accounts = await db.Users.AsNoTracking().Where(u => u.IsActive)
            .Select(u => new { u.Id, u.DisplayName, u.ScopeCode, u.OrganisationId, u.Roles }).ToListAsync(ct);
        var recipients = BriefingRecipients.Resolve(audience, caller.Code, caller.UserId,
            accounts.Select(a => new BriefingCandidate(a.Id, a.DisplayName, a.ScopeCode, a.OrganisationId, a.Roles, true)));
        return (audience, recipients, null);
    }

    /// <summary>422 when the audience reaches nobody, else null.</summary>
    public static ProblemHttpResult? RefuseEmpty(IReadOnlyList<BriefingCandidate> recipients) =>
        BriefingRecipients.CheckResolved([.. recipients]) is { } empty ? Refuse(empty, StatusCodes.Status422UnprocessableEntity) : null;

    private static ProblemHttpResult Refuse(BriefingAudienceProblem problem, int status) =>
        Problems.Create(status, ProblemType, "The audience of the briefing is not allowed.", problem.DetailZh,
            new Dictionary<string, object?> { ["rule"] = problem.Rule });
}
