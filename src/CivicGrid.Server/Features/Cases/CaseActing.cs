using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases;

/// <summary>Where a case stands after a transition: what a client needs to go on (send <c>version</c> back as expectedVersion).</summary>
public sealed record CaseState(string Number, CaseStatus Status, CaseTier Tier, string GridCode, int Version, string? AssigneeName,
    DateTimeOffset? DueAt, bool LocationPending, string? MergedIntoNumber)
{
    public static CaseState Of(Case c) => new(c.Number, c.Status, c.Tier, c.GridCode, c.Version, c.AssigneeName, c.DueAt,
        c.IsLocationPending, c.MergedIntoNumber);
}

/// <summary>
/// Runs one workflow verb over HTTP: loads the case through the caller's scope, builds the <see cref="Actor"/>, runs the
/// verb, saves, and turns the domain's refusals into problem details — a broken rule 422 (403 for who-may-act rules)
/// with its stable name, a stale version 409 with the current status and version.
/// </summary>
public static class CaseActing
{
    public const string RuleType = "/problems/case-rule";
    public const string ActorRuleType = "/problems/case-not-permitted";
    public const string ConflictType = "/problems/case-version-conflict";

    /// <summary>The actor for a signed-in caller; a liaison's department is read from their account.</summary>
    public static async Task<Actor> ActorOfAsync(ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var userId = caller.GetUserId() ?? throw new InvalidOperationException("Workflow endpoints require a signed-in caller.");
        var roles = caller.GetRoles().ToHashSet();
        Guid? department = null;
        if (roles.Contains(Role.DepartmentLiaison))
        {
            department = await db.Users.IgnoreQueryFilters().Where(u => u.Id == userId).Select(u => u.OrganisationId).SingleOrDefaultAsync(ct);
        }

        return new Actor(userId, caller.FindFirst(CivicGridClaims.DisplayName)?.Value ?? "工作人员", roles, caller.GetScope(), department);
    }

    /// <summary>Loads the case the caller may see, runs <paramref name="act"/> and saves; every refusal becomes a problem.</summary>
    /// <param name="act">Runs the verb; returns a problem to refuse before the verb (e.g. an unknown assignee), else null.</param>
    public static async Task<Results<Ok<CaseState>, ProblemHttpResult>> ActAsync(string number, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, Func<Case, Actor, DateTimeOffset, Task<ProblemHttpResult?>> act, CancellationToken ct)
    {
        var actor = await ActorOfAsync(caller, db, ct);
        var subject = await db.Cases.SingleOrDefaultAsync(c => c.Number == number, ct);
        return subject is null ? NotFound(number) : await RunAsync(subject, actor, db, time, act, ct);
    }

    /// <summary>Runs a verb on a case already loaded (tracked) and saves, mapping refusals.</summary>
    public static async Task<Results<Ok<CaseState>, ProblemHttpResult>> RunAsync(Case subject, Actor actor, CivicGridDbContext db, TimeProvider time,
        Func<Case, Actor, DateTimeOffset, Task<ProblemHttpResult?>> act, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(act);
        try
        {
            if (await act(subject, actor, time.GetUtcNow()) is { } refused)
            {
                return refused;
            }

            await db.SaveChangesAsync(ct);
        }
        catch (CaseRuleException e)
        {
            return Refusal(e);
        }
        catch (CaseConcurrencyException e)
        {
            return Conflict(e.CaseNumber, e.CurrentStatus, e.CurrentVersion, e.ChineseMessage);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e))
        {
            // Someone else's transition was saved between our read and our write: the version check, or the
            // timeline's (case, sequence) key when both appended the same step.
            db.ChangeTracker.Clear();
            var current = await db.Cases.AsNoTracking().IgnoreQueryFilters().Where(c => c.Id == subject.Id)
                .Select(c => new { c.Status, c.Version }).SingleAsync(ct);
            return Conflict(subject.Number, current.Status, current.Version,
                $"案件 {subject.Number} 刚刚已被他人更新（当前状态：{current.Status.ToChinese()}），请刷新后重试。");
        }

        return TypedResults.Ok(CaseState.Of(subject));
    }

    public static ProblemHttpResult Refusal(CaseRuleException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var forbidden = e.Rule.StartsWith("case.actor.", StringComparison.Ordinal);
        return Problems.Create(forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity,
            forbidden ? ActorRuleType : RuleType, forbidden ? "You may not do this to this case." : "The case workflow does not allow this.",
            e.ChineseMessage, new Dictionary<string, object?> { ["rule"] = e.Rule });
    }

    public static ProblemHttpResult Conflict(string number, CaseStatus status, int version, string detail) =>
        Problems.Create(StatusCodes.Status409Conflict, ConflictType, "The case was changed by someone else.", detail,
            new Dictionary<string, object?> { ["number"] = number, ["currentStatus"] = status, ["currentVersion"] = version });

    public static ProblemHttpResult NotFound(string number) => Problems.NotFound($"找不到编号为 {number} 的案件，或它不在您的查看范围内。");

    public static ProblemHttpResult? RequireVersion(int? expectedVersion) =>
        expectedVersion is null ? Problems.Validation("expectedVersion", "请提供您看到的案件版本号 expectedVersion，以免覆盖他人的更新。") : null;
}
