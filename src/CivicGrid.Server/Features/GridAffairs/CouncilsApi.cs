using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>A courtyard council's record.</summary>
public sealed record CouncilResponse(Guid Id, string CompoundCode, string CompoundName, string GridCode, string GridName, DateOnly HeldOn, string Place,
    IReadOnlyList<CouncilParticipant> Participants, IReadOnlyList<string> Topics, IReadOnlyList<string> Decisions, IReadOnlyList<CouncilFollowUp> FollowUps,
    string? RecordedByName, DateTimeOffset RecordedAt);

/// <param name="Becomes">note, need or case.</param>
/// <param name="Kind">For a need: what is needed.</param>
/// <param name="CategoryCode">For a case: its subcategory.</param>
public sealed record FollowUpInput(string? Text, FollowUpKind? Becomes, ServiceKind? Kind, NeedUrgency? Urgency, string? CategoryCode);

public sealed record ParticipantInput(CouncilRole? Role, string? Name);

/// <param name="HeldOn">The day it was held (today when left out; not in the future).</param>
/// <param name="FollowUps">Each becomes a need (source council) or a case filed at the compound, with the council, all or nothing.</param>
public sealed record RecordCouncilRequest(string? CompoundCode, DateOnly? HeldOn, string? Place, IReadOnlyList<ParticipantInput>? Participants,
    IReadOnlyList<string>? Topics, IReadOnlyList<string>? Decisions, IReadOnlyList<FollowUpInput>? FollowUps);

/// <summary>Courtyard councils (楼院议事会): a compound's meeting, its decisions and follow-ups that become needs or cases.</summary>
public static class CouncilsApi
{
    public static IEndpointRouteBuilder MapCouncilsApi(this IEndpointRouteBuilder routes)
    {
        var councils = routes.MapGroup("/api/councils").WithTags("Grid affairs").RequireAuthorization(p => p.RequireRole(GridAffairsRules.Readers));
        councils.MapGet("/", List).WithName("ListCouncils").WithSummary("Courtyard councils of the caller's scope, newest first, by compound, grid and dates.");
        councils.MapGet("/export.xlsx", Export).WithName("ExportCouncils").WithSecurityEvent(SecurityEventKind.Exported, "councils", "导出楼院议事会记录")
            .WithSummary("The list's selection as Excel.");
        councils.MapGet("/{id:guid}", Get).WithName("GetCouncil").WithSummary("One council with its follow-ups and what they became.");
        councils.MapPost("/", Record).RequireAuthorization(p => p.RequireRole(GridAffairsRules.CouncilRecorders)).WithIdempotency().WithName("RecordCouncil")
            .WithSummary("Record a courtyard council; its follow-ups become needs or cases in the same transaction.");
        return routes;
    }

    private static (IQueryable<CourtyardCouncil>? Query, ProblemHttpResult? Problem) Filter(CivicGridDbContext db, string? compoundCode, string? gridCode,
        DateOnly? from, DateOnly? to)
    {
        var errors = new Dictionary<string, string[]>();
        GridAffairsRules.Dates(from, to, errors);
        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        var query = db.CourtyardCouncils.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(compoundCode))
        {
            var code = compoundCode.Trim();
            query = query.Where(c => c.CompoundCode == code);
        }

        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(c => c.GridCode.StartsWith(code));
        }

        query = from is { } f ? query.Where(c => c.HeldOn >= f) : query;
        query = to is { } t ? query.Where(c => c.HeldOn <= t) : query;
        return (query, null);
    }

    public static async Task<Results<Ok<List<CouncilResponse>>, ProblemHttpResult>> List(string? compoundCode, string? gridCode, DateOnly? from, DateOnly? to,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var (query, problem) = Filter(db, compoundCode, gridCode, from, to);
        if (query is null)
        {
            return problem!;
        }

        var councils = await query.OrderByDescending(c => c.HeldOn).Take(GridAffairsRules.MaxExportRows).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(councils, db, await geography.GetAsync(ct), ct));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string? compoundCode, string? gridCode, DateOnly? from, DateOnly? to,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (query, problem) = Filter(db, compoundCode, gridCode, from, to);
        if (query is null)
        {
            return problem!;
        }

        var councils = await query.OrderByDescending(c => c.HeldOn).Take(GridAffairsRules.MaxExportRows).ToListAsync(ct);
        var rows = await DescribeAsync(councils, db, await geography.GetAsync(ct), ct);
        return await GridAffairsRules.ExcelAsync(rows.Select(c => new Dictionary<string, object?>
        {
            ["议事日期"] = c.HeldOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["楼院"] = c.CompoundName,
            ["网格"] = c.GridName,
            ["地点"] = c.Place,
            ["参会人数"] = c.Participants.Count,
            ["议题"] = string.Join("；", c.Topics),
            ["议定事项"] = string.Join("；", c.Decisions),
            ["后续事项"] = string.Join("；", c.FollowUps.Select(f => f.Text)),
            ["记录人"] = c.RecordedByName,
        }), "楼院议事会", time, ct);
    }

    public static async Task<Results<Ok<CouncilResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var council = await db.CourtyardCouncils.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return council is null
            ? Problems.NotFound("找不到这次楼院议事会，或它不在您的管辖范围内。")
            : TypedResults.Ok((await DescribeAsync([council], db, await geography.GetAsync(ct), ct))[0]);
    }

    public static async Task<Results<Created<CouncilResponse>, ProblemHttpResult>> Record(RecordCouncilRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CaseIntake intake, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.CompoundCode))
        {
            errors["compoundCode"] = ["请选择召开议事会的楼院。"];
        }

        var participants = request.Participants ?? [];
        if (participants.Any(p => p.Role is null || string.IsNullOrWhiteSpace(p.Name) || p.Name.Trim().Length > CommunityRules.MaxNameLength))
        {
            errors["participants"] = ["每位参会人员须有身份（居民、楼院长、物业、业委会或工作人员）和姓名。"];
        }

        var followUps = request.FollowUps ?? [];
        for (var i = 0; i < followUps.Count; i++)
        {
            var f = followUps[i];
            if (string.IsNullOrWhiteSpace(f.Text) || f.Text.Trim().Length > CommunityRules.MaxTextLength)
            {
                errors[$"followUps[{i}].text"] = ["请填写后续事项的内容。"];
            }
            else if (f.Becomes == FollowUpKind.Need && f.Kind is null)
            {
                errors[$"followUps[{i}].kind"] = ["转为需求时须选择需求类别。"];
            }
            else if (f.Becomes == FollowUpKind.Case && string.IsNullOrWhiteSpace(f.CategoryCode))
            {
                errors[$"followUps[{i}].categoryCode"] = ["转为事件时须选择事件类别。"];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var snapshot = await geography.GetAsync(ct);
        var (place, problem) = await GridAffairsRules.PlaceAsync(null, request.CompoundCode, null, caller, db, snapshot, ct);
        if (place is null)
        {
            return problem!;
        }

        var userId = caller.GetUserId();
        var now = time.GetUtcNow();
        CourtyardCouncil council;
        try
        {
            council = new CourtyardCouncil(place.CompoundCode!, place.CompoundName!, place.GridCode, request.HeldOn ?? GridAffairsRules.Today(time),
                GridAffairsRules.Today(time), request.Place ?? string.Empty, participants.Select(p => new CouncilParticipant(p.Role!.Value, p.Name!)),
                request.Topics ?? [], request.Decisions ?? [], userId, now);
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }

        var displayName = caller.FindFirst(CivicGridClaims.DisplayName)?.Value;
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
                db.CourtyardCouncils.Add(council);
                foreach (var f in followUps)
                {
                    var text = f.Text!.Trim();
                    switch (f.Becomes ?? FollowUpKind.Note)
                    {
                        case FollowUpKind.Need:
                            var need = new Need(f.Kind!.Value, f.Urgency ?? NeedUrgency.Normal, text, $"{place.CompoundName}居民", place.GridCode, place.CompoundCode,
                                null, place.Lon, place.Lat, NeedSource.Council, council.Id.ToString(), userId, now);
                            db.Needs.Add(need);
                            council.FollowUp(text, FollowUpKind.Need, need.Id);
                            break;
                        case FollowUpKind.Case:
                            var result = await intake.ReportInTransactionAsync(new IntakeCommand(CaseChannel.StaffEntry, f.CategoryCode!.Trim(), null,
                                $"{place.CompoundName}楼院议事会：{text}", place.Lon ?? 0, place.Lat ?? 0, 0, null, place.CompoundCode, null, null,
                                $"{place.CompoundName}楼院议事会（{displayName}登记）", null, [], userId) { Door = IntakeDoor.Council }, db, ct);
                            council.FollowUp(text, FollowUpKind.Case, caseNumber: result.Case.Number);
                            break;
                        default:
                            council.FollowUp(text, FollowUpKind.Note);
                            break;
                    }
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            });
        }
        catch (IntakeRefusedException e)
        {
            return Problems.Validation("followUps", e.ChineseMessage);
        }

        return TypedResults.Created($"/api/councils/{council.Id}", (await DescribeAsync([council], db, snapshot, ct))[0]);
    }

    internal static async Task<List<CouncilResponse>> DescribeAsync(IReadOnlyList<CourtyardCouncil> councils, CivicGridDbContext db, GeographySnapshot snapshot,
        CancellationToken ct)
    {
        var users = await GridAffairsRules.UserNamesAsync(db, councils.Select(c => c.RecordedBy), ct);
        return [.. councils.Select(c => new CouncilResponse(c.Id, c.CompoundCode, c.CompoundName, c.GridCode, GridAffairsRules.GridName(snapshot, c.GridCode),
            c.HeldOn, c.Place, [.. c.Participants.Select(p => p.Role == CouncilRole.Resident ? p with { Name = Masking.PersonName(p.Name)! } : p)], c.Topics, c.Decisions, c.FollowUps, c.RecordedBy is { } u ? users.GetValueOrDefault(u) : null, c.RecordedAt))];
    }
}
