using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Organisations;

/// <summary>What an organisation is; API names are kebab-case (<c>property-company</c>, <c>owners-committee</c>…).</summary>
public enum OrganisationKind
{
    /// <summary>A government department or service that sends liaisons down to the grids (政法委, 应急, 公安, 城管…), or a subdistrict office.</summary>
    Department = 1,

    /// <summary>A property management company serving compounds (物业); may be a red property company (红色物业).</summary>
    PropertyCompany = 2,

    /// <summary>The owners' committee of one compound (业委会).</summary>
    OwnersCommittee = 3,

    /// <summary>A public institution or company based in the subdistrict (驻街单位): a school, hospital, bank branch…</summary>
    PublicUnit = 4,

    /// <summary>A business alliance of a street or shopping area (商圈联盟).</summary>
    Alliance = 5,
}

/// <summary>A node of the territorial tree as the organisation register needs it: its code, level and kind.</summary>
public sealed record ScopeNode(string Code, GridLevel Level, GridKind Kind);

/// <summary>A compound as the organisation register needs it.</summary>
/// <param name="GridCode">The finest grid the compound lies in.</param>
public sealed record CompoundPlace(Guid Id, string Code, string GridCode);

/// <summary>
/// A department, property company, owners' committee, public unit or business alliance. It serves a region of the tree (its
/// scope code, a node of the right level for its kind); staff of it are scoped at or below it. Organisations are never
/// deleted, because cases and accounts point to them: they are retired (no longer offered for new dispatches or accounts;
/// old cases keep their name) and may be reinstated. Every refusal is an <see cref="OrganisationRuleException"/>.
/// </summary>
public sealed class Organisation
{
    private Organisation()
    {
        Code = null!;
        Name = null!;
        ScopeCode = null!;
    }

    /// <summary>Registers an organisation without checking its place in the tree; <see cref="Create"/> checks every rule.</summary>
    public Organisation(string code, string name, OrganisationKind kind, string scopeCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = Guid.CreateVersion7();
        Code = code;
        Name = name;
        Kind = kind;
        ScopeCode = scopeCode;
    }

    public Guid Id { get; private set; }

    /// <summary>Short stable code, e.g. <c>dept-police</c> or a unified social credit code; generated when none is given, never changed.</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public OrganisationKind Kind { get; private set; }

    /// <summary>The node of the tree the organisation serves; staff of it are scoped at or below it.</summary>
    public string ScopeCode { get; private set; }

    /// <summary>Public contact phone of the organisation (not personal data).</summary>
    public string? ContactPhone { get; private set; }

    /// <summary>A department's parent department (派出所 → 公安分局); null for the others and for a top department.</summary>
    public Guid? ParentId { get; private set; }

    /// <summary>A property company led by party building (红色物业); false for every other kind.</summary>
    public bool IsRedProperty { get; private set; }

    /// <summary>The compound an owners' committee belongs to; null for every other kind.</summary>
    public Guid? CompoundId { get; private set; }

    /// <summary>When it was retired; null while in service.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>The user who retired it.</summary>
    public Guid? RetiredBy { get; private set; }

    public bool IsActive => RetiredAt is null;

    /// <summary>
    /// A new organisation placed in the tree, every rule checked: the name, the code (<paramref name="code"/> already chosen,
    /// see <see cref="OrganisationRules.GenerateCode"/>), the phone, the scope's level for the kind, the parent (departments
    /// only, itself a department in service whose region holds this one's) and the compound (owners' committees only, inside
    /// the scope).
    /// </summary>
    public static Organisation Create(string code, string name, OrganisationKind kind, ScopeNode scope, string? contactPhone,
        Organisation? parent, CompoundPlace? compound, bool redProperty)
    {
        ArgumentNullException.ThrowIfNull(scope);
        OrganisationRules.Require(OrganisationRules.IsWellFormedCode(code), OrganisationRules.CodeMalformed);
        OrganisationRules.Require(Clean(name).Length is > 0 and <= OrganisationRules.MaxNameLength, OrganisationRules.NameRequired);
        var organisation = new Organisation(code, Clean(name), kind, scope.Code);
        organisation.Revise(name, contactPhone, scope, parent, compound, redProperty, _ => []);
        return organisation;
    }

    /// <summary>
    /// Changes what may change (everything but the code and the kind), checking the same rules as <see cref="Create"/>; a retired
    /// organisation is not changed (<see cref="OrganisationRules.Retired"/>).
    /// </summary>
    /// <param name="ancestorsOf">The parents above a department, nearest first (its own id is looked for in them: a cycle).</param>
    public void Revise(string name, string? contactPhone, ScopeNode scope, Organisation? parent, CompoundPlace? compound, bool redProperty,
        Func<Organisation, IEnumerable<Guid>> ancestorsOf)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(ancestorsOf);
        OrganisationRules.Require(IsActive, OrganisationRules.Retired);
        var cleanName = Clean(name);
        OrganisationRules.Require(cleanName.Length is > 0 and <= OrganisationRules.MaxNameLength, OrganisationRules.NameRequired);
        var phone = string.IsNullOrWhiteSpace(contactPhone) ? null : contactPhone.Trim();
        OrganisationRules.Require(phone is null || OrganisationRules.IsWellFormedPhone(phone), OrganisationRules.PhoneMalformed);
        OrganisationRules.Require(OrganisationRules.MayServe(Kind, scope.Level, scope.Kind), OrganisationRules.ScopeLevel);
        if (parent is not null)
        {
            OrganisationRules.Require(Kind == OrganisationKind.Department, OrganisationRules.ParentOnlyForDepartments);
            OrganisationRules.Require(parent.Kind == OrganisationKind.Department, OrganisationRules.ParentMustBeDepartment);
            OrganisationRules.Require(parent.Id != Id, OrganisationRules.ParentNotSelf);
            OrganisationRules.Require(!ancestorsOf(parent).Contains(Id), OrganisationRules.ParentCycle);
            OrganisationRules.Require(parent.IsActive, OrganisationRules.ParentRetired);
            OrganisationRules.Require(GridCodes.IsWithin(scope.Code, parent.ScopeCode), OrganisationRules.ParentScope);
        }

        if (Kind == OrganisationKind.OwnersCommittee)
        {
            OrganisationRules.Require(compound is not null, OrganisationRules.CompoundRequired);
            OrganisationRules.Require(GridCodes.IsWithin(compound!.GridCode, scope.Code), OrganisationRules.CompoundOutsideScope);
        }
        else
        {
            OrganisationRules.Require(compound is null, OrganisationRules.CompoundOnlyForOwnersCommittees);
        }

        OrganisationRules.Require(!redProperty || Kind == OrganisationKind.PropertyCompany, OrganisationRules.RedPropertyOnlyForPropertyCompanies);

        Name = cleanName;
        ContactPhone = phone;
        ScopeCode = scope.Code;
        ParentId = parent?.Id;
        CompoundId = compound?.Id;
        IsRedProperty = redProperty;
    }

    /// <summary>
    /// Takes the organisation out of service. A department with departments in service below it, or a property company still
    /// serving compounds, is refused: those must be settled first, so nothing points to a retired organisation for new work.
    /// </summary>
    public void Retire(Guid by, DateTimeOffset at, int activeChildDepartments, int compoundsServed)
    {
        OrganisationRules.Require(IsActive, OrganisationRules.AlreadyRetired);
        OrganisationRules.Require(activeChildDepartments == 0, OrganisationRules.RetireWithActiveChildren);
        OrganisationRules.Require(compoundsServed == 0, OrganisationRules.RetireWithCompounds);
        RetiredAt = at;
        RetiredBy = by;
    }

    /// <summary>Puts a retired organisation back in service; a department whose parent is retired stays retired.</summary>
    public void Reinstate(Organisation? parent)
    {
        OrganisationRules.Require(!IsActive, OrganisationRules.NotRetired);
        OrganisationRules.Require(parent is null || parent.IsActive, OrganisationRules.ParentRetired);
        RetiredAt = null;
        RetiredBy = null;
    }

    /// <summary>Sets the public contact phone without the other checks (the demo and imports of known data).</summary>
    public Organisation WithContactPhone(string? phone)
    {
        OrganisationRules.Require(phone is null || OrganisationRules.IsWellFormedPhone(phone), OrganisationRules.PhoneMalformed);
        ContactPhone = phone;
        return this;
    }

    /// <summary>Throws unless the organisation is in service: a retired one takes no new dispatch, account or attachment.</summary>
    public void EnsureInService() => OrganisationRules.Require(IsActive, OrganisationRules.Retired);

    private static string Clean(string? name) => (name ?? string.Empty).Trim();
}
