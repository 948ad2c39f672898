namespace CivicGrid.Domain.Organisations;

public enum OrganisationKind
{
    /// <summary>A government department or service that sends liaisons down to the grids (政法, 应急, 公安, 城管…).</summary>
    Department = 1,

    /// <summary>A property management company serving compounds (物业).</summary>
    PropertyCompany = 2,
}

/// <summary>A department or property company. It serves within a region of the tree (its scope code).</summary>
public sealed class Organisation
{
    private Organisation()
    {
        Code = null!;
        Name = null!;
        ScopeCode = null!;
    }

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

    /// <summary>Short stable code, e.g. <c>dept-police</c> or a unified social credit code.</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public OrganisationKind Kind { get; private set; }

    /// <summary>The node of the tree the organisation serves; staff of it are scoped at or below it.</summary>
    public string ScopeCode { get; private set; }

    /// <summary>Public contact phone of the organisation (not personal data).</summary>
    public string? ContactPhone { get; set; }
}
