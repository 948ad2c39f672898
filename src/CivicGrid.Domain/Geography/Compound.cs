using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography;

/// <summary>
/// A courtyard or residential compound (院): a walled set of buildings with one address and,
/// usually, one property company. Coded within its community (逐院编号).
/// </summary>
public sealed class Compound
{
    private Compound()
    {
        Code = null!;
        Name = null!;
        Address = null!;
        GridCode = null!;
        Boundary = null!;
    }

    /// <param name="code">Community code + 4 digits.</param>
    /// <param name="gridCode">Code of the finest territorial grid the compound lies in.</param>
    public Compound(string code, string name, string address, string gridCode, Geometry boundary, Guid? propertyCompanyId)
    {
        if (code.Length != GridCodes.CommunityLength + 4 || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A compound code is its community's 12-digit code and 4 more digits.", nameof(code));
        }

        Id = Guid.CreateVersion7();
        Code = code;
        PropertyCompanyId = propertyCompanyId;
        Name = Address = GridCode = string.Empty;
        Boundary = boundary;
        Revise(name, address, gridCode, boundary);
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; }

    public string Name { get; private set; }

    /// <summary>Postal-style address in Chinese (e.g. 长乐路 12 号院).</summary>
    public string Address { get; private set; }

    /// <summary>The finest territorial grid the compound lies in; scope checks use this code.</summary>
    public string GridCode { get; private set; }

    /// <summary>Outline in WGS-84 lon/lat, SRID 4326.</summary>
    public Geometry Boundary { get; private set; }

    /// <summary>The property company serving the compound; null for an ownerless compound (无主楼院).</summary>
    public Guid? PropertyCompanyId { get; set; }

    /// <summary>Takes a newer survey of the compound (an import of the same code).</summary>
    public void Revise(string name, string address, string gridCode, Geometry boundary)
    {
        if (!GridCodes.IsWithin(gridCode, Code[..GridCodes.CommunityLength]))
        {
            throw new ArgumentException("A compound lies in a grid of its own community.", nameof(gridCode));
        }

        Name = name;
        Address = address;
        GridCode = gridCode;
        boundary.SRID = 4326;
        Boundary = boundary;
    }
}

/// <summary>A building (栋) in a compound, or standing alone on a street, coded within its community.</summary>
public sealed class Building
{
    private Building()
    {
        Code = null!;
        Name = null!;
        Address = null!;
        GridCode = null!;
        Location = null!;
    }

    /// <param name="code">Community code + 5-digit building number 00001–99999.</param>
    public Building(string code, string name, string address, string gridCode, Guid? compoundId, Point location, Polygon? footprint, int floors, int households)
    {
        if (code.Length != GridCodes.CommunityLength + 5 || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A building code is its community's 12-digit code and a 5-digit number.", nameof(code));
        }

        Id = Guid.CreateVersion7();
        Code = code;
        Name = Address = GridCode = string.Empty;
        Location = location;
        Revise(name, address, gridCode, compoundId, location, footprint, floors, households);
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; }

    /// <summary>Short name, e.g. 3 号楼.</summary>
    public string Name { get; private set; }

    /// <summary>Full address in Chinese, e.g. 长乐路 12 号院 3 号楼.</summary>
    public string Address { get; private set; }

    /// <summary>The finest territorial grid (usually a micro-grid) the building lies in.</summary>
    public string GridCode { get; private set; }

    public Guid? CompoundId { get; private set; }

    /// <summary>Main entrance, WGS-84 lon/lat.</summary>
    public Point Location { get; private set; }

    public Polygon? Footprint { get; private set; }

    public int Floors { get; private set; }

    public int Households { get; private set; }

    /// <summary>Takes a newer survey of the building (an import of the same code).</summary>
    public void Revise(string name, string address, string gridCode, Guid? compoundId, Point location, Polygon? footprint, int floors, int households)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(floors);
        ArgumentOutOfRangeException.ThrowIfNegative(households);
        Name = name;
        Address = address;
        GridCode = gridCode;
        CompoundId = compoundId;
        location.SRID = 4326;
        Location = location;
        if (footprint is not null)
        {
            footprint.SRID = 4326;
        }

        Footprint = footprint;
        Floors = floors;
        Households = households;
    }
}
