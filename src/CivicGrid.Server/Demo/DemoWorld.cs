using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Demo;

/// <summary>
/// One run of the demo generator. Every random choice is drawn from one seeded <see cref="Random"/>
/// in a fixed order, so the output depends only on the seed and the anchor date.
/// </summary>
internal sealed partial class DemoWorld
{
    /// <summary>West, east, south, north in degrees (WGS-84): the old city south-east of the Bell Tower.</summary>
    internal static readonly Envelope Extent = new(108.950, 108.985, 34.235, 34.255);

    internal const int Columns = 48;
    internal const int Rows = 24;
    internal const int MainColumns = 40;
    internal const int CommunityRows = 12;
    internal const int MainCommunityColumns = 10;
    internal const int NeighbourCommunityColumns = 4;
    internal const int StripColumns = 2;
    internal const int ThirdRows = 2;

    private const double CompoundShare = 0.8;
    private const double DedicatedShare = 0.6;

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    private readonly DateOnly _today;
    private readonly int _seed;
    private readonly Random _random;
    private readonly GeometryFactory _factory = new(new PrecisionModel(), 4326);
    private readonly DemoLattice _lattice;

    private readonly List<Grid> _grids = [];
    private readonly List<Organisation> _organisations = [];
    private readonly List<Organisation> _propertyCompanies = [];
    private readonly List<Compound> _compounds = [];
    private readonly List<Building> _buildings = [];
    private readonly List<UserAccount> _users = [];
    private readonly List<CommunityPlan> _communities = [];
    private readonly List<MicroPlan> _micros = [];
    private readonly List<CompoundPlan> _compoundPlans = [];
    private readonly HashSet<int> _dedicatedMicros = [];
    private readonly Dictionary<string, int> _houseNumbers = [];
    private readonly Dictionary<string, UserAccount> _leaderByThird = [];
    private readonly Dictionary<string, UserAccount> _microWorkerByThird = [];
    private readonly Dictionary<Guid, List<UserAccount>> _staffByCompany = [];
    private readonly List<(UserAccount User, int Community)> _residents = [];
    private readonly HashSet<string> _phones = [];
    private readonly Dictionary<string, double> _gridQuality = new(StringComparer.Ordinal);

    public DemoWorld(DateOnly today, int seed)
    {
        _today = today;
        _seed = seed;
        _random = new Random(seed);
        _lattice = new DemoLattice(_random, Columns, Rows, Extent);
    }

    public DemoDataset Build()
    {
        BuildGrids();
        BuildOrganisations();
        BuildCompoundsAndBuildings();
        PlaceOrganisations();
        BuildUsers();
        var categories = DemoCatalogue.Categories.Select(c => c.ToDomain()).ToList();
        RateGrids();
        var (cases, referrals) = BuildCases(categories);
        return new DemoDataset(_grids, _organisations, _compounds, _buildings, _users, categories, cases)
        {
            GridQuality = _gridQuality,
            Referrals = referrals,
            Streets = BuildStreets(),
        };
    }

    /// <summary>
    /// Streets run along the lattice's lines between the blocks: community outlines are main roads, the 3rd-level grids'
    /// edges streets, the rest lanes (巷). Derived from the lattice alone, so the random stream is not touched.
    /// </summary>
    private List<DemoStreet> BuildStreets()
    {
        var streets = new List<DemoStreet>();
        for (var j = 0; j <= Rows; j++)
        {
            var line = _factory.CreateLineString([.. Enumerable.Range(0, Columns + 1).Select(i => new Coordinate(_lattice.Lon(i, j), _lattice.Lat(i, j)))]);
            var kind = j % CommunityRows == 0 ? "primary" : j % ThirdRows == 0 ? "secondary" : "minor";
            streets.Add(new DemoStreet(DemoNames.EastWestStreet(j), kind, line));
        }

        for (var i = 0; i <= Columns; i++)
        {
            var line = _factory.CreateLineString([.. Enumerable.Range(0, Rows + 1).Select(j => new Coordinate(_lattice.Lon(i, j), _lattice.Lat(i, j)))]);
            var communityEdge = i <= MainColumns ? i % MainCommunityColumns == 0 : (i - MainColumns) % NeighbourCommunityColumns == 0;
            var kind = communityEdge ? "primary" : i % StripColumns == 0 ? "secondary" : "minor";
            streets.Add(new DemoStreet(DemoNames.NorthSouthStreet(i), kind, line));
        }

        return streets;
    }

    /// <summary>
    /// How well each 3rd-level grid works, 0.1 (weak) to 1 (strong), evenly spread and shuffled from a stream of its own: the
    /// case loop, patrols and the rest of the year's activity follow it, so that the grids' five-star results differ.
    /// </summary>
    private void RateGrids()
    {
        var thirds = _grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }).Select(g => g.Code).Order(StringComparer.Ordinal).ToList();
        var random = new Random(_seed + 101);
        var shares = Enumerable.Range(0, thirds.Count).Select(i => 0.1 + (0.9 * i / Math.Max(1, thirds.Count - 1))).OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < thirds.Count; i++)
        {
            _gridQuality[thirds[i]] = shares[i];
        }
    }

    private Polygon Block(int column0, int row0, int column1, int row1) =>
        _factory.CreatePolygon(_lattice.BlockRing(column0, row0, column1, row1));

    private void BuildGrids()
    {
        var district = new Grid(DemoSubdistrictGenerator.DistrictCode, DemoNames.District, GridLevel.District,
            GridKind.Territorial, null, Block(0, 0, Columns, Rows));
        var main = new Grid(DemoSubdistrictGenerator.SubdistrictCode, DemoNames.Subdistrict, GridLevel.Subdistrict,
            GridKind.Territorial, district.Code, Block(0, 0, MainColumns, Rows));
        var neighbour = new Grid(DemoSubdistrictGenerator.NeighbourSubdistrictCode, DemoNames.NeighbourSubdistrict,
            GridLevel.Subdistrict, GridKind.Territorial, district.Code, Block(MainColumns, 0, Columns, Rows));

        List<Grid> seconds = [], thirds = [], dedicated = [];
        // Communities are numbered within their subdistrict: north row west→east, then the south row.
        var mainPerRow = MainColumns / MainCommunityColumns;
        var neighbourPerRow = (Columns - MainColumns) / NeighbourCommunityColumns;
        var mainCount = mainPerRow * (Rows / CommunityRows);
        for (var k = 0; k < DemoNames.Communities.Length; k++)
        {
            var isMain = k < mainCount;
            var parent = isMain ? main : neighbour;
            var local = isMain ? k : k - mainCount;
            var perRow = isMain ? mainPerRow : neighbourPerRow;
            var width = isMain ? MainCommunityColumns : NeighbourCommunityColumns;
            var column0 = (isMain ? 0 : MainColumns) + (local % perRow * width);
            var row0 = local / perRow * CommunityRows;
            var number = local + 1;
            var names = DemoNames.Communities[k];
            var community = new Grid(parent.Code + number.ToString("D3"), names.Name, GridLevel.Community,
                GridKind.Territorial, parent.Code, Block(column0, row0, column0 + width, row0 + CommunityRows));
            _communities.Add(new CommunityPlan(k, community, names, isMain, _micros.Count));
            BuildCommunityGrids(_communities[^1], column0, row0, width, seconds, thirds);
        }

        for (var k = 0; k < DemoNames.DedicatedGrids.Length; k++)
        {
            dedicated.Add(BuildDedicatedGrid(_communities[k], k));
        }

        foreach (var micro in _micros)
        {
            micro.Grid.Households = _random.Next(50, 81);
        }

        List<Grid> territorial = [district, main, neighbour, .. _communities.Select(c => c.Grid), .. seconds, .. thirds];
        foreach (var grid in territorial)
        {
            grid.Households = _micros.Where(m => GridCodes.IsWithin(m.Grid.Code, grid.Code)).Sum(m => m.Grid.Households);
        }

        _grids.AddRange(territorial);
        _grids.AddRange(dedicated);
        _grids.AddRange(_micros.Select(m => m.Grid));
    }

    /// <summary>2nd-level strips west→east, 3rd-level blocks north→south, micro-grids NW, NE, SW, SE.</summary>
    private void BuildCommunityGrids(CommunityPlan community, int column0, int row0, int width, List<Grid> seconds, List<Grid> thirds)
    {
        var communityName = community.Names.Name;
        for (var s = 0; s < width / StripColumns; s++)
        {
            var stripColumn = column0 + (s * StripColumns);
            var second = new Grid(community.Grid.Code + (s + 1).ToString("D2"),
                $"{communityName}第{DemoNames.ChineseNumerals[s]}网格", GridLevel.Second, GridKind.Territorial,
                community.Grid.Code, Block(stripColumn, row0, stripColumn + StripColumns, row0 + CommunityRows));
            seconds.Add(second);
            for (var t = 0; t < CommunityRows / ThirdRows; t++)
            {
                var thirdRow = row0 + (t * ThirdRows);
                var third = new Grid(second.Code + (t + 1).ToString("D2"), $"{communityName}网格{s + 1}-{t + 1}",
                    GridLevel.Third, GridKind.Territorial, second.Code,
                    Block(stripColumn, thirdRow, stripColumn + StripColumns, thirdRow + ThirdRows));
                thirds.Add(third);
                for (var m = 0; m < StripColumns * ThirdRows; m++)
                {
                    var column = stripColumn + (m % StripColumns);
                    var row = thirdRow + (m / StripColumns);
                    var micro = new Grid(third.Code + (m + 1).ToString("D2"), $"{communityName}微网格{s + 1}-{t + 1}-{m + 1}",
                        GridLevel.Micro, GridKind.Territorial, third.Code, _factory.CreatePolygon(_lattice.CellRing(column, row)));
                    _micros.Add(new MicroPlan(micro, column, row, community.Index, third.Code));
                }
            }
        }

        community.MicroEnd = _micros.Count;
    }

    /// <summary>A dedicated grid covers a site inside one micro-grid: the cell shrunk around its centroid.</summary>
    private Grid BuildDedicatedGrid(CommunityPlan community, int index)
    {
        var microIndex = _random.Next(community.MicroStart, community.MicroEnd);
        _dedicatedMicros.Add(microIndex);
        var micro = _micros[microIndex];
        var code = community.Grid.Code + GridCodes.DedicatedMarker + "01";
        var boundary = _factory.CreatePolygon(_lattice.ShrunkCellRing(micro.Column, micro.Row, DedicatedShare));
        return new Grid(code, DemoNames.DedicatedGrids[index], GridLevel.Third, GridKind.Dedicated, community.Grid.Code, boundary);
    }

    private void BuildCompoundsAndBuildings()
    {
        var unusedWorkUnits = DemoNames.WorkUnits.ToList();
        var unusedEstates = DemoNames.Estates.ToList();
        foreach (var community in _communities)
        {
            var candidates = Enumerable.Range(community.MicroStart, community.MicroEnd - community.MicroStart)
                .Where(i => !_dedicatedMicros.Contains(i))
                .ToList();
            var count = community.IsMain ? _random.Next(32, 45) : _random.Next(12, 19);
            Shuffle(candidates);
            var chosen = candidates.Take(count).Order().ToList();
            var buildingNumber = 0;
            for (var n = 0; n < chosen.Count; n++)
            {
                var micro = _micros[chosen[n]];
                var street = community.Names.Streets[_random.Next(community.Names.Streets.Length)];
                var house = NextHouseNumber(street);
                var address = $"{street}{house}号院";
                var name = _random.NextDouble() switch
                {
                    < 0.25 when unusedWorkUnits.Count > 0 => TakeRandom(unusedWorkUnits) + "家属院",
                    < 0.45 when unusedEstates.Count > 0 => TakeRandom(unusedEstates),
                    _ => address,
                };
                Guid? companyId = _random.NextDouble() < 0.4
                    ? _propertyCompanies[(community.Index + _random.Next(3)) % _propertyCompanies.Count].Id
                    : null;
                var ring = _lattice.ShrunkCellRing(micro.Column, micro.Row, CompoundShare);
                var compound = new Compound(community.Grid.Code + (n + 1).ToString("D4"), name, address, micro.Grid.Code,
                    _factory.CreatePolygon(ring), companyId);
                _compounds.Add(compound);
                var plan = new CompoundPlan(compound, chosen[n], community.Index);
                _compoundPlans.Add(plan);
                micro.Compounds.Add(plan);
                foreach (var building in LayOutBuildings(compound, ring, community, ref buildingNumber))
                {
                    plan.Buildings.Add(building);
                    _buildings.Add(building);
                }
            }
        }
    }

    /// <summary>
    /// Puts slab-shaped footprints into a 3 × 4 pattern over the compound's envelope and keeps those
    /// whose four corners lie inside the (convex) compound, so every footprint is inside it and the
    /// footprints never overlap. The pattern shrinks towards the centroid until enough fit.
    /// </summary>
    private List<Building> LayOutBuildings(Compound compound, Coordinate[] ring, CommunityPlan community, ref int buildingNumber)
    {
        const int slotColumns = 3, slotRows = 4;
        var wanted = _random.Next(5, 10);
        var (cx, cy) = DemoLattice.Centroid(ring);
        var envelope = compound.Boundary.EnvelopeInternal;
        var slots = new List<(double X0, double Y0, double X1, double Y1)>();
        foreach (var scale in (double[])[1.0, 0.85, 0.7, 0.55])
        {
            slots.Clear();
            var minX = cx + (scale * (envelope.MinX - cx));
            var maxY = cy + (scale * (envelope.MaxY - cy));
            var slotWidth = scale * envelope.Width / slotColumns;
            var slotHeight = scale * envelope.Height / slotRows;
            for (var r = 0; r < slotRows; r++)
            {
                for (var c = 0; c < slotColumns; c++)
                {
                    var x0 = minX + ((c + 0.12) * slotWidth);
                    var x1 = minX + ((c + 0.88) * slotWidth);
                    var y1 = maxY - ((r + 0.22) * slotHeight);
                    var y0 = maxY - ((r + 0.78) * slotHeight);
                    if (DemoLattice.InsideConvex(ring, x0, y0) && DemoLattice.InsideConvex(ring, x1, y0)
                        && DemoLattice.InsideConvex(ring, x1, y1) && DemoLattice.InsideConvex(ring, x0, y1))
                    {
                        slots.Add((x0, y0, x1, y1));
                    }
                }
            }

            if (slots.Count >= wanted)
            {
                break;
            }
        }

        while (slots.Count > wanted)
        {
            slots.RemoveAt(_random.Next(slots.Count));
        }

        var buildings = new List<Building>(slots.Count);
        for (var k = 0; k < slots.Count; k++)
        {
            var (x0, y0, x1, y1) = slots[k];
            var footprint = _factory.CreatePolygon(
            [
                new Coordinate(x0, y0), new Coordinate(x1, y0), new Coordinate(x1, y1), new Coordinate(x0, y1), new Coordinate(x0, y0),
            ]);
            var location = _factory.CreatePoint(new Coordinate((x0 + x1) / 2, (y0 + y1) / 2));
            var floors = _random.NextDouble() switch
            {
                < 0.6 => _random.Next(4, 8),
                < 0.9 => _random.Next(8, 13),
                _ => _random.Next(14, 19),
            };
            var households = floors * _random.Next(2, 5);
            buildingNumber++;
            buildings.Add(new Building(community.Grid.Code + buildingNumber.ToString("D5"), $"{k + 1}号楼",
                $"{compound.Address}{k + 1}号楼", compound.GridCode, compound.Id, location, footprint, floors, households));
        }

        return buildings;
    }

    private int NextHouseNumber(string street)
    {
        // Numbers grow along a street across communities, so addresses stay unique where streets are shared.
        var next = (_houseNumbers.TryGetValue(street, out var last) ? last : 0) + _random.Next(1, 7);
        _houseNumbers[street] = next;
        return next;
    }

    private void BuildUsers()
    {
        var createdAt = Beijing(_today.AddDays(-400), 9);
        var districtCode = DemoSubdistrictGenerator.DistrictCode;
        var mainCode = DemoSubdistrictGenerator.SubdistrictCode;

        AddUser(DemoAccounts.Admin, "系统管理员", Role.SystemAdmin, string.Empty, null, createdAt);
        AddUser(DemoAccounts.SecurityAdmin, "安全管理员", Role.SecurityAdmin, string.Empty, null, createdAt);
        AddUser(DemoAccounts.AuditAdmin, "审计管理员", Role.AuditAdmin, string.Empty, null, createdAt);
        AddUser(DemoAccounts.DistrictViewer, DemoNames.Person(_random), Role.DistrictViewer, districtCode, null, createdAt);
        AddUser(DemoAccounts.Operator, DemoNames.Person(_random), Role.SubdistrictOperator, mainCode, null, createdAt);
        AddUser(DemoAccounts.NeighbourOperator, DemoNames.Person(_random), Role.SubdistrictOperator,
            DemoSubdistrictGenerator.NeighbourSubdistrictCode, null, createdAt);

        for (var k = 0; k < _communities.Count; k++)
        {
            AddUser(Numbered("community", k + 1), DemoNames.Person(_random), Role.CommunityStaff, _communities[k].Grid.Code, null, createdAt);
        }

        var seconds = _grids.Where(g => g.Level == GridLevel.Second).ToList();
        for (var k = 0; k < seconds.Count; k++)
        {
            AddUser(Numbered("worker", k + 1), DemoNames.Person(_random), Role.GridWorker, seconds[k].Code, null, createdAt);
        }

        var thirds = _grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }).ToList();
        for (var k = 0; k < thirds.Count; k++)
        {
            _leaderByThird[thirds[k].Code] = AddUser(Numbered("leader", k + 1), DemoNames.Person(_random), Role.GridLeader,
                thirds[k].Code, null, createdAt);
        }

        // A micro-grid worker is a volunteer who looks after one micro-grid of each 3rd-level grid:
        // the first one with a compound in it (volunteers live where the buildings are), else the first.
        for (var k = 0; k < thirds.Count; k++)
        {
            var firstMicro = _micros.FirstOrDefault(m => m.ThirdCode == thirds[k].Code && m.Compounds.Count > 0)
                ?? _micros.First(m => m.ThirdCode == thirds[k].Code);
            _microWorkerByThird[thirds[k].Code] = AddUser(Numbered("micro", k + 1), DemoNames.Person(_random),
                Role.MicroGridWorker, firstMicro.Grid.Code, null, createdAt);
        }

        var dedicated = _grids.Where(g => g.Kind == GridKind.Dedicated).ToList();
        for (var k = 0; k < dedicated.Count; k++)
        {
            AddUser(Numbered("dedicated", k + 1), DemoNames.Person(_random), Role.GridLeader, dedicated[k].Code, null, createdAt);
        }

        var propertyNumber = 0;
        foreach (var company in _propertyCompanies)
        {
            var firstCompound = _compounds.FirstOrDefault(c => c.PropertyCompanyId == company.Id);
            var scope = firstCompound?.Code[..GridCodes.CommunityLength] ?? mainCode;
            var staff = new List<UserAccount>();
            for (var k = _random.Next(1, 3); k > 0; k--)
            {
                staff.Add(AddUser(Numbered("property", ++propertyNumber), DemoNames.Person(_random), Role.PropertyStaff,
                    scope, company.Id, createdAt));
            }

            _staffByCompany[company.Id] = staff;
        }

        // The departments' stations in the subdistrict each sink one liaison (the district departments and offices none).
        foreach (var (code, _, prefix) in DemoNames.Departments)
        {
            AddUser(prefix + "01", DemoNames.Person(_random), Role.DepartmentLiaison, mainCode, _organisations.Single(o => o.Code == code).Id, createdAt);
        }

        // Most residents live in the main subdistrict; a tenth in the neighbour, so both have reporters.
        var mainCompounds = _compoundPlans.Where(p => _communities[p.Community].IsMain).ToList();
        var neighbourCompounds = _compoundPlans.Where(p => !_communities[p.Community].IsMain).ToList();
        for (var k = 1; k <= 300; k++)
        {
            var pool = k % 10 == 0 ? neighbourCompounds : mainCompounds;
            var home = pool[_random.Next(pool.Count)];
            var resident = AddUser("resident" + k.ToString("D3"), DemoNames.Person(_random), Role.Resident,
                home.Compound.GridCode, null, createdAt);
            _residents.Add((resident, home.Community));
        }
    }

    private UserAccount AddUser(string userName, string displayName, Role role, string scope, Guid? organisationId, DateTimeOffset createdAt)
    {
        var user = new UserAccount(userName, displayName, [role], scope, createdAt)
        {
            OrganisationId = organisationId,
            PhoneNumber = UniqueMobile(),
        };
        _users.Add(user);
        return user;
    }

    private string UniqueMobile()
    {
        while (true)
        {
            var phone = DemoNames.Mobile(_random);
            if (_phones.Add(phone))
            {
                return phone;
            }
        }
    }

    /// <summary>Two digits at least (leader01), more when needed (leader100).</summary>
    private static string Numbered(string prefix, int number) => prefix + number.ToString("D2");

    /// <summary>A Beijing wall-clock time (UTC+8) as a UTC instant (offset 0).</summary>
    private static DateTimeOffset Beijing(DateOnly date, int hour, int minute = 0, int second = 0) =>
        new DateTimeOffset(date.ToDateTime(new TimeOnly(hour, minute, second)), BeijingOffset).ToUniversalTime();

    private void Shuffle<T>(List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private string TakeRandom(List<string> items)
    {
        var index = _random.Next(items.Count);
        var item = items[index];
        items.RemoveAt(index);
        return item;
    }

    private sealed class CommunityPlan(int index, Grid grid, DemoCommunityName names, bool isMain, int microStart)
    {
        public int Index { get; } = index;

        public Grid Grid { get; } = grid;

        public DemoCommunityName Names { get; } = names;

        public bool IsMain { get; } = isMain;

        /// <summary>First index of the community's micro-grids in the list of all micro-grids.</summary>
        public int MicroStart { get; } = microStart;

        /// <summary>One past the last index of the community's micro-grids.</summary>
        public int MicroEnd { get; set; }
    }

    private sealed record MicroPlan(Grid Grid, int Column, int Row, int Community, string ThirdCode)
    {
        public List<CompoundPlan> Compounds { get; } = [];
    }

    private sealed record CompoundPlan(Compound Compound, int Micro, int Community)
    {
        public List<Building> Buildings { get; } = [];
    }
}
