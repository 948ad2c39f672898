using System.Security.Claims;
using System.Security.Cryptography;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Users;

/// <param name="Roles">The account's whole role set afterwards; absent leaves the roles as they are.</param>
/// <param name="ScopeCode">The account's scope afterwards; absent leaves it.</param>
/// <param name="PhoneNumber">Absent leaves it; empty removes it.</param>
public sealed record UpdateUserRequest(string? DisplayName, IReadOnlyList<string>? Roles, string? ScopeCode, Guid? OrganisationId, string? PhoneNumber);

/// <param name="OneTimePassword">Shown once: give it to the person; it must be changed at the next sign-in.</param>
public sealed record PasswordResetResponse(string OneTimePassword, UserSummary User);

/// <param name="Note">Why (kept with the decision).</param>
public sealed record RoleGrantDecision(string? Note);

/// <param name="Roles">Role names the account will hold once approved.</param>
/// <param name="Status">pending, approved or rejected.</param>
public sealed record RoleGrantView(Guid Id, Guid UserId, string UserName, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames,
    string ScopeCode, bool ActivatesAccount, string RequestedByName, DateTimeOffset RequestedAt, RoleGrantStatus Status, string? DecidedByName,
    DateTimeOffset? DecidedAt, string? Note);

/// <summary>
/// An account's life after it is created: edit, deactivate (every session ends at once) and reactivate, unlock, reset the
/// password to a one-time password; and the second administrator's approval of administrator roles. The security
/// administrator manages every account in scope; community staff the micro-grid volunteers and residents of their
/// community. Every change is a security event.
/// </summary>
public static class AccountLifecycleApi
{
    public static void MapAccountLifecycleApi(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/api/users/{id:guid}").WithTags("Users").RequireAuthorization(Policies.Staff);
        users.MapGet("/", Get).WithName("GetUser").WithSummary("One account in the caller's scope; phone masked.");
        users.MapPut("/", Update).WithName("UpdateUser")
            .WithSummary("Edit the display name, roles, scope, organisation or phone within the rules; administrator roles wait for a second administrator.");
        users.MapPost("/deactivate", Deactivate).WithName("DeactivateUser").WithSummary("Deactivate a leaver's account: every session of it ends at once.");
        users.MapPost("/reactivate", Reactivate).WithName("ReactivateUser").WithSummary("Reactivate an account (an administrator's waits for a second administrator).");
        users.MapPost("/unlock", Unlock).WithName("UnlockUser").WithSummary("Lift a lockout after failed sign-ins.");
        users.MapPost("/reset-password", ResetPassword).WithName("ResetUserPassword")
            .WithSummary("Set a one-time password (answered once) that must be changed at the next sign-in; the account's sessions end.");

        var grants = routes.MapGroup("/api/role-grants").WithTags("Users")
            .RequireAuthorization(p => p.RequireRole(Role.SecurityAdmin.ToClaimValue(), Role.SystemAdmin.ToClaimValue()));
        grants.MapGet("/", ListGrants).WithName("ListRoleGrants").WithSummary("Administrator role grants, pending first (security and system administrators).");
        grants.MapPost("/{grantId:guid}/approve", (Guid grantId, RoleGrantDecision? decision, ClaimsPrincipal caller, CivicGridDbContext db, SecurityAudit audit,
            TimeProvider time, CancellationToken ct) => Decide(grantId, approve: true, decision, caller, db, audit, time, ct)).WithName("ApproveRoleGrant")
            .WithSummary("Approve another administrator's request: the account gets the roles (and is activated when new).");
        grants.MapPost("/{grantId:guid}/reject", (Guid grantId, RoleGrantDecision? decision, ClaimsPrincipal caller, CivicGridDbContext db, SecurityAudit audit,
            TimeProvider time, CancellationToken ct) => Decide(grantId, approve: false, decision, caller, db, audit, time, ct)).WithName("RejectRoleGrant")
            .WithSummary("Reject it; the account keeps its roles (a new one stays inactive).");
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? NotFound() : TypedResults.Ok((await UserDirectory.SummariseAsync([user], db, time.GetUtcNow(), ct))[0]);
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Update(Guid id, UpdateUserRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var (user, problem) = await FindManageableAsync(id, caller, db, self: request.Roles is null && request.ScopeCode is null, ct);
        if (user is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        if (request.DisplayName is not null && string.IsNullOrWhiteSpace(request.DisplayName))
        {
            errors["displayName"] = ["姓名不能为空。"];
        }

        var roles = request.Roles is null ? user.Roles : UserDirectory.ParseRoles(request.Roles, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var scope = request.ScopeCode ?? user.ScopeCode;
        var changes = new List<string>();
        var rolesChanged = !roles.Order().SequenceEqual(user.Roles) || scope != user.ScopeCode;
        if (rolesChanged || request.OrganisationId != user.OrganisationId)
        {
            if (await UserDirectory.CheckGrantAsync(caller, db, roles, scope, request.OrganisationId ?? user.OrganisationId, ct) is { } refused)
            {
                return refused;
            }
        }

        var now = time.GetUtcNow();
        if (request.DisplayName is { } name && name.Trim() != user.DisplayName)
        {
            changes.Add($"姓名“{user.DisplayName}”→“{name.Trim()}”");
            user.Rename(name);
        }

        if (request.PhoneNumber is { } phone)
        {
            user.PhoneNumber = phone.Trim().Length == 0 ? null : phone.Trim();
            changes.Add("手机号已修改");
        }

        if (request.OrganisationId is { } organisation && organisation != user.OrganisationId)
        {
            user.OrganisationId = organisation;
            changes.Add("所属组织已修改");
        }

        var grantAsked = false;
        if (rolesChanged)
        {
            var description = $"角色：{string.Join("、", roles.Select(r => r.ToChinese()))}，范围：{await UserDirectory.ScopeLabelAsync(db, scope, ct)}";
            if (RoleRules.NeedsApproval(roles.Except(user.Roles)))
            {
                if (await db.RoleGrantRequests.AnyAsync(r => r.UserId == user.Id && r.Status == RoleGrantStatus.Pending, ct))
                {
                    return Problems.Conflict("该账户已有一项待审批的管理员角色申请，请先处理。");
                }

                db.RoleGrantRequests.Add(new RoleGrantRequest(user.Id, roles, scope, activatesAccount: false, caller.GetUserId()!.Value, caller.Identity!.Name!, now));
                audit.Record(db, SecurityEventKind.RoleGrantRequested, SecuritySubject.User(user), $"申请变更为{description}，待另一名管理员审批");
                grantAsked = true;
            }
            else
            {
                changes.Add($"原角色：{string.Join("、", user.Roles.Select(r => r.ToChinese()))}，原范围：{await UserDirectory.ScopeLabelAsync(db, user.ScopeCode, ct)}；新{description}");
                user.Assign(roles, scope);
                // Sessions carry the roles and scope they were signed in with: end them so the next request signs in afresh.
                await EndSessionsAsync(db, user.Id, now, ct);
            }
        }

        if (changes.Count > 0)
        {
            audit.Record(db, SecurityEventKind.AccountChanged, SecuritySubject.User(user), string.Join("；", changes));
        }

        if (changes.Count > 0 || grantAsked)
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok((await UserDirectory.SummariseAsync([user], db, now, ct))[0]);
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Deactivate(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var (user, problem) = await FindManageableAsync(id, caller, db, self: false, ct);
        if (user is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        if (user.IsActive)
        {
            user.Deactivate(now);
            var ended = await EndSessionsAsync(db, user.Id, now, ct);
            audit.Record(db, SecurityEventKind.AccountDeactivated, SecuritySubject.User(user), $"停用账户，结束会话 {ended} 个");
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok((await UserDirectory.SummariseAsync([user], db, now, ct))[0]);
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Reactivate(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var (user, problem) = await FindManageableAsync(id, caller, db, self: false, ct);
        if (user is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        if (!user.IsActive)
        {
            if (await db.RoleGrantRequests.AnyAsync(r => r.UserId == user.Id && r.Status == RoleGrantStatus.Pending, ct))
            {
                return Problems.Conflict("该账户正在等待管理员角色审批，审批通过后自动启用。");
            }

            if (RoleRules.NeedsApproval(user.Roles))
            {
                db.RoleGrantRequests.Add(new RoleGrantRequest(user.Id, user.Roles, user.ScopeCode, activatesAccount: true, caller.GetUserId()!.Value,
                    caller.Identity!.Name!, now));
                audit.Record(db, SecurityEventKind.RoleGrantRequested, SecuritySubject.User(user), "申请重新启用管理员账户，待另一名管理员审批");
            }
            else
            {
                user.Reactivate();
                audit.Record(db, SecurityEventKind.AccountReactivated, SecuritySubject.User(user), "重新启用账户");
            }

            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok((await UserDirectory.SummariseAsync([user], db, now, ct))[0]);
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Unlock(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var (user, problem) = await FindManageableAsync(id, caller, db, self: false, ct);
        if (user is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        // The failed sign-in counters of the name (from every address) go too: the lock the list showed was the name's.
        var counters = await db.SignInThrottles.Where(t => t.NormalizedUserName == user.NormalizedUserName).ToListAsync(ct);
        if (user.IsLockedOut(now) || user.FailedLoginCount > 0 || counters.Count > 0)
        {
            user.Unlock();
            db.SignInThrottles.RemoveRange(counters);
            audit.Record(db, SecurityEventKind.AccountUnlocked, SecuritySubject.User(user), "解除登录锁定");
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok((await UserDirectory.SummariseAsync([user], db, now, ct))[0]);
    }

    public static async Task<Results<Ok<PasswordResetResponse>, ProblemHttpResult>> ResetPassword(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        IPasswordHasher<UserAccount> hasher, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var (user, problem) = await FindManageableAsync(id, caller, db, self: false, ct);
        if (user is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        var password = OneTimePassword();
        user.ResetPassword(hasher.HashPassword(user, password), now);
        var ended = await EndSessionsAsync(db, user.Id, now, ct);
        audit.Record(db, SecurityEventKind.PasswordReset, SecuritySubject.User(user), $"重置为一次性密码（下次登录须修改），结束会话 {ended} 个");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PasswordResetResponse(password, (await UserDirectory.SummariseAsync([user], db, now, ct))[0]));
    }

    /// <param name="status">pending (default), approved or rejected.</param>
    public static async Task<Results<Ok<List<RoleGrantView>>, ProblemHttpResult>> ListGrants([ApiEnum(typeof(RoleGrantStatus))] string? status,
        CivicGridDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = QueryValues.Enum<RoleGrantStatus>(status, "status", errors, v => $"status 只能是 pending、approved 或 rejected，而不是“{v}”。");
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var chosen = wanted ?? RoleGrantStatus.Pending;
        var rows = await db.RoleGrantRequests.AsNoTracking().Where(r => r.Status == chosen).OrderByDescending(r => r.RequestedAt).Take(500)
            .Join(db.Users.IgnoreQueryFilters(), r => r.UserId, u => u.Id, (r, u) => new { Grant = r, u.UserName, u.DisplayName }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(x => new RoleGrantView(x.Grant.Id, x.Grant.UserId, x.UserName, x.DisplayName,
            [.. x.Grant.Roles.Select(r => r.ToClaimValue())], [.. x.Grant.Roles.Select(r => r.ToChinese())], x.Grant.ScopeCode, x.Grant.ActivatesAccount,
            x.Grant.RequestedByName, x.Grant.RequestedAt, x.Grant.Status, x.Grant.DecidedByName, x.Grant.DecidedAt, x.Grant.Note)).ToList());
    }

    private static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Decide(Guid grantId, bool approve, RoleGrantDecision? decision,
        ClaimsPrincipal caller, CivicGridDbContext db, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var grant = await db.RoleGrantRequests.SingleOrDefaultAsync(r => r.Id == grantId, ct);
        if (grant is null)
        {
            return Problems.NotFound("找不到该审批申请，或它不在您的管辖范围内。");
        }

        var deciderId = caller.GetUserId()!.Value;
        if (grant.CheckDecider(deciderId, caller.GetRoles()) is { } refused)
        {
            return grant.Status == RoleGrantStatus.Pending ? Problems.Forbidden(refused) : Problems.Conflict(refused);
        }

        var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == grant.UserId, ct);
        var now = time.GetUtcNow();
        grant.Decide(approve, deciderId, caller.Identity!.Name!, decision?.Note, now);
        var roles = string.Join("、", grant.Roles.Select(r => r.ToChinese()));
        if (approve)
        {
            user.Assign(grant.Roles, grant.ScopeCode);
            if (grant.ActivatesAccount)
            {
                user.Reactivate();
            }

            await EndSessionsAsync(db, user.Id, now, ct);
            audit.Record(db, SecurityEventKind.RoleGrantApproved, SecuritySubject.User(user),
                $"批准 {grant.RequestedByName} 的申请：{roles}{(grant.ActivatesAccount ? "，账户已启用" : string.Empty)}");
        }
        else
        {
            audit.Record(db, SecurityEventKind.RoleGrantRejected, SecuritySubject.User(user), $"驳回 {grant.RequestedByName} 的申请：{roles}；理由：{grant.Note ?? "未填写"}");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await UserDirectory.SummariseAsync([user], db, now, ct))[0]);
    }

    /// <summary>
    /// The account, when it is in the caller's scope and the caller may manage it (its current roles are ones the caller
    /// may grant); <paramref name="self"/> allows the caller's own account (editing one's own name and phone only).
    /// </summary>
    private static async Task<(UserAccount? User, ProblemHttpResult? Problem)> FindManageableAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        bool self, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return (null, NotFound());
        }

        if (user.Id == caller.GetUserId() && !self)
        {
            return (null, Problems.Forbidden("不能对自己的账户执行此操作，请由另一名安全管理员办理。"));
        }

        if (RoleRules.CheckGranter(caller.GetRoles(), user.Roles) is { } refused && user.Id != caller.GetUserId())
        {
            return (null, Problems.Forbidden(refused));
        }

        return (user, null);
    }

    internal static async Task<int> EndSessionsAsync(CivicGridDbContext db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        var live = await db.Sessions.IgnoreQueryFilters().Where(s => s.UserId == userId && s.EndedAt == null).ToListAsync(ct);
        foreach (var session in live)
        {
            session.End(now);
        }

        return live.Count;
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到该账户，或它不在您的管辖范围内。");

    /// <summary>12 characters from an alphabet without look-alikes, always of three kinds, e.g. <c>Kp7m-Xq2w-Rt9#</c>.</summary>
    internal static string OneTimePassword()
    {
        const string letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        var body = RandomNumberGenerator.GetString(letters, 8);
        return $"{body[..4]}-{body[4..]}-{RandomNumberGenerator.GetString(digits, 3)}#";
    }
}
