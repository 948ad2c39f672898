using System.Security.Claims;
using CivicGrid.Domain.Accounts;
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
public sealed record UserSummary(Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, string ScopeCode,
    string? PhoneNumber, bool IsActive, DateTimeOffset? LastLoginAt);

/// <param name="Roles">Role names as in tokens: grid-leader, micro-grid-worker…</param>
/// <param name="ScopeCode">Root code of the new user's subtree; must lie inside the caller's scope.</param>
public sealed record CreateUserRequest(string? UserName, string? DisplayName, IReadOnlyList<string>? Roles, string? ScopeCode, string? Password, string? PhoneNumber);

/// <summary>Accounts, as far as the caller's scope reaches.</summary>
public static class UsersApi
{
    /// <summary>What community staff may create for their own community (the volunteer roster); the rest is the security admin's.</summary>
    private static readonly HashSet<Role> CommunityGrantable = [Role.MicroGridWorker, Role.Resident];

    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Staff);
        group.MapGet("/", ListUsers).WithName("ListUsers").WithSummary("Accounts in the caller's scope; phone numbers masked.");
        group.MapPost("/", CreateUser).WithName("CreateUser").WithIdempotency()
            .WithSummary("Create an account inside the caller's scope (security admin; community staff for micro-grid workers and residents).");
        return group;
    }

    public static async Task<Results<Ok<List<UserSummary>>, ProblemHttpResult>> ListUsers(string? role, string? scopeCode, CivicGridDbContext db, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
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

        var users = await query.OrderBy(u => u.UserName).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(users.Select(Summarise).ToList());
    }

    public static async Task<Results<Created<UserSummary>, ProblemHttpResult>> CreateUser(CreateUserRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, IPasswordHasher<UserAccount> hasher, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
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

        var roles = new List<Role>();
        foreach (var name in request.Roles ?? [])
        {
            if (Roles.TryParseClaimValue(name, out var parsed))
            {
                roles.Add(parsed);
            }
            else
            {
                errors["roles"] = [$"未知的角色“{name}”。"];
            }
        }

        if (roles.Count == 0 && !errors.ContainsKey("roles"))
        {
            errors["roles"] = ["至少选择一个角色。"];
        }

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

        var scope = db.Scope;
        var callerRoles = caller.GetRoles();
        var grantable = callerRoles.Contains(Role.SecurityAdmin) || (callerRoles.Contains(Role.CommunityStaff) && roles.All(CommunityGrantable.Contains));
        if (!grantable)
        {
            return Problems.Forbidden("您无权创建这些角色的账户。");
        }

        if (!scope.Covers(request.ScopeCode!))
        {
            return Problems.Forbidden("只能在您的管辖范围内创建账户。");
        }

        if (request.ScopeCode!.Length > 0 && !await db.Grids.AnyAsync(g => g.Code == request.ScopeCode, ct))
        {
            return Problems.Validation("scopeCode", $"找不到编号为 {request.ScopeCode} 的网格。");
        }

        var normalized = UserAccount.Normalize(request.UserName!);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedUserName == normalized, ct))
        {
            return Problems.Conflict($"用户名“{request.UserName}”已被使用。");
        }

        UserAccount user;
        try
        {
            user = new UserAccount(request.UserName!, request.DisplayName!, roles, request.ScopeCode, time.GetUtcNow()) { PhoneNumber = request.PhoneNumber };
        }
        catch (ArgumentException)
        {
            return Problems.Validation("scopeCode", "只有管理员可以管辖全部范围。");
        }

        user.ChangePassword(hasher.HashPassword(user, request.Password!), time.GetUtcNow());
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        loggers.CreateLogger(typeof(UsersApi)).LogInformation("User {Creator} created account {UserName} with roles {Roles} in scope {Scope}",
            caller.Identity?.Name, user.UserName, string.Join(',', user.Roles), user.ScopeCode);
        return TypedResults.Created($"/api/users/{user.Id}", Summarise(user));
    }

    private static UserSummary Summarise(UserAccount u) => new(u.Id, u.UserName, u.DisplayName, [.. u.Roles.Select(r => r.ToClaimValue())],
        u.ScopeCode, Masking.Phone(u.PhoneNumber), u.IsActive, u.LastLoginAt);
}
