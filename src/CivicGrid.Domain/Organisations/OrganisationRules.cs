using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Organisations;

/// <summary>A named rule of the organisation register; <see cref="Name"/> is stable for clients and tests.</summary>
/// <param name="Message">English, for logs.</param>
/// <param name="ChineseMessage">For the person acting.</param>
public sealed record OrganisationRule(string Name, string Message, string ChineseMessage);

/// <summary>
/// An organisation change refused by one of <see cref="OrganisationRules"/>; nothing changed. <see cref="Rule"/> names the
/// broken rule (e.g. <c>organisation.parent.cycle</c>).
/// </summary>
public sealed class OrganisationRuleException(OrganisationRule rule) : Exception(rule.Message)
{
    public OrganisationRule Rule { get; } = rule;

    public string ChineseMessage => Rule.ChineseMessage;
}

/// <summary>The rules of the organisation register (部门、物业公司、业委会、驻街单位、商圈联盟) and of liaisons sunk into grids (条块下网).</summary>
public static class OrganisationRules
{
    public const int MaxNameLength = 100;
    public const int MaxCodeLength = 64;

    public static readonly OrganisationRule NameRequired = new("organisation.name.required",
        "An organisation needs a name of at most 100 characters.", "请填写组织名称（100 字以内）。");

    public static readonly OrganisationRule CodeMalformed = new("organisation.code.malformed",
        "A code is 1–64 letters, digits, '-' or '_'.", "组织编码须为 1–64 位字母、数字、“-”或“_”。");

    public static readonly OrganisationRule PhoneMalformed = new("organisation.phone.malformed",
        "A contact phone is 5–20 digits, optionally with '-', '+', spaces or parentheses.", "联系电话格式不正确（5–20 位数字，可含 -、+、空格或括号）。");

    public static readonly OrganisationRule ScopeLevel = new("organisation.scope.level",
        "The organisation's kind cannot serve a node of this level.", "所选范围的层级不适合这类组织。");

    public static readonly OrganisationRule ParentOnlyForDepartments = new("organisation.parent.only-departments",
        "Only a department has a parent.", "只有部门可以设置上级部门。");

    public static readonly OrganisationRule ParentMustBeDepartment = new("organisation.parent.must-be-department",
        "A department's parent must be a department.", "上级必须是一个部门。");

    public static readonly OrganisationRule ParentNotSelf = new("organisation.parent.not-self",
        "A department cannot be its own parent.", "部门不能是自己的上级。");

    public static readonly OrganisationRule ParentCycle = new("organisation.parent.cycle",
        "The parent lies below this department: the hierarchy would become a cycle.", "所选上级部门是本部门的下级，不能形成循环。");

    public static readonly OrganisationRule ParentRetired = new("organisation.parent.retired",
        "The parent department is retired.", "所选上级部门已停用。");

    public static readonly OrganisationRule ParentScope = new("organisation.parent.scope",
        "A department serves inside its parent's region.", "下级部门的服务范围须在上级部门的服务范围之内。");

    public static readonly OrganisationRule CompoundRequired = new("organisation.compound.required",
        "An owners' committee belongs to one compound.", "业主委员会须属于一个院落（小区），请选择院落。");

    public static readonly OrganisationRule CompoundOnlyForOwnersCommittees = new("organisation.compound.only-owners-committees",
        "Only an owners' committee belongs to a compound.", "只有业主委员会属于某个院落。");

    public static readonly OrganisationRule CompoundOutsideScope = new("organisation.compound.outside-scope",
        "The compound lies outside the organisation's region.", "所选院落不在该组织的服务范围内。");

    public static readonly OrganisationRule RedPropertyOnlyForPropertyCompanies = new("organisation.red-property.only-property-companies",
        "Only a property company can be a red property company.", "只有物业公司可以标记为红色物业。");

    public static readonly OrganisationRule Retired = new("organisation.retired",
        "The organisation is retired; reinstate it first.", "该组织已停用，请先恢复后再操作。");

    public static readonly OrganisationRule AlreadyRetired = new("organisation.already-retired",
        "The organisation is already retired.", "该组织已经停用。");

    public static readonly OrganisationRule NotRetired = new("organisation.not-retired",
        "The organisation is in service.", "该组织未停用，无需恢复。");

    public static readonly OrganisationRule RetireWithActiveChildren = new("organisation.retire.active-children",
        "A department with departments in service below it cannot be retired.", "该部门下还有在用的下级部门，请先停用或调整下级部门。");

    public static readonly OrganisationRule RetireWithCompounds = new("organisation.retire.serves-compounds",
        "A property company still serving compounds cannot be retired.", "该物业公司仍在服务院落，请先将院落移交其他物业公司或解除服务关系。");

    public static readonly OrganisationRule CompoundsOnlyForPropertyCompanies = new("organisation.compounds.only-property-companies",
        "Only a property company serves compounds.", "只有物业公司可以设置服务的院落。");

    public static readonly OrganisationRule LiaisonRole = new("liaison.role",
        "Only a department liaison can be sunk into grids.", "只有下沉人员（department-liaison）可以下沉到网格。");

    public static readonly OrganisationRule LiaisonDepartment = new("liaison.department",
        "The liaison does not work for this department.", "该人员不属于这个部门。");

    public static readonly OrganisationRule LiaisonNotDepartment = new("liaison.not-department",
        "Only a department sinks liaisons into grids.", "只有部门可以向网格下沉人员。");

    public static readonly OrganisationRule LiaisonGridLevel = new("liaison.grid.level",
        "A liaison is sunk into third-level grids.", "下沉人员只能挂到三级网格（或专属网格）。");

    public static readonly OrganisationRule LiaisonGridOutsideScope = new("liaison.grid.outside-scope",
        "The grid lies outside the liaison's or the department's region.", "该网格不在下沉人员或其部门的工作范围内。");

    public static readonly OrganisationRule AttachmentDates = new("liaison.attachment.dates",
        "An attachment ends on or after the day it starts.", "结束日期不能早于开始日期。");

    public static readonly IReadOnlyList<OrganisationRule> All =
    [
        NameRequired, CodeMalformed, PhoneMalformed, ScopeLevel, ParentOnlyForDepartments, ParentMustBeDepartment, ParentNotSelf, ParentCycle,
        ParentRetired, ParentScope, CompoundRequired, CompoundOnlyForOwnersCommittees, CompoundOutsideScope, RedPropertyOnlyForPropertyCompanies,
        Retired, AlreadyRetired, NotRetired, RetireWithActiveChildren, RetireWithCompounds, CompoundsOnlyForPropertyCompanies, LiaisonRole,
        LiaisonDepartment, LiaisonNotDepartment, LiaisonGridLevel, LiaisonGridOutsideScope, AttachmentDates,
    ];

    /// <summary>
    /// The levels of the tree each kind may serve: a department a district or subdistrict (区级部门、街道科室、派出所); a property
    /// company a district, subdistrict or community; an owners' committee a community or a grid below it (its compound lies there);
    /// a public unit a subdistrict, a community, a grid or its dedicated grid; a business alliance a subdistrict, a community or a
    /// dedicated grid (a street of shops).
    /// </summary>
    public static bool MayServe(OrganisationKind kind, GridLevel level, GridKind gridKind) => kind switch
    {
        OrganisationKind.Department => gridKind == GridKind.Territorial && level is GridLevel.District or GridLevel.Subdistrict,
        OrganisationKind.PropertyCompany => gridKind == GridKind.Territorial && level is GridLevel.District or GridLevel.Subdistrict or GridLevel.Community,
        OrganisationKind.OwnersCommittee => gridKind == GridKind.Territorial && level is GridLevel.Community or GridLevel.Second or GridLevel.Third,
        OrganisationKind.PublicUnit => gridKind == GridKind.Dedicated
            || level is GridLevel.Subdistrict or GridLevel.Community or GridLevel.Second or GridLevel.Third,
        OrganisationKind.Alliance => gridKind == GridKind.Dedicated || level is GridLevel.Subdistrict or GridLevel.Community,
        _ => false,
    };

    /// <summary>In Chinese: which levels a kind may serve, for the refusal.</summary>
    public static string ServedLevelsInChinese(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Department => "部门的服务范围须为区或街道",
        OrganisationKind.PropertyCompany => "物业公司的服务范围须为区、街道或社区",
        OrganisationKind.OwnersCommittee => "业委会的范围须为社区、二级网格或三级网格",
        OrganisationKind.PublicUnit => "驻街单位的范围须为街道、社区、二级或三级网格、专属网格",
        OrganisationKind.Alliance => "商圈联盟的范围须为街道、社区或专属网格",
        _ => "未知的组织类型",
    };

    /// <summary>Letters, digits, '-' and '_', 1–64 characters.</summary>
    public static bool IsWellFormedCode(string? code) =>
        code is { Length: > 0 and <= MaxCodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A public contact number: 5–20 digits, optionally with '-', '+', spaces and parentheses (029-87654321, 12345).</summary>
    public static bool IsWellFormedPhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = phone.Count(char.IsAsciiDigit);
        return phone.Length <= 24 && digits is >= 5 and <= 20 && phone.All(c => char.IsAsciiDigit(c) || c is '-' or '+' or ' ' or '(' or ')');
    }

    /// <summary>
    /// The code an organisation gets when none is given: its kind, its scope node and a number, e.g.
    /// <c>dept-610103099-03</c>. <paramref name="taken"/> says whether a code is in use; the first free number is taken, so a
    /// code never changes once given.
    /// </summary>
    public static string GenerateCode(OrganisationKind kind, string scopeCode, Func<string, bool> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var prefix = kind switch
        {
            OrganisationKind.Department => "dept",
            OrganisationKind.PropertyCompany => "prop",
            OrganisationKind.OwnersCommittee => "oc",
            OrganisationKind.PublicUnit => "unit",
            OrganisationKind.Alliance => "ally",
            _ => "org",
        };
        for (var n = 1; ; n++)
        {
            var code = $"{prefix}-{scopeCode}-{n:D2}";
            if (!taken(code))
            {
                return code;
            }
        }
    }

    internal static void Require(bool condition, OrganisationRule rule)
    {
        if (!condition)
        {
            throw new OrganisationRuleException(rule);
        }
    }
}
