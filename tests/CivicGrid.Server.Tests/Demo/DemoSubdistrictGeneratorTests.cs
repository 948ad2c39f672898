using System.Diagnostics;
using System.Text.RegularExpressions;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace CivicGrid.Server.Tests.Demo;

public partial class DemoSubdistrictGeneratorTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly Lazy<DemoDataset> Shared = new(() => DemoSubdistrictGenerator.Generate(Today));
    private const string Main = DemoSubdistrictGenerator.SubdistrictCode;
    private const string Neighbour = DemoSubdistrictGenerator.NeighbourSubdistrictCode;

    private static DemoDataset Data => Shared.Value;

    private static IEnumerable<Grid> Territorial => Data.Grids.Where(g => g.Kind == GridKind.Territorial);

    private static int Count(GridLevel level, string under) =>
        Territorial.Count(g => g.Level == level && GridCodes.IsWithin(g.Code, under));

    [Fact]
    public void Generate_SameSeedAndDate_GivesIdenticalOutput()
    {
        var again = DemoSubdistrictGenerator.Generate(Today);

        Assert.Equal(Data.Grids.Select(g => (g.Code, g.Name, g.Boundary.AsText(), g.Households)),
            again.Grids.Select(g => (g.Code, g.Name, g.Boundary.AsText(), g.Households)));
        Assert.Equal(Data.Compounds.Select(c => (c.Code, c.Name, c.Address, c.Boundary.AsText())),
            again.Compounds.Select(c => (c.Code, c.Name, c.Address, c.Boundary.AsText())));
        Assert.Equal(Data.Buildings.Select(b => (b.Code, b.Address, b.Floors, b.Households, b.Location.AsText())),
            again.Buildings.Select(b => (b.Code, b.Address, b.Floors, b.Households, b.Location.AsText())));
        Assert.Equal(Data.Users.Select(u => (u.UserName, u.DisplayName, u.ScopeCode, u.PhoneNumber)),
            again.Users.Select(u => (u.UserName, u.DisplayName, u.ScopeCode, u.PhoneNumber)));
        Assert.Equal(Data.Cases.Select(c => (c.Number, c.Title, c.Location.AsText(), c.Status, c.Tier, c.ClosedAt, c.Rating)),
            again.Cases.Select(c => (c.Number, c.Title, c.Location.AsText(), c.Status, c.Tier, c.ClosedAt, c.Rating)));
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentGeometryAndCases()
    {
        var other = DemoSubdistrictGenerator.Generate(Today, seed: 7);

        var micro = Data.Grids.First(g => g.Level == GridLevel.Micro);
        var otherMicro = other.Grids.Single(g => g.Code == micro.Code);
        Assert.False(micro.Boundary.EqualsExact(otherMicro.Boundary));
        Assert.NotEqual(Data.Cases.Take(50).Select(c => c.Title), other.Cases.Take(50).Select(c => c.Title));
        Assert.Equal(Data.Grids.Where(g => g.Kind == GridKind.Territorial).Select(g => g.Code),
            other.Grids.Where(g => g.Kind == GridKind.Territorial).Select(g => g.Code));
    }

    [Fact]
    public void Generate_MainSubdistrict_HasTheGridHierarchyOfTheBrief()
    {
        Assert.Equal(8, Count(GridLevel.Community, Main));
        Assert.Equal(40, Count(GridLevel.Second, Main));
        Assert.Equal(240, Count(GridLevel.Third, Main));
        Assert.Equal(960, Count(GridLevel.Micro, Main));
        Assert.Equal(4, Count(GridLevel.Community, Neighbour));
        Assert.Equal(8, Count(GridLevel.Second, Neighbour));
        Assert.Equal(192, Count(GridLevel.Micro, Neighbour));
        Assert.Single(Data.Grids, g => g.Level == GridLevel.District);
        Assert.Equal(2, Data.Grids.Count(g => g.Level == GridLevel.Subdistrict));
        Assert.Equal(Data.Grids.Count, Data.Grids.Select(g => g.Code).Distinct().Count());
        Assert.Equal(8 + 4, Data.Grids.Where(g => g.Level == GridLevel.Community).Select(g => g.Name).Distinct().Count());
    }

    [Fact]
    public void Generate_ListsParentsBeforeChildren()
    {
        var seen = new HashSet<string>();
        foreach (var grid in Data.Grids)
        {
            Assert.True(grid.ParentCode is null || seen.Contains(grid.ParentCode), $"{grid.Code} comes before its parent");
            seen.Add(grid.Code);
        }
    }

    [Fact]
    public void Generate_HouseholdsOfAGridAreTheSumOfItsChildren()
    {
        foreach (var micro in Territorial.Where(g => g.Level == GridLevel.Micro))
        {
            Assert.InRange(micro.Households!.Value, 50, 80);
        }

        foreach (var parent in Territorial.Where(g => g.Level < GridLevel.Micro))
        {
            var children = Territorial.Where(g => g.ParentCode == parent.Code).Sum(g => g.Households);
            Assert.Equal(parent.Households, children);
        }
    }

    [Fact]
    public void Generate_DedicatedGrids_LieInsideOneMicroGridOfTheirCommunity()
    {
        var dedicated = Data.Grids.Where(g => g.Kind == GridKind.Dedicated).ToList();

        Assert.InRange(dedicated.Count, 5, 6);
        Assert.All(dedicated, d => Assert.StartsWith(Main, d.Code, StringComparison.Ordinal));
        foreach (var grid in dedicated)
        {
            var community = Data.Grids.Single(g => g.Code == grid.ParentCode);
            Assert.Equal(GridLevel.Community, community.Level);
            Assert.True(community.Boundary.Covers(grid.Boundary));
            Assert.Single(Territorial, g => g.Level == GridLevel.Micro && g.Boundary.Covers(grid.Boundary));
        }
    }

    [Fact]
    public void Generate_MicroGridsTileTheirThirdLevelGridExactly()
    {
        foreach (var third in Territorial.Where(g => g.Level == GridLevel.Third))
        {
            AssertTiles(third, [.. Territorial.Where(g => g.ParentCode == third.Code)]);
        }
    }

    [Fact]
    public void Generate_EveryTerritorialLevelAboveThirdTilesItsParentExactly()
    {
        foreach (var parent in Territorial.Where(g => g.Level < GridLevel.Third))
        {
            var children = Territorial.Where(g => g.ParentCode == parent.Code).ToList();
            Assert.NotEmpty(children);
            AssertTiles(parent, children);
        }
    }

    [Fact]
    public void Generate_DistrictIsTheUnionOfBothSubdistricts()
    {
        var district = Data.Grids.Single(g => g.Level == GridLevel.District);
        var union = UnaryUnionOp.Union(Data.Grids.Where(g => g.Level == GridLevel.Subdistrict).Select(g => g.Boundary).ToList());

        Assert.True(district.Boundary.SymmetricDifference(union).Area < 1e-12 * district.Boundary.Area);
        Assert.InRange(district.MinLon, 108.94, 108.96);
        Assert.InRange(district.MaxLon, 108.98, 108.99);
        Assert.InRange(district.MinLat, 34.23, 34.24);
        Assert.InRange(district.MaxLat, 34.25, 34.26);
    }

    [Fact]
    public void Generate_AllPolygonsAreValidClosedAndCounterClockwise()
    {
        var polygons = Data.Grids.Select(g => g.Boundary)
            .Concat(Data.Compounds.Select(c => c.Boundary))
            .Concat(Data.Buildings.Select(b => (Geometry)b.Footprint!));
        foreach (var geometry in polygons)
        {
            var polygon = Assert.IsType<Polygon>(geometry);
            Assert.Equal(4326, polygon.SRID);
            Assert.True(polygon.IsValid);
            Assert.True(polygon.Shell.IsClosed);
            Assert.True(Orientation.IsCCW(polygon.Shell.CoordinateSequence));
        }
    }

    [Fact]
    public void Generate_EveryCodeIsWellFormedAndExtendsItsParent()
    {
        foreach (var grid in Data.Grids)
        {
            Assert.Null(GridCodes.Validate(grid.Code, grid.Level, grid.Kind, grid.ParentCode));
            if (grid.ParentCode is not null)
            {
                Assert.StartsWith(grid.ParentCode, grid.Code, StringComparison.Ordinal);
            }
        }

        var grids = Data.Grids.ToDictionary(g => g.Code);
        Assert.Equal(Data.Compounds.Count, Data.Compounds.Select(c => c.Code).Distinct().Count());
        Assert.Equal(Data.Buildings.Count, Data.Buildings.Select(b => b.Code).Distinct().Count());
        Assert.Equal(Data.Compounds.Count, Data.Compounds.Select(c => c.Address).Distinct().Count());
        Assert.All(Data.Compounds, c => Assert.Equal(GridLevel.Micro, grids[c.GridCode].Level));
        Assert.All(Data.Compounds, c => Assert.StartsWith(c.Code[..GridCodes.CommunityLength], c.GridCode, StringComparison.Ordinal));
        Assert.All(Data.Buildings, b => Assert.StartsWith(b.Code[..GridCodes.CommunityLength], b.GridCode, StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_CompoundsAndBuildings_HaveRealisticCountsAndAttributes()
    {
        var mainCompounds = Data.Compounds.Where(c => c.Code.StartsWith(Main, StringComparison.Ordinal)).ToList();
        var mainBuildings = Data.Buildings.Count(b => b.Code.StartsWith(Main, StringComparison.Ordinal));

        Assert.InRange(mainCompounds.Count, 270, 330);
        Assert.Contains(Data.Compounds, c => c.Code.StartsWith(Neighbour, StringComparison.Ordinal));
        Assert.InRange(mainBuildings, 1_800, 2_300);
        Assert.InRange(mainCompounds.Count(c => c.PropertyCompanyId is not null) / (double)mainCompounds.Count, 0.3, 0.5);
        Assert.All(Data.Buildings, b =>
        {
            Assert.InRange(b.Floors, 4, 18);
            Assert.InRange(b.Households, b.Floors * 2, b.Floors * 4);
            Assert.Matches(@"^\d+号楼$", b.Name);
        });
        Assert.All(Data.Compounds.GroupBy(c => c.Id).Select(g => Data.Buildings.Count(b => b.CompoundId == g.Key)),
            n => Assert.InRange(n, 1, 9));
    }

    [Fact]
    public void Generate_EachBuildingLiesInsideItsCompoundAndEachCompoundInsideItsMicroGrid()
    {
        var grids = Data.Grids.ToDictionary(g => g.Code);
        var compounds = Data.Compounds.ToDictionary(c => c.Id);
        foreach (var compound in Data.Compounds)
        {
            Assert.True(grids[compound.GridCode].Boundary.Covers(compound.Boundary), compound.Code);
        }

        foreach (var group in Data.Buildings.GroupBy(b => b.CompoundId!.Value))
        {
            var compound = compounds[group.Key];
            var buildings = group.ToList();
            foreach (var building in buildings)
            {
                Assert.Equal(compound.GridCode, building.GridCode);
                Assert.True(compound.Boundary.Covers(building.Footprint!), building.Code);
                Assert.True(building.Footprint!.Covers(building.Location), building.Code);
                Assert.StartsWith(compound.Address, building.Address, StringComparison.Ordinal);
            }

            for (var i = 0; i < buildings.Count; i++)
            {
                for (var j = i + 1; j < buildings.Count; j++)
                {
                    Assert.False(buildings[i].Footprint!.Intersects(buildings[j].Footprint!), $"{buildings[i].Code} overlaps {buildings[j].Code}");
                }
            }
        }
    }

    [Fact]
    public void Generate_UsersOfEveryRoleExistWithUniqueLowercaseNames()
    {
        Assert.All(Enum.GetValues<Role>(), role => Assert.Contains(Data.Users, u => u.HasRole(role)));
        Assert.Equal(Data.Users.Count, Data.Users.Select(u => u.UserName).Distinct().Count());
        Assert.All(Data.Users, u => Assert.Matches("^[a-z0-9-]+$", u.UserName));
        Assert.All(Data.Users, u => Assert.Matches(@"^1\d{10}$", u.PhoneNumber!));
        Assert.Equal(Data.Users.Count, Data.Users.Select(u => u.PhoneNumber).Distinct().Count());
        Assert.Equal(300, Data.Users.Count(u => u.HasRole(Role.Resident)));

        var grids = Data.Grids.ToDictionary(g => g.Code);
        var organisations = Data.Organisations.ToDictionary(o => o.Id);
        Assert.Equal(240 + 48, Data.Users.Count(u => u.HasRole(Role.GridLeader) && grids[u.ScopeCode].Kind == GridKind.Territorial));
        Assert.All(Data.Users.Where(u => u.HasRole(Role.Resident)), u => Assert.Equal(GridLevel.Micro, grids[u.ScopeCode].Level));
        Assert.All(Data.Users.Where(u => u.HasRole(Role.MicroGridWorker)), u => Assert.Equal(GridLevel.Micro, grids[u.ScopeCode].Level));
        var microWorkerGrid = Data.Users.Single(u => u.UserName == DemoAccounts.MicroGridWorker).ScopeCode;
        Assert.Contains(Data.Compounds, c => c.GridCode == microWorkerGrid);
        Assert.All(Data.Users.Where(u => u.HasRole(Role.PropertyStaff) || u.HasRole(Role.DepartmentLiaison)),
            u => Assert.True(organisations.ContainsKey(u.OrganisationId!.Value)));

        string[] wellKnown =
        [
            DemoAccounts.Admin, DemoAccounts.SecurityAdmin, DemoAccounts.AuditAdmin, DemoAccounts.DistrictViewer,
            DemoAccounts.Operator, DemoAccounts.CommunityStaff, DemoAccounts.GridLeader, DemoAccounts.GridWorker,
            DemoAccounts.MicroGridWorker, DemoAccounts.PropertyStaff, DemoAccounts.DepartmentLiaison,
            DemoAccounts.Resident, DemoAccounts.NeighbourOperator,
        ];
        Assert.All(wellKnown, name => Assert.Contains(Data.Users, u => u.UserName == name));
        Assert.Equal(Neighbour, Data.Users.Single(u => u.UserName == DemoAccounts.NeighbourOperator).ScopeCode);

        Assert.Equal(wellKnown.Order(), DemoAccounts.WellKnown.Order());
        Assert.Equal("示范街道", Data.Grids.Single(g => g.Code == Data.Users.Single(u => u.UserName == DemoAccounts.Operator).ScopeCode).Name);
    }

    [Fact]
    public void Generate_CatalogueHasCodedCategoriesAcrossTheMajorClasses()
    {
        Assert.InRange(Data.Categories.Count, 22, 30);
        Assert.All(Data.Categories, c => Assert.Matches("^[ECG][0-9]{4}$", c.Code));
        Assert.All(Data.Categories, c => Assert.StartsWith(c.MajorCode, c.Code, StringComparison.Ordinal));
        Assert.All(Data.Categories, c => Assert.InRange(c.LimitInHours(7), 4, 120));
        Assert.DoesNotContain(Data.Categories, c => c.DefaultTier == CaseTier.Red);
        Assert.Equal(Data.Categories.Count, Data.Categories.Select(c => c.Code).Distinct().Count());
        Assert.Equal(3, Data.Categories.Select(c => c.Code[0]).Distinct().Count());
    }

    [Fact]
    public void Generate_CasePointsLieInsideTheirMicroGrid()
    {
        var grids = Data.Grids.ToDictionary(g => g.Code);
        foreach (var item in Data.Cases)
        {
            var grid = grids[item.GridCode];
            Assert.Equal(GridLevel.Micro, grid.Level);
            Assert.True(grid.Boundary.Contains(item.Location), item.Number);
        }
    }

    [Fact]
    public void Generate_CaseNumbersAreUniqueAndDatesLieInTheYearBeforeToday()
    {
        var start = new DateTimeOffset(Today.AddDays(-365).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var end = new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var categories = Data.Categories.Select(c => c.Code).ToHashSet();

        Assert.InRange(Data.Cases.Count(c => c.GridCode.StartsWith(Main, StringComparison.Ordinal)), 11_000, 13_000);
        Assert.InRange(Data.Cases.Count(c => c.GridCode.StartsWith(Neighbour, StringComparison.Ordinal)), 200, 800);
        Assert.Equal(Data.Cases.Count, Data.Cases.Select(c => c.Number).Distinct().Count());
        foreach (var item in Data.Cases)
        {
            Assert.Matches(CaseNumber(), item.Number);
            Assert.Equal(TimeSpan.Zero, item.ReportedAt.Offset);
            Assert.InRange(item.ReportedAt, start, end.AddTicks(-1));
            Assert.Equal(item.ReportedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), item.Number[..8]);
            Assert.Contains(item.CategoryCode, categories);
            if (item.ClosedAt is { } closed)
            {
                Assert.True(closed >= item.ReportedAt, item.Number);
                Assert.True(closed <= end, item.Number);
            }
        }
    }

    [Fact]
    public void Generate_CaseHistoryLooksLikeAYearOfWork()
    {
        var settledBefore = new DateTimeOffset(Today.AddDays(-31).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var settled = Data.Cases.Where(c => c.ReportedAt < settledBefore).ToList();
        var recent = Data.Cases.Where(c => c.ReportedAt >= settledBefore).ToList();
        var closed = Data.Cases.Where(c => c.Status == CaseStatus.Closed).ToList();
        var residentIds = Data.Users.Where(u => u.HasRole(Role.Resident)).Select(u => u.Id).ToHashSet();

        Assert.InRange(settled.Count(c => c.Status == CaseStatus.Closed) / (double)settled.Count, 0.92, 0.98);
        Assert.All(closed, c => Assert.NotNull(c.ClosedAt));
        Assert.True(closed.Count(c => c.Rating >= 4) > 0.7 * closed.Count(c => c.Rating is not null));
        Assert.All(Data.Cases.Where(c => c.Status is not (CaseStatus.Closed or CaseStatus.Rejected)), c => Assert.Null(c.ClosedAt));
        foreach (var status in new[] { CaseStatus.Reported, CaseStatus.InHandling, CaseStatus.Closed })
        {
            Assert.Contains(recent, c => c.Status == status);
        }

        Assert.InRange(Data.Cases.Count(c => c.Channel == CaseChannel.GridPatrol) / (double)Data.Cases.Count, 0.42, 0.48);
        Assert.All(Data.Cases.Where(c => c.Channel == CaseChannel.ResidentApp), c => Assert.Contains(c.ReporterId!.Value, residentIds));
        Assert.Contains(Data.Cases, c => c.ReporterPhone is not null);
        Assert.InRange(Data.Cases.Count(c => c.Tier != Data.Categories.Single(k => k.Code == c.CategoryCode).DefaultTier) / (double)Data.Cases.Count, 0.10, 0.20);

        // Hot spots: the busiest community reports clearly more than the quietest.
        var perCommunity = Data.Cases.Where(c => c.GridCode.StartsWith(Main, StringComparison.Ordinal))
            .GroupBy(c => c.GridCode[..GridCodes.CommunityLength]).Select(g => g.Count()).ToList();
        Assert.True(perCommunity.Max() > 1.5 * perCommunity.Min());
    }

    /// <summary>
    /// Children tile a parent when their areas add up to its area, no two share interior, their union
    /// is the parent, and the parent covers each of them.
    /// </summary>
    private static void AssertTiles(Grid parent, List<Grid> children)
    {
        var parentArea = parent.Boundary.Area;
        Assert.True(Math.Abs(children.Sum(c => c.Boundary.Area) - parentArea) < 1e-9 * parentArea, parent.Code);
        foreach (var child in children)
        {
            Assert.True(parent.Boundary.Covers(child.Boundary), $"{parent.Code} does not cover {child.Code}");
        }

        for (var i = 0; i < children.Count; i++)
        {
            for (var j = i + 1; j < children.Count; j++)
            {
                var (a, b) = (children[i].Boundary, children[j].Boundary);
                if (a.EnvelopeInternal.Intersects(b.EnvelopeInternal))
                {
                    Assert.True(a.Relate(b, "2********") == false, $"{children[i].Code} overlaps {children[j].Code}");
                }
            }
        }

        var union = UnaryUnionOp.Union(children.Select(c => c.Boundary).ToList());
        Assert.True(union.SymmetricDifference(parent.Boundary).Area < 1e-12 * parentArea, parent.Code);
    }

    [GeneratedRegex(@"^\d{13}$")]
    private static partial Regex CaseNumber();
}
