namespace CivicGrid.Domain.GridAffairs;

/// <summary>A named rule of the three lists, claims and courtyard councils; <see cref="Name"/> is stable for clients and tests.</summary>
/// <param name="Message">English, for logs.</param>
/// <param name="ChineseMessage">For the person acting.</param>
public sealed record CommunityRule(string Name, string Message, string ChineseMessage);

/// <summary>A change refused by one of <see cref="CommunityRules"/>; nothing changed.</summary>
public sealed class CommunityRuleException(CommunityRule rule) : InvalidOperationException(rule.Message)
{
    public CommunityRule Rule { get; } = rule;

    public string ChineseMessage => Rule.ChineseMessage;
}

/// <summary>The rules of needs (需求清单), resources (资源清单), projects (项目清单), claims (认领) and courtyard councils (楼院议事会).</summary>
public static class CommunityRules
{
    public const int MaxTextLength = 500;
    public const int MaxNameLength = 100;

    public static readonly CommunityRule NeedNotOpen = new("need.not-open",
        "Only an open or matched need can be matched, met or closed.", "这条需求已办结或已关闭，不能再更改。");

    public static readonly CommunityRule NeedNotClosed = new("need.not-closed",
        "Only a closed need can be reopened.", "只有已关闭的需求可以重新打开。");

    public static readonly CommunityRule ResourceDoesNotOffer = new("need.resource-does-not-offer",
        "The resource does not offer what the need asks for.", "该资源不提供这类服务，不能与这条需求对接。");

    public static readonly CommunityRule ResourceInactive = new("resource.inactive",
        "The resource is no longer available.", "该资源已停用。");

    public static readonly CommunityRule NeedOutsideProject = new("need.outside-project",
        "A project meets needs of its own grids only.", "这条需求不在该项目所植入的网格内。");

    public static readonly CommunityRule ProjectNotRunning = new("project.not-running",
        "A project meets needs and counts people while planned or running.", "项目已结束或已取消，不能再登记。");

    public static readonly CommunityRule ProjectTransition = new("project.transition",
        "The project cannot go to that status from its current one.", "项目当前的状态不能进行这个操作。");

    public static readonly CommunityRule ProjectGrids = new("project.grids",
        "A project is planted in at least one grid.", "请至少选择一个植入的网格。");

    public static readonly CommunityRule ProjectDates = new("project.dates",
        "A project ends on or after the day it starts.", "项目结束日期不能早于开始日期。");

    public static readonly CommunityRule NegativeCount = new("project.negative-count",
        "Participants and beneficiaries are counts (zero or more).", "参与人数和受益人数不能为负数。");

    public static readonly CommunityRule ResourceOffers = new("resource.offers",
        "A resource offers at least one kind of service.", "请至少选择一项可提供的服务。");

    public static readonly CommunityRule ResourceOrganisation = new("resource.organisation",
        "A public unit or property company resource is an organisation of that kind.", "驻街单位、物业公司类资源须选择对应类别的单位。");

    public static readonly CommunityRule ClaimerKind = new("claim.claimer-kind",
        "An ownerless compound is claimed by a red property company or a public unit; grid affairs by a party member or a public unit.",
        "无主楼院只能由红色物业或驻街单位认领；网格事务只能由双报到党员或驻街单位认领。");

    public static readonly CommunityRule CompoundHasProperty = new("claim.compound-has-property",
        "Only an ownerless compound (no property company) is claimed.", "该楼院已有物业服务企业，不属于无主楼院。");

    public static readonly CommunityRule ClaimOverlaps = new("claim.overlaps",
        "The compound is already claimed for part of that period.", "该楼院在这段时间内已被认领，认领期限不能重叠。");

    public static readonly CommunityRule ClaimPeriod = new("claim.period",
        "A claim ends after it starts.", "认领结束日期须晚于开始日期。");

    public static readonly CommunityRule ClaimEnded = new("claim.ended",
        "The claim has ended.", "该认领已结束。");

    public static readonly CommunityRule FulfilmentOutsidePeriod = new("claim.fulfilment-outside-period",
        "Fulfilment is recorded within the claim's period.", "履约日期须在认领期限之内。");

    public static readonly CommunityRule TaskOutsideProject = new("project.task-outside-dates",
        "A project task falls within the project's dates.", "任务日期须在项目的起止日期之内。");

    public static readonly CommunityRule TaskPeople = new("project.task-people",
        "A project task wants between 1 and 1000 people.", "任务需要的人数应在 1 到 1000 之间。");

    public static readonly CommunityRule CouncilTopics = new("council.topics",
        "A courtyard council discusses at least one topic.", "请至少填写一项议题。");

    public static readonly CommunityRule CouncilResidents = new("council.residents",
        "A courtyard council has residents among its participants.", "楼院议事会的参会人员中须有居民。");

    public static readonly CommunityRule CouncilInFuture = new("council.in-future",
        "A council is recorded after it was held.", "议事日期不能晚于今天。");

    public static readonly CommunityRule TextRequired = new("text.required",
        "A description of at most 500 characters is required.", "请填写说明（500 字以内）。");

    /// <summary>Throws <see cref="CommunityRuleException"/> with <paramref name="rule"/> unless <paramref name="holds"/>.</summary>
    public static void Require(bool holds, CommunityRule rule)
    {
        if (!holds)
        {
            throw new CommunityRuleException(rule);
        }
    }

    /// <summary>Trimmed text of 1 to <paramref name="max"/> characters, else the rule is broken.</summary>
    public static string Text(string? text, CommunityRule rule, int max = MaxTextLength)
    {
        var clean = (text ?? string.Empty).Trim();
        Require(clean.Length is > 0 && clean.Length <= max, rule);
        return clean;
    }
}
