using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicGrid.Server.Features.Roster;

/// <summary>Who may do what with the roster, training and work IDs, and the Chinese words for the domain's refusals.</summary>
public static class RosterRules
{
    public const string RuleType = "/problems/roster-rule";

    /// <summary>Community staff keep their community's roster; the operations centre and grid leaders read it.</summary>
    public static readonly string[] Readers =
        [Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue(), Role.GridLeader.ToClaimValue()];

    public static readonly string[] Keepers = [Role.CommunityStaff.ToClaimValue()];

    /// <summary>Training and work IDs: the community and the subdistrict's operations centre.</summary>
    public static readonly string[] Trainers = [Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue()];

    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Beijing).DateTime);

    public static string LevelChinese(GridLevel level) => level switch
    {
        GridLevel.District => "区",
        GridLevel.Subdistrict => "街道",
        GridLevel.Community => "社区",
        GridLevel.Second => "二级网格",
        GridLevel.Third => "三级网格",
        GridLevel.Micro => "微网格",
        _ => level.ToString(),
    };

    /// <summary>422 with the broken rule's name and a Chinese sentence.</summary>
    public static ProblemHttpResult Broken(RosterRuleException e, MemberKind kind)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Problems.Create(StatusCodes.Status422UnprocessableEntity, RuleType, "A roster rule is broken.", Chinese(e.Rule, kind),
            new Dictionary<string, object?> { ["rule"] = e.Rule });
    }

    public static string Chinese(string rule, MemberKind kind) => rule switch
    {
        RosterRuleException.KindDoesNotFitLevel =>
            $"{kind.ToChinese()}只能安排在{string.Join("或", RosterKinds.LevelsFor(kind).Select(LevelChinese))}。",
        RosterRuleException.GridOutsideCommunity => "该网格不在此人所属的社区内。",
        RosterRuleException.AlreadyAssigned => "此人已在该网格在岗。",
        RosterRuleException.MemberHasLeft => "此人已离开网格员队伍，不能再安排网格。",
        RosterRuleException.AssignmentAlreadyEnded => "这条任职已经结束。",
        RosterRuleException.DateBeforeStart => "日期不能早于到岗日期。",
        RosterRuleException.UnknownAssignment => "找不到这条任职记录。",
        _ => "不符合网格员队伍管理规则。",
    };

    /// <summary>A grid of the caller's scope by code: null with a problem when it is unknown or outside the scope.</summary>
    public static (GridInfo? Grid, ProblemHttpResult? Problem) FindGrid(GeographySnapshot snapshot, ClaimsPrincipal caller, string? code, string field)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (string.IsNullOrWhiteSpace(code) || !snapshot.Grids.TryGetValue(code.Trim(), out var grid))
        {
            return (null, Problems.Validation(field, "请选择一个网格。"));
        }

        return caller.GetScope().Covers(grid.Code) ? (grid, null) : (null, Problems.Forbidden("该网格不在您的管辖范围内。"));
    }

    /// <summary>The community a grid code lies in (its first 12 digits), or null above the community level.</summary>
    public static string? CommunityOf(string code) => code.Length >= GridCodes.CommunityLength ? code[..GridCodes.CommunityLength] : null;

    public static string NameOf(GeographySnapshot snapshot, string code) => snapshot.Grids.TryGetValue(code, out var g) ? g.Name : code;
}
