using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Cases.Queries;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.PersonalData;

/// <param name="Reason">Why the caller needs the data (optional, kept in the audit row), e.g. 回访核实.</param>
public sealed record RevealRequest(string? Reason);

/// <param name="ReporterName">In full; null when the case has no named reporter.</param>
/// <param name="ReporterPhone">In full; null when the case has no phone number.</param>
/// <param name="AuditId">The audit row this view was recorded as.</param>
public sealed record PersonalDataResponse(string Number, string? ReporterName, string? ReporterPhone, DateTimeOffset RevealedAt, Guid AuditId);

/// <param name="Fields">What was shown in full: reporterName, reporterPhone.</param>
/// <param name="Outcome">revealed, or refused-role (asked without the permission; nothing was shown).</param>
public sealed record RevealAuditEntry(Guid Id, DateTimeOffset At, Guid UserId, string UserName, string CaseNumber, string GridCode,
    IReadOnlyList<string> Fields, string? ClientIp, string? Reason, string Outcome);

public sealed record RevealAuditPage(int Total, int Page, int PageSize, IReadOnlyList<RevealAuditEntry> Items);

/// <summary>
/// Personal data of reporters leaves the server masked (<see cref="Masking"/>). The roles that call reporters back and
/// settle matters with them may see it in full, one case at a time, and every such view is written to
/// <c>personal_data_reveals</c> in the same transaction: community staff (社区两委), the subdistrict operations centre
/// and district users. Grid workers and leaders, micro-grid workers, property staff and department liaisons work the
/// case without the reporter's identity (they reach the reporter through the community); administrators run the
/// system and do not read citizens' data by default; the security and audit administrators read the audit trail, which
/// also holds refused attempts by roles without the permission.
/// </summary>
public static class PersonalDataApi
{
    /// <summary>Roles that may see a reporter's name and phone in full (audited): the domain's one definition, which also decides who needs a second factor.</summary>
    public static IReadOnlySet<Role> MayReveal => Roles.RevealPersonalData;

    /// <summary>Roles that read the audit of reveals.</summary>
    public static readonly IReadOnlySet<Role> MayAudit = new HashSet<Role> { Role.SecurityAdmin, Role.AuditAdmin };

    public const string ReporterNameField = "reporterName";
    public const string ReporterPhoneField = "reporterPhone";

    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/audit/reveals", ListReveals).WithTags("Audit").WithName("ListPersonalDataReveals")
            .WithSummary("Who saw which case's personal data in full, when, from where (security and audit administrators).");
        return routes;
    }

    public static async Task<Results<Ok<PersonalDataResponse>, ProblemHttpResult>> Reveal(string number, RevealRequest? request,
        ClaimsPrincipal principal, HttpContext http, CivicGridDbContext db, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(PersonalDataApi));
        if (request?.Reason is { Length: > 500 })
        {
            return Problems.Validation("reason", "查看原因不能超过 500 个字。");
        }

        var userId = principal.GetUserId()!.Value;
        var userName = principal.FindFirstValue(CivicGridClaims.UserName) ?? userId.ToString();
        if (!principal.GetRoles().Any(MayReveal.Contains))
        {
            // The attempt is audited too (nothing was shown): an auditor sees who keeps asking for citizens' data. Only a
            // case the caller may see is recorded, so the refusal says nothing about cases outside their scope.
            logger.LogWarning("Personal data of case {Number} refused to user {UserId}: role may not reveal", number, userId);
            var seen = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => new { c.Id, c.Number, c.GridCode }).SingleOrDefaultAsync(ct);
            if (seen is not null)
            {
                db.PersonalDataReveals.Add(new PersonalDataReveal(userId, userName, seen.Id, seen.Number, seen.GridCode, [],
                    http.Connection.RemoteIpAddress?.ToString(), request?.Reason, time.GetUtcNow(), PersonalDataReveal.RefusedRole));
                await db.SaveChangesAsync(ct);
            }

            return Problems.Forbidden("您的角色无权查看报告人的完整个人信息。如需联系报告人，请通过社区或街道城运中心。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var found = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        if (found is null)
        {
            return Problems.NotFound($"找不到编号为 {number} 的案件，或它不在您的查看范围内。");
        }

        var (name, phone) = await ReporterContact.LoadAsync(db, found, ct);
        var fields = new List<string>();
        if (name is not null)
        {
            fields.Add(ReporterNameField);
        }

        if (phone is not null)
        {
            fields.Add(ReporterPhoneField);
        }

        var now = time.GetUtcNow();
        var audit = new PersonalDataReveal(userId, userName, found.Id, found.Number, found.GridCode, fields,
            http.Connection.RemoteIpAddress?.ToString(), request?.Reason, now);
        db.PersonalDataReveals.Add(audit);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Personal data of case {Number} revealed to {UserName} ({Fields})", found.Number, userName, audit.Fields);
        return TypedResults.Ok(new PersonalDataResponse(found.Number, name, phone, now, audit.Id));
    }

    /// <param name="caseNumber">Only reveals of this case.</param>
    /// <param name="userName">Only reveals by this user.</param>
    /// <param name="outcome">Only revealed or only refused-role attempts.</param>
    public static async Task<Results<Ok<RevealAuditPage>, ProblemHttpResult>> ListReveals(string? caseNumber, string? userName, string? outcome, int? page,
        int? pageSize, ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        if (!principal.GetRoles().Any(MayAudit.Contains))
        {
            return Problems.Forbidden("只有安全管理员和审计管理员可以查看个人信息查看记录。");
        }

        var size = pageSize ?? 50;
        var number = page ?? 1;
        var errors = new Dictionary<string, string[]>();
        if (size is < 1 or > CaseFilter.MaxPageSize)
        {
            errors["pageSize"] = [$"每页条数应在 1 到 {CaseFilter.MaxPageSize} 之间。"];
        }

        if (number < 1)
        {
            errors["page"] = ["页码从 1 开始。"];
        }

        if (outcome is not null && outcome != PersonalDataReveal.Revealed && outcome != PersonalDataReveal.RefusedRole)
        {
            errors["outcome"] = [$"outcome 只能是 {PersonalDataReveal.Revealed} 或 {PersonalDataReveal.RefusedRole}。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var query = db.PersonalDataReveals.AsNoTracking();
        if (outcome is not null)
        {
            query = query.Where(r => r.Outcome == outcome);
        }

        if (!string.IsNullOrWhiteSpace(caseNumber))
        {
            query = query.Where(r => r.CaseNumber == caseNumber.Trim());
        }

        if (!string.IsNullOrWhiteSpace(userName))
        {
            query = query.Where(r => r.UserName == userName.Trim());
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new RevealAuditPage(total, number, size, [.. rows.Select(r => new RevealAuditEntry(r.Id, r.At, r.UserId, r.UserName,
            r.CaseNumber, r.GridCode, r.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries), r.ClientIp, r.Reason, r.Outcome))]));
    }
}
