using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Users;

/// <summary>What the account endpoints share: reading roles, checking a grant against the rules, describing accounts.</summary>
public static class UserDirectory
{
    public const string Active = "active";
    public const string Locked = "locked";
    public const string Pending = "pending";
    public const string Inactive = "inactive";

    public static IReadOnlyList<string> Statuses { get; } = [Active, Locked, Pending, Inactive];

    /// <summary>The roles named in a request; an unknown name or none at all is added to <paramref name="errors"/>.</summary>
    public static List<Role> ParseRoles(IReadOnlyList<string>? names, Dictionary<string, string[]> errors)
    {
        var roles = new List<Role>();
        foreach (var name in names ?? [])
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

        return roles;
    }

    /// <summary>
    /// Null when the caller may give an account these roles in this scope (and link it to this organisation), else the
    /// problem: who may grant what (<see cref="RoleRules.CheckGranter"/>), inside the caller's scope, and the roles'
    /// combination and level (<see cref="RoleRules.CheckAssignment"/>).
    /// </summary>
    public static async Task<ProblemHttpResult?> CheckGrantAsync(ClaimsPrincipal caller, CivicGridDbContext db, IReadOnlyCollection<Role> roles,
        string scopeCode, Guid? organisationId, CancellationToken ct)
    {
        if (RoleRules.CheckGranter(caller.GetRoles(), roles) is { } granter)
        {
            return Problems.Forbidden(granter);
        }

        if (!db.Scope.Covers(scopeCode) && !(db.Scope.IsWholeSystem && scopeCode.Length == 0))
        {
            return Problems.Forbidden("只能在您的管辖范围内设置账户的范围。");
        }

        var level = scopeCode.Length == 0
            ? null
            : await db.Grids.IgnoreQueryFilters().Where(g => g.Code == scopeCode).Select(g => (Domain.Geography.GridLevel?)g.Level).SingleOrDefaultAsync(ct);
        if (RoleRules.CheckAssignment(roles, scopeCode, level) is { } rule)
        {
            return Problems.Validation(level is null && scopeCode.Length > 0 ? "scopeCode" : "roles", rule);
        }

        if (organisationId is { } id)
        {
            var organisation = await db.Organisations.Where(o => o.Id == id).Select(o => new { o.Name, o.RetiredAt }).SingleOrDefaultAsync(ct);
            if (organisation is null)
            {
                return Problems.Validation("organisationId", "找不到该组织机构，或它不在您的管辖范围内。");
            }

            if (organisation.RetiredAt is not null)
            {
                return Problems.Validation("organisationId", $"“{organisation.Name}”已撤销，不能再关联新的人员。");
            }
        }

        return null;
    }

    /// <summary>A scope as the audit trail names it: “全部”, or the grid's name with its code (示范街道（610103099）).</summary>
    public static async Task<string> ScopeLabelAsync(CivicGridDbContext db, string scopeCode, CancellationToken ct)
    {
        if (scopeCode.Length == 0)
        {
            return "全部";
        }

        var name = await db.GridNameAsync(scopeCode, ct);
        return name is null ? scopeCode : $"{name}（{scopeCode}）";
    }

    public static async Task<List<UserSummary>> SummariseAsync(IReadOnlyList<UserAccount> users, CivicGridDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var codes = users.Select(u => u.ScopeCode).Where(c => c.Length > 0).Distinct().ToList();
        var names = await db.Grids.IgnoreQueryFilters().Where(g => codes.Contains(g.Code)).Select(g => new { g.Code, g.Name }).ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        var pending = await db.RoleGrantRequests.IgnoreQueryFilters().Where(r => r.Status == RoleGrantStatus.Pending && ids.Contains(r.UserId))
            .Select(r => new { r.UserId, r.Id }).ToListAsync(ct);
        return [.. users.Select(u =>
        {
            var grant = pending.FirstOrDefault(p => p.UserId == u.Id)?.Id;
            var status = grant is not null ? Pending : !u.IsActive ? Inactive : u.IsLockedOut(now) ? Locked : Active;
            return new UserSummary(u.Id, u.UserName, u.DisplayName, [.. u.Roles.Select(r => r.ToClaimValue())], [.. u.Roles.Select(r => r.ToChinese())],
                u.ScopeCode, u.ScopeCode.Length == 0 ? "全部" : names.GetValueOrDefault(u.ScopeCode), u.OrganisationId, Masking.Phone(u.PhoneNumber),
                u.IsActive, status, u.MustChangePassword, u.CreatedAt, u.LastLoginAt, u.DeactivatedAt, grant);
        })];
    }
}
