using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Users;

/// <param name="PhoneNumber">Masked (138****1234).</param>
/// <param name="Status">active, locked (too many failed sign-ins), pending (waiting for an administrator's approval) or inactive.</param>
/// <param name="PendingGrant">The administrator role grant waiting for approval, if any.</param>
public sealed record UserSummary(Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames,
    string ScopeCode, string? ScopeName, Guid? OrganisationId, string? PhoneNumber, bool IsActive, string Status, bool PasswordChangeRequired,
    DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, DateTimeOffset? DeactivatedAt, Guid? PendingGrant);

/// <param name="Roles">Role names as in tokens: grid-leader, micro-grid-worker…</param>
/// <param name="ScopeCode">Root code of the new user's subtree; must lie inside the caller's scope and fit the roles' level.</param>
/// <param name="OrganisationId">The department, property company or other organisation the person works for.</param>
public sealed record CreateUserRequest(string? UserName, string? DisplayName, IReadOnlyList<string>? Roles, string? ScopeCode, string? Password,
    string? PhoneNumber, Guid? OrganisationId = null);

/// <summary>Accounts, as far as the caller's scope reaches.</summary>
public static class UsersApi
{
    /// <summary>The most accounts one list answers (a subdistrict has a few hundred staff; filters narrow it).</summary>
    public const int MaxListed = 2000;

    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Staff);
        group.MapGet("/", ListUsers).WithName("ListUsers").WithSummary("Accounts in the caller's scope with filters, by user name (at most 2,000); phone numbers masked.");
        group.MapPost("/", CreateUser).WithName("CreateUser").WithIdempotency()
            .WithSummary("Create an account inside the caller's scope (security admin; community staff for micro-grid workers and residents).");
        return group;
    }

    /// <param name="role">Only holders of this role.</param>
    /// <param name="scopeCode">Only accounts scoped inside this grid's subtree.</param>
    /// <param name="q">Part of the user name or the display name.</param>
    /// <param name="status">active, locked, pending or inactive.</param>
    public static async Task<Results<Ok<List<UserSummary>>, ProblemHttpResult>> ListUsers([ApiEnum(typeof(Role))] string? role, string? scopeCode, string? q,
        [ApiValues(typeof(UserDirectory), nameof(UserDirectory.Statuses))] string? status, Guid? organisationId,
        ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        var fullNames = Domain.Households.HouseholdAccess.SeesResidentNames(caller.GetRoles());
        if (!string.IsNullOrWhiteSpace(role))
        {
            if (!Roles.TryParseClaimValue(role, out var parsed))
            {
                return Problems.Validation("role", $"未知的角色“{role}”。");
            }

            query = query.Where(u => u.Roles.Contains(parsed));
        }

        if (!string.IsNullOrWhiteSpace(scopeCode))
        {
            query = query.Where(u => u.ScopeCode.StartsWith(scopeCode));
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            // A caller who sees residents' names masked cannot find a resident by name either.
            query = fullNames
                ? query.Where(u => u.UserName.Contains(text) || u.DisplayName.Contains(text))
                : query.Where(u => u.UserName.Contains(text) || (u.DisplayName.Contains(text) && u.Roles.Any(r => r != Role.Resident)));
        }

        if (organisationId is { } organisation)
        {
            query = query.Where(u => u.OrganisationId == organisation);
        }

        var now = time.GetUtcNow();
        var pending = db.RoleGrantRequests.Where(r => r.Status == RoleGrantStatus.Pending).Select(r => r.UserId);
        switch (status)
        {
            case null or "":
                break;
            case UserDirectory.Active:
                query = query.Where(u => u.IsActive && (u.LockedUntil == null || u.LockedUntil <= now));
                break;
            case UserDirectory.Locked:
                query = query.Where(u => u.IsActive && u.LockedUntil > now);
                break;
            case UserDirectory.Pending:
                query = query.Where(u => pending.Contains(u.Id));
                break;
            case UserDirectory.Inactive:
                query = query.Where(u => !u.IsActive);
                break;
            default:
                return Problems.Validation("status", "status 只能是 active（正常）、locked（已锁定）、pending（待审批）或 inactive（已停用）。");
        }

        var users = await query.OrderBy(u => u.UserName).Take(MaxListed).ToListAsync(ct);
        var summaries = await UserDirectory.SummariseAsync(users, db, now, ct);
        if (!fullNames)
        {
            var residents = users.Where(u => Domain.Households.HouseholdAccess.IsResidentOnly(u.Roles)).Select(u => u.Id).ToHashSet();
            summaries = [.. summaries.Select(s => residents.Contains(s.Id) ? s with { DisplayName = Masking.PersonName(s.DisplayName) ?? string.Empty } : s)];
        }

        return TypedResults.Ok(summaries);
    }

    public static async Task<Results<Created<UserSummary>, ProblemHttpResult>> CreateUser(CreateUserRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, IPasswordHasher<UserAccount> hasher, SecurityAudit audit, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName) || request.UserName.Length > 64 || !request.UserName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors["userName"] = ["用户名为 1–64 位字母、数字或 - _ .。"];
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName))
        {
            errors["displayName"] = ["请填写姓名。"];
        }

        var roles = UserDirectory.ParseRoles(request.Roles, errors);
        if (request.ScopeCode is null)
        {
            errors["scopeCode"] = ["请选择管辖范围。"];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["请设置初始密码。"];
        }
        else if (PasswordRules.Check(request.Password, request.UserName ?? string.Empty) is { } weak)
        {
            errors["password"] = [weak];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await UserDirectory.CheckGrantAsync(caller, db, roles, request.ScopeCode!, request.OrganisationId, ct) is { } refused)
        {
            return refused;
        }

        var normalized = UserAccount.Normalize(request.UserName!);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedUserName == normalized, ct))
        {
            return Problems.Conflict($"用户名“{request.UserName}”已被使用。");
        }

        var now = time.GetUtcNow();
        var user = new UserAccount(request.UserName!, request.DisplayName!.Trim(), roles, request.ScopeCode!, now)
        {
            PhoneNumber = string.IsNullOrWhiteSpace(request.PhoneNumber) ? null : request.PhoneNumber.Trim(),
            OrganisationId = request.OrganisationId,
        };
        // The security admin chose this password and knows it: like a reset's, it must be changed at the first sign-in.
        user.ResetPassword(hasher.HashPassword(user, request.Password!), now);
        db.Users.Add(user);
        audit.Record(db, SecurityEventKind.AccountCreated, SecuritySubject.User(user),
            $"创建账户“{user.DisplayName}”，角色：{string.Join("、", roles.Select(r => r.ToChinese()))}，范围：{await UserDirectory.ScopeLabelAsync(db, user.ScopeCode, ct)}");
        if (RoleRules.NeedsApproval(roles))
        {
            // An administrator starts inactive; a second administrator's approval activates it.
            user.Deactivate(now);
            var grant = new RoleGrantRequest(user.Id, roles, user.ScopeCode, activatesAccount: true, caller.GetUserId()!.Value, caller.Identity!.Name!, now);
            db.RoleGrantRequests.Add(grant);
            audit.Record(db, SecurityEventKind.RoleGrantRequested, SecuritySubject.User(user),
                $"申请授予管理员角色：{string.Join("、", roles.Select(r => r.ToChinese()))}，待另一名管理员审批");
        }

        await db.SaveChangesAsync(ct);
        loggers.CreateLogger(typeof(UsersApi)).LogInformation("User {Creator} created account {UserName} with roles {Roles} in scope {Scope}",
            caller.Identity?.Name, user.UserName, string.Join(',', user.Roles), user.ScopeCode);
        return TypedResults.Created($"/api/users/{user.Id}", (await UserDirectory.SummariseAsync([user], db, now, ct))[0]);
    }
}
