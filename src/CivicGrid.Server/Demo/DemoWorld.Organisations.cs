using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;

namespace CivicGrid.Server.Demo;

/// <summary>
/// The demo's organisations: the district departments and the subdistrict's own offices, the departments' stations in the
/// subdistrict under them, property companies (one of them red), owners' committees of newer estates, public units and
/// business alliances. Only the first departments and property companies draw from the world's random sequence (as they
/// always did, so the rest of the demo stays the same); everything added since draws from a generator of its own.
/// </summary>
internal sealed partial class DemoWorld
{
    private static readonly ScopeNode DistrictNode = new(DemoSubdistrictGenerator.DistrictCode, GridLevel.District, GridKind.Territorial);
    private static readonly ScopeNode SubdistrictNode = new(DemoSubdistrictGenerator.SubdistrictCode, GridLevel.Subdistrict, GridKind.Territorial);

    private void BuildOrganisations()
    {
        foreach (var (code, name, _) in DemoNames.Departments)
        {
            _organisations.Add(new Organisation(code, name, OrganisationKind.Department, DemoSubdistrictGenerator.SubdistrictCode)
                .WithContactPhone("029-8" + _random.Next(0, 10_000_000).ToString("D7")));
        }

        foreach (var (code, name) in DemoNames.PropertyCompanies)
        {
            var company = new Organisation(code, name, OrganisationKind.PropertyCompany, DemoSubdistrictGenerator.SubdistrictCode)
                .WithContactPhone("029-8" + _random.Next(0, 10_000_000).ToString("D7"));
            _organisations.Add(company);
            _propertyCompanies.Add(company);
        }
    }

    /// <summary>Parents, red property, the property companies' regions and the organisations that need compounds and dedicated grids.</summary>
    private void PlaceOrganisations()
    {
        var random = new Random(_today.DayNumber);
        string Phone() => "029-8" + random.Next(0, 10_000_000).ToString("D7");
        Organisation Add(string code, string name, OrganisationKind kind, ScopeNode scope, Organisation? parent = null, CompoundPlace? compound = null)
        {
            var organisation = Organisation.Create(code, name, kind, scope, Phone(), parent, compound, redProperty: false);
            _organisations.Add(organisation);
            return organisation;
        }

        // District departments that sink staff into the grids, and the subdistrict's own offices.
        var district = DemoNames.DistrictDepartments.ToDictionary(d => d.Code, d => Add(d.Code, d.Name, OrganisationKind.Department, DistrictNode));
        foreach (var (code, name, _) in DemoNames.Departments)
        {
            var station = _organisations.Single(o => o.Code == code);
            var parent = DemoNames.DistrictDepartments.Single(d => d.Stations.Contains(code)).Code;
            station.Revise(name, station.ContactPhone, SubdistrictNode, district[parent], null, false, _ => []);
        }

        foreach (var (code, name, parent) in DemoNames.SubdistrictOffices)
        {
            Add(code, name, OrganisationKind.Department, SubdistrictNode, parent is null ? null : district[parent]);
        }

        // A property company serves the region holding all its compounds (some serve both subdistricts).
        foreach (var company in _propertyCompanies)
        {
            var served = _compounds.Where(c => c.PropertyCompanyId == company.Id).Select(c => c.GridCode[..GridCodes.SubdistrictLength]).Distinct().ToList();
            var scope = served.Count == 1 ? new ScopeNode(served[0], GridLevel.Subdistrict, GridKind.Territorial) : DistrictNode;
            company.Revise(company.Name, company.ContactPhone, scope, null, null, DemoNames.RedPropertyCompanies.Contains(company.Code), _ => []);
        }

        // Owners' committees of the newer estates (小区) that have a property company.
        var estates = _compounds.Where(c => c.PropertyCompanyId is not null && DemoNames.Estates.Contains(c.Name)).Take(8).ToList();
        for (var k = 0; k < estates.Count; k++)
        {
            var compound = estates[k];
            var community = _communities.Single(c => GridCodes.IsWithin(compound.GridCode, c.Grid.Code)).Grid;
            Add($"oc-{compound.Code}", compound.Name + "业主委员会", OrganisationKind.OwnersCommittee,
                new ScopeNode(community.Code, GridLevel.Community, GridKind.Territorial), compound: new CompoundPlace(compound.Id, compound.Code, compound.GridCode));
        }

        // Public units and business alliances, in their dedicated grid where they have one.
        foreach (var (code, name, kind, dedicatedGrid) in DemoNames.UnitsAndAlliances)
        {
            var grid = dedicatedGrid is null ? null : _grids.Single(g => g.Name == dedicatedGrid);
            Add(code, name, kind, grid is null ? SubdistrictNode : new ScopeNode(grid.Code, grid.Level, grid.Kind));
        }
    }
}

/// <summary>Where the demo's liaisons serve: each department's liaison is sunk into two or three third-level grids of the demo subdistrict.</summary>
internal static class DemoLiaisons
{
    /// <param name="today">The demo's anchor date: attachments began about a quarter before; each liaison also has one that ended.</param>
    public static List<LiaisonAttachment> Attachments(DemoDataset data, DateOnly today, DateTimeOffset now)
    {
        var thirds = data.Grids.Where(g => g.Level == GridLevel.Third && g.Kind == GridKind.Territorial
            && GridCodes.IsWithin(g.Code, DemoSubdistrictGenerator.SubdistrictCode)).OrderBy(g => g.Code).ToList();
        var departments = data.Organisations.Where(o => o.Kind == OrganisationKind.Department).ToDictionary(o => o.Id);
        var attachments = new List<LiaisonAttachment>();
        var next = 0;
        foreach (var liaison in data.Users.Where(u => u.Roles.Contains(Role.DepartmentLiaison) && u.OrganisationId is not null).OrderBy(u => u.UserName))
        {
            var department = departments[liaison.OrganisationId!.Value];
            var earlier = LiaisonAttachment.Attach(liaison, department, Node(thirds[next++ % thirds.Count]), today.AddDays(-270), null, now);
            earlier.End(today.AddDays(-91));
            attachments.Add(earlier);
            var grids = 2 + (next % 2);
            for (var k = 0; k < grids; k++)
            {
                attachments.Add(LiaisonAttachment.Attach(liaison, department, Node(thirds[next++ % thirds.Count]), today.AddDays(-90), null, now));
            }
        }

        return attachments;
    }

    private static ScopeNode Node(Grid grid) => new(grid.Code, grid.Level, grid.Kind);
}
