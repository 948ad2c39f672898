using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Patrols;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace CivicGrid.Bench;

/// <summary>How much of the issue's district to generate: 1.0 is 10 subdistricts, 3,000 grids, 10,000 workers, 1 M cases,
/// 5 M track points and 100 k door-knocks.</summary>
internal sealed record DistrictSize(double Scale)
{
    public int Communities => Math.Max(1, (int)Math.Round(60 * Scale));

    public int Subdistricts => Math.Min(10, (Communities + 5) / 6);

    public int Workers => Math.Max(12, (int)Math.Round(10_000 * Scale));

    public int Cases => Math.Max(200, (int)Math.Round(1_000_000 * Scale));

    public int TrackPoints => Math.Max(1_200, (int)Math.Round(5_000_000 * Scale));

    public int Visits => Math.Max(100, (int)Math.Round(100_000 * Scale));
}

/// <summary>What the bench needs to know of the generated district afterwards.</summary>
internal sealed record DistrictFacts(string DistrictCode, int Grids, int Workers, int Cases, int TimelineEntries, int Patrols, int TrackPoints,
    int Households, int Visits, int OtherRows, string SampleThirdGrid, string SampleWorkerUserName);

/// <summary>
/// A generated district for the assessment benchmark, deterministic for a seed: 10 subdistricts × 6 communities × 3 second-level
/// grids × 4 third-level grids × 3 micro-grids (simple rectangles, 3,060 grids below the communities at scale 1), a leader and two
/// full-time workers per third-level grid, volunteers on the micro-grids, community staff, operators and sunk liaisons (10,000
/// accounts, each a roster member assigned where the account is scoped), a year of cases up to the quarter's end taken through
/// screening with their outcome, the quarter's daily "110" patrols of the grid leaders with their tracks, households and the
/// quarter's door-knocks, and the quarter's training, work IDs, needs and projects.
/// </summary>
internal sealed class DistrictDataset(IServiceProvider services, DistrictSize size, AssessmentPeriod quarter, int seed = 2026)
{
    public const string DistrictCode = "610113";
    private const double MetersPerDegreeLat = 111_195;
    private const double MicroWidth = 150;
    private const double MicroHeight = 300;
    private const int CaseChunk = 20_000;
    private const int PointsPerPatrol = 120;

    private static readonly string[] SubdistrictNames = ["长安路", "小寨", "大雁塔", "电子城", "丈八沟", "鱼化寨", "等驾坡", "曲江", "漳浒寨", "西影路"];
    private static readonly string[] CommunityNames = ["翠华", "雁塔", "西影", "吉祥", "融城", "南窑", "东仪", "瓦胡同", "育才", "明德", "朱雀", "红专"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "胡", "郭"];
    private static readonly string[] Given = ["建国", "秀英", "志强", "丽华", "海燕", "伟", "敏", "静", "磊", "洋", "军", "勇", "艳", "杰", "娟", "涛"];
    private static readonly string[] Titles = ["楼道堆放杂物", "路灯不亮", "下水道堵塞", "私搭乱建", "噪音扰民", "垃圾清运不及时", "井盖缺失", "楼顶漏水", "占道经营", "绿地损毁"];

    private static readonly double Lon0 = 108.90;
    private static readonly double Lat0 = 34.18;

    private readonly Random _random = new(seed);
    private readonly List<Grid> _grids = [];
    private readonly Dictionary<string, Envelope> _boxes = [];
    private readonly List<string> _thirds = [];
    private readonly Dictionary<string, List<string>> _microsOf = [];
    private readonly Dictionary<string, (UserAccount Leader, List<UserAccount> Workers)> _staffOf = [];
    private readonly Dictionary<string, List<UserAccount>> _volunteersOf = [];
    private readonly Dictionary<string, UserAccount> _communityStaff = [];

    public (DateTimeOffset Start, DateTimeOffset End) Bounds { get; } = PatrolTracks.Bounds(quarter.From, quarter.To);

    /// <summary>Generates and writes everything, printing each family's count and time.</summary>
    public async Task<DistrictFacts> WriteAsync(string passwordHash, IReadOnlyList<string> categories, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var grids = await Timed("grids", BuildGrids(), ct);
        var (users, members) = BuildPeople(passwordHash);
        await Timed("accounts", users, ct);
        var roster = await Timed("roster members", members, ct);
        var (cases, timeline) = await WriteCasesAsync(categories, ct);
        var (patrols, points) = await WritePatrolsAsync(ct);
        var (households, visits) = await WriteVisitsAsync(ct);
        var others = await Timed("training, work IDs", BuildTraining(members), ct);
        others += await Timed("needs, projects", BuildGridAffairs(), ct);
        Console.WriteLine($"generated in {total.Elapsed.TotalSeconds:F1} s");
        var third = _thirds[0];
        return new DistrictFacts(DistrictCode, grids, users.Count, cases, timeline, patrols, points, households, visits, roster + others, third,
            _staffOf[third].Workers[0].UserName);
    }

    private async Task<int> WriteRowsAsync(IEnumerable<object> rows, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        return await BulkRows.WriteAsync(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(), rows, ct);
    }

    private async Task<int> Timed(string what, IEnumerable<object> rows, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var written = await WriteRowsAsync(rows, ct);
        Console.WriteLine($"  {what,-28} {written,10:N0} rows in {watch.Elapsed.TotalSeconds,6:F1} s");
        return written;
    }

    /// <summary>The territory: rectangles from the south-west corner, micro-grids 150 m × 300 m.</summary>
    private List<Grid> BuildGrids()
    {
        var lonPerMeter = 1 / (MetersPerDegreeLat * Math.Cos(Lat0 * Math.PI / 180));
        const double latPerMeter = 1 / MetersPerDegreeLat;
        Polygon Box(double x, double y, double width, double height)
        {
            var (w, s, e, n) = (Lon0 + (x * lonPerMeter), Lat0 + (y * latPerMeter), Lon0 + ((x + width) * lonPerMeter), Lat0 + ((y + height) * latPerMeter));
            return new Polygon(new LinearRing([new(w, s), new(e, s), new(e, n), new(w, n), new(w, s)])) { SRID = 4326 };
        }

        // A third-level grid is 3 micro-grids side by side; a second-level grid 2 × 2 third-level; a community 3 second-level in a
        // row; a subdistrict 3 × 2 communities; subdistricts side by side.
        const double thirdW = 3 * MicroWidth, thirdH = MicroHeight, secondW = 2 * thirdW, secondH = 2 * thirdH, communityW = 3 * secondW;
        const double subdistrictW = 3 * communityW, subdistrictH = 2 * secondH;
        var subdistricts = size.Subdistricts;
        _grids.Add(new Grid(DistrictCode, "雁塔区（测试）", GridLevel.District, GridKind.Territorial, null, Box(0, 0, subdistricts * subdistrictW, subdistrictH)));
        var communitiesLeft = size.Communities;
        for (var s = 0; s < subdistricts; s++)
        {
            var sCode = DistrictCode + (s + 1).ToString("D3", CultureInfo.InvariantCulture);
            _grids.Add(new Grid(sCode, SubdistrictNames[s] + "街道", GridLevel.Subdistrict, GridKind.Territorial, DistrictCode,
                Box(s * subdistrictW, 0, subdistrictW, subdistrictH)));
            for (var c = 0; c < 6 && communitiesLeft > 0; c++, communitiesLeft--)
            {
                var cCode = sCode + (c + 1).ToString("D3", CultureInfo.InvariantCulture);
                var cx = (s * subdistrictW) + (c % 3 * communityW);
                var cy = c / 3 * secondH;
                var cName = CommunityNames[(s + c) % CommunityNames.Length] + (s * 6 + c + 1).ToString(CultureInfo.InvariantCulture) + "社区";
                _grids.Add(new Grid(cCode, cName, GridLevel.Community, GridKind.Territorial, sCode, Box(cx, cy, communityW, secondH)));
                for (var g2 = 0; g2 < 3; g2++)
                {
                    var code2 = cCode + (g2 + 1).ToString("D2", CultureInfo.InvariantCulture);
                    var x2 = cx + (g2 * secondW);
                    _grids.Add(new Grid(code2, $"{cName}第{g2 + 1}片区", GridLevel.Second, GridKind.Territorial, cCode, Box(x2, cy, secondW, secondH)));
                    for (var g3 = 0; g3 < 4; g3++)
                    {
                        var code3 = code2 + (g3 + 1).ToString("D2", CultureInfo.InvariantCulture);
                        var (x3, y3) = (x2 + (g3 % 2 * thirdW), cy + (g3 / 2 * thirdH));
                        _grids.Add(new Grid(code3, $"{cName}第{(g2 * 4) + g3 + 1}网格", GridLevel.Third, GridKind.Territorial, code2, Box(x3, y3, thirdW, thirdH)));
                        _thirds.Add(code3);
                        _microsOf[code3] = [];
                        for (var m = 0; m < 3; m++)
                        {
                            var codeM = code3 + (m + 1).ToString("D2", CultureInfo.InvariantCulture);
                            _grids.Add(new Grid(codeM, $"{cName}第{(g2 * 4) + g3 + 1}网格{m + 1}号微网格", GridLevel.Micro, GridKind.Territorial, code3,
                                Box(x3 + (m * MicroWidth), y3, MicroWidth, MicroHeight)));
                            _microsOf[code3].Add(codeM);
                        }
                    }
                }
            }
        }

        foreach (var grid in _grids)
        {
            _boxes[grid.Code] = grid.Boundary.EnvelopeInternal;
        }

        return _grids;
    }

    private string PersonName() => Surnames[_random.Next(Surnames.Length)] + Given[_random.Next(Given.Length)];

    /// <summary>
    /// Accounts and their roster members: per third-level grid a leader and two full-time workers, per community five staff, per
    /// subdistrict ten operators and twenty sunk liaisons, and micro-grid volunteers for the rest of the 10,000.
    /// </summary>
    private (List<UserAccount> Users, List<RosterMember> Members) BuildPeople(string passwordHash)
    {
        var created = new DateTimeOffset(quarter.From.AddYears(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var users = new List<UserAccount>();
        var members = new List<RosterMember>();
        UserAccount Account(string userName, Role role, string scope, MemberKind? kind, GridLevel level, string? gridCode = null)
        {
            var user = new UserAccount(userName, PersonName(), [role], scope, created) { PhoneNumber = "13" + users.Count.ToString("D9", CultureInfo.InvariantCulture) };
            user.ChangePassword(passwordHash, created);
            users.Add(user);
            if (kind is { } k)
            {
                var member = new RosterMember(k, user.DisplayName, user.PhoneNumber, k == MemberKind.MicroVolunteer ? AgeBand.From60To69 : AgeBand.From40To59,
                    (gridCode ?? scope)[..GridCodes.CommunityLength], DateOnly.FromDateTime(created.Date)) { UserId = user.Id };
                member.Assign(gridCode ?? scope, level, member.JoinedOn);
                members.Add(member);
            }

            return user;
        }

        foreach (var subdistrict in _grids.Where(g => g.Level == GridLevel.Subdistrict))
        {
            var firstThird = _thirds.First(t => t.StartsWith(subdistrict.Code, StringComparison.Ordinal));
            for (var i = 0; i < 10 && users.Count < size.Workers; i++)
            {
                Account($"op{subdistrict.Code}{i:D2}", Role.SubdistrictOperator, subdistrict.Code, null, GridLevel.Subdistrict);
            }

            for (var i = 0; i < 20 && users.Count < size.Workers; i++)
            {
                Account($"dl{subdistrict.Code}{i:D2}", Role.DepartmentLiaison, subdistrict.Code, MemberKind.SunkStaff, GridLevel.Third, firstThird);
            }
        }

        foreach (var community in _grids.Where(g => g.Level == GridLevel.Community))
        {
            for (var i = 0; i < 5; i++)
            {
                var staff = Account($"cs{community.Code}{i}", Role.CommunityStaff, community.Code, MemberKind.CommunityCadre, GridLevel.Community);
                _communityStaff.TryAdd(community.Code, staff);
            }
        }

        foreach (var third in _thirds)
        {
            var leader = Account($"gl{third}", Role.GridLeader, third, MemberKind.GridLeader, GridLevel.Third);
            _staffOf[third] = (leader, [Account($"gw{third}a", Role.GridWorker, third, MemberKind.FullTimeWorker, GridLevel.Third),
                Account($"gw{third}b", Role.GridWorker, third, MemberKind.FullTimeWorker, GridLevel.Third)]);
        }

        var micros = _thirds.SelectMany(t => _microsOf[t]).ToList();
        foreach (var micro in micros)
        {
            _volunteersOf[micro] = [];
        }

        for (var i = 0; users.Count < size.Workers; i++)
        {
            var micro = micros[i % micros.Count];
            _volunteersOf[micro].Add(Account($"mv{micro}{i / micros.Count}", Role.MicroGridWorker, micro, MemberKind.MicroVolunteer, GridLevel.Micro));
        }

        return (users, members);
    }

    private static readonly Action<Case, DateTimeOffset?> SetDueAt = Setter<DateTimeOffset?>(nameof(Case.DueAt));
    private static readonly Action<Case, DateTimeOffset?> SetHandledAt = Setter<DateTimeOffset?>(nameof(Case.HandledAt));
    private static readonly Action<Case, Guid?> SetHandledBy = Setter<Guid?>(nameof(Case.HandledBy));
    private static readonly Action<Case, Guid?> SetAssignee = Setter<Guid?>(nameof(Case.AssigneeUserId));
    private static readonly Action<Case, string?> SetAssigneeName = Setter<string?>(nameof(Case.AssigneeName));
    private static readonly Action<Case, int> SetReopenCount = Setter<int>(nameof(Case.ReopenCount));
    private static readonly Action<Case, int> SetSupervisionCount = Setter<int>(nameof(Case.SupervisionCount));

    /// <summary>A private setter of <see cref="Case"/>: generated history sets what the workflow's verbs would have left behind.</summary>
    private static Action<Case, T> Setter<T>(string property) =>
        typeof(Case).GetProperty(property, BindingFlags.Instance | BindingFlags.Public)!.GetSetMethod(nonPublic: true)!.CreateDelegate<Action<Case, T>>();

    /// <summary>
    /// A year of cases up to the quarter's end, oldest first, in chunks: each reported in a grid (found on patrol by the grid's
    /// worker, or by a resident), screened (accepted, or refused now and then) by the grid leader, and — where its times fall
    /// before the quarter's end — handled by its due time or late, closed, rated, reopened or supervised.
    /// </summary>
    private async Task<(int Cases, int Timeline)> WriteCasesAsync(IReadOnlyList<string> categories, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var end = Bounds.End;
        var yearStart = end.AddDays(-365);
        var span = (end - yearStart).TotalSeconds;
        var count = size.Cases;
        var perDay = new Dictionary<DateOnly, int>();
        var (written, entries) = (0, 0);
        var instants = Enumerable.Range(0, count).Select(_ => yearStart.AddSeconds(_random.NextDouble() * span)).Order().ToList();
        // The next chunk is built while the last one is written (one builder at a time: they share the random stream).
        var building = TimeSpan.Zero;
        Task<List<Case>> Build(DateTimeOffset[] chunk) => Task.Run(() =>
        {
            var started = Stopwatch.GetTimestamp();
            var built = chunk.Select(at => NewCase(at, end, categories, perDay)).ToList();
            building += Stopwatch.GetElapsedTime(started);
            return built;
        }, ct);
        Task<List<Case>>? next = null;
        foreach (var chunk in instants.Chunk(CaseChunk))
        {
            var cases = next is null ? null : await next;
            next = Build(chunk);
            if (cases is not null)
            {
                entries += cases.Sum(c => c.Timeline.Count);
                written += await WriteRowsAsync(cases, ct);
            }
        }

        var last = await next!;
        entries += last.Sum(c => c.Timeline.Count);
        written += await WriteRowsAsync(last, ct);
        Console.WriteLine($"  (building the cases: {building.TotalSeconds:F1} s; {BulkRows.Timings})");

        Console.WriteLine($"  {"cases + timeline",-28} {written,10:N0} rows in {watch.Elapsed.TotalSeconds,6:F1} s ({count:N0} cases, {entries:N0} timeline entries)");
        return (count, entries);
    }

    private Case NewCase(DateTimeOffset reportedAt, DateTimeOffset end, IReadOnlyList<string> categories, Dictionary<DateOnly, int> perDay)
    {
        var r = _random;
        var third = _thirds[r.Next(_thirds.Count)];
        var micro = _microsOf[third][r.Next(3)];
        var box = GridBox(micro);
        var (lon, lat) = (box.MinX + (r.NextDouble() * box.Width), box.MinY + (r.NextDouble() * box.Height));
        var day = PatrolTracks.BeijingDay(reportedAt);
        var sequence = perDay[day] = perDay.GetValueOrDefault(day) + 1;
        var number = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("D5", CultureInfo.InvariantCulture);
        var roll = r.NextDouble();
        var tier = roll < 0.7 ? CaseTier.Green : roll < 0.88 ? CaseTier.Yellow : roll < 0.97 ? CaseTier.Blue : CaseTier.Red;
        var (leader, workers) = _staffOf[third];
        var byGrid = r.NextDouble() < 0.55;
        var reporter = byGrid ? workers[r.Next(workers.Count)] : null;
        var channel = byGrid ? CaseChannel.GridPatrol : (CaseChannel)(new[] { 1, 3, 4, 5, 6 }[r.Next(5)]);
        var title = Titles[r.Next(Titles.Length)];
        var item = new Case(number, categories[r.Next(categories.Count)], title, title + "，请尽快处理。", new Point(lon, lat), r.NextDouble() < 0.9 ? micro : third,
            tier, channel, reporter?.Id, reportedAt, reporter?.DisplayName);

        // Screening within a few working hours; a case reported in the last hours before the quarter's end may still wait.
        var screenedAt = reportedAt.AddMinutes(r.NextDouble() < 0.85 ? r.Next(5, 110) : r.Next(120, 600));
        if (screenedAt >= end)
        {
            return item;
        }

        var owner = tier == CaseTier.Green ? leader : _communityStaff[third[..GridCodes.CommunityLength]];
        var actor = new Actor(owner.Id, owner.DisplayName, new HashSet<Role> { Role.GridLeader, Role.CommunityStaff }, new Scope(DistrictCode, false, owner.Id));
        if (r.NextDouble() < 0.04)
        {
            item.Reject(actor, item.Version, screenedAt, "不属于受理范围");
            return item;
        }

        item.Accept(actor, item.Version, screenedAt);
        var days = tier switch { CaseTier.Green => 3, CaseTier.Yellow => 7, CaseTier.Blue => 15, _ => 30 };
        var due = screenedAt.AddDays(days);
        var handler = tier == CaseTier.Green ? (r.NextDouble() < 0.5 ? leader : workers[r.Next(workers.Count)]) : owner;
        SetDueAt(item, due);
        SetAssignee(item, handler.Id);
        SetAssigneeName(item, handler.DisplayName);
        var handledAt = screenedAt.AddDays(days * (r.NextDouble() < 0.86 ? r.NextDouble() * 0.95 : 1 + (r.NextDouble() * 0.8)));
        var status = CaseStatus.InHandling;
        DateTimeOffset? closedAt = null;
        int? rating = null;
        if (handledAt < end)
        {
            SetHandledAt(item, handledAt);
            SetHandledBy(item, handler.Id);
            var closing = handledAt.AddDays(1 + (r.NextDouble() * 3));
            status = closing < end ? CaseStatus.Closed : CaseStatus.Handled;
            closedAt = closing < end ? closing : null;
            rating = closing < end && r.NextDouble() < 0.7 ? (r.NextDouble() < 0.8 ? 5 : r.Next(2, 5)) : null;
            SetReopenCount(item, r.NextDouble() < 0.05 ? 1 : 0);
        }

        if (handledAt > due && r.NextDouble() < 0.4)
        {
            SetSupervisionCount(item, 1 + r.Next(2));
        }

        item.RestoreHistory(tier, status, closedAt, rating);
        return item;
    }

    private Envelope GridBox(string code) => _boxes[code];

    /// <summary>
    /// The quarter's "110" patrols: every grid leader on most working days, a point a minute for two hours (5 M points at scale 1)
    /// walking inside their grid, ended with the filtered summary and the time spent per micro-grid, as the phone and the
    /// nightly close leave them.
    /// </summary>
    private async Task<(int Patrols, int Points)> WritePatrolsAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var rules = new PatrolRules();
        var workingDays = Enumerable.Range(0, quarter.To.DayNumber - quarter.From.DayNumber + 1).Select(quarter.From.AddDays)
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        var patrolCount = size.TrackPoints / PointsPerPatrol;
        var boxes = _thirds.ToDictionary(t => t, GridBox);
        var microBoxes = _thirds.ToDictionary(t => t, t => _microsOf[t].Select(m => (Code: m, Box: GridBox(m))).ToList());
        var (patrols, points, rows) = (0, 0, 0);
        var pending = new List<object>();
        for (var d = 0; patrols < patrolCount; d = (d + 1) % workingDays.Count)
        {
            foreach (var third in _thirds)
            {
                if (patrols >= patrolCount)
                {
                    break;
                }

                if (_random.NextDouble() < 0.08 && d > 0)
                {
                    continue;
                }

                var day = workingDays[d];
                var leader = _staffOf[third].Leader;
                var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 30)), TimeSpan.FromHours(8)).AddMinutes(_random.Next(0, 60)).ToUniversalTime();
                var track = Walk(boxes[third], start, _random);
                var patrol = new Patrol(leader.Id, leader.DisplayName, third, start, day);
                patrol.Accept(track);
                var summary = TrackFilter.Analyse(track, rules);
                patrol.End(track[^1].At.AddMinutes(1), summary);
                pending.Add(patrol);
                var n = 0;
                foreach (var chunk in track.Chunk(30))
                {
                    pending.Add(new PatrolBatch
                    {
                        PatrolId = patrol.Id, BatchId = $"b{++n}", GridCode = third, FirstAt = chunk[0].At, LastAt = chunk[^1].At, Count = chunk.Length,
                        Points = TrackCodec.Encode(chunk), ReceivedAt = chunk[^1].At.AddSeconds(5),
                    });
                }

                var micros = microBoxes[third];
                pending.AddRange(PatrolTracks.Measure(patrol.Id, leader.Id, day, summary,
                    (lon, lat) => micros.FirstOrDefault(m => m.Box.Contains(lon, lat)).Code, rules));
                patrols++;
                points += track.Count;
                if (pending.Count >= 20_000)
                {
                    rows += await FlushAsync(pending, ct);
                }
            }
        }

        rows += await FlushAsync(pending, ct);
        Console.WriteLine($"  {"patrols, batches, grid time",-28} {rows,10:N0} rows in {watch.Elapsed.TotalSeconds,6:F1} s ({patrols:N0} patrols, {points:N0} points)");
        return (patrols, points);
    }

    private async Task<int> FlushAsync(List<object> pending, CancellationToken ct)
    {
        var written = await WriteRowsAsync(pending, ct);
        pending.Clear();
        return written;
    }

    /// <summary>Two hours at a walking pace inside a box, a point a minute, turning now and then and at the edges.</summary>
    private static List<TrackPoint> Walk(Envelope box, DateTimeOffset start, Random random)
    {
        const double step = 66; // metres a minute, 1.1 m/s
        var lonPerMeter = 1 / (MetersPerDegreeLat * Math.Cos(box.Centre.Y * Math.PI / 180));
        var (lon, lat) = (box.MinX + (random.NextDouble() * box.Width), box.MinY + (random.NextDouble() * box.Height));
        var heading = random.NextDouble() * 2 * Math.PI;
        var points = new List<TrackPoint>(PointsPerPatrol);
        while (points.Count < PointsPerPatrol)
        {
            if (random.NextDouble() < 0.15)
            {
                heading += Math.PI / 2 * ((random.Next(2) * 2) - 1);
            }

            var (nextLon, nextLat) = (lon + (Math.Cos(heading) * step * lonPerMeter), lat + (Math.Sin(heading) * step / MetersPerDegreeLat));
            if (!box.Contains(nextLon, nextLat))
            {
                heading += Math.PI;
                continue;
            }

            (lon, lat) = (nextLon, nextLat);
            points.Add(new TrackPoint(start.AddMinutes(points.Count), lon, lat, 8 + (random.NextDouble() * 8)));
        }

        return points;
    }

    /// <summary>Households on the micro-grids (two door-knocks each on average) and the quarter's door-knocks by the grid's people.</summary>
    private async Task<(int Households, int Visits)> WriteVisitsAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var micros = _thirds.SelectMany(t => _microsOf[t]).ToList();
        var households = new List<Household>();
        var count = Math.Max(micros.Count, size.Visits / 2);
        var created = Bounds.Start.AddDays(-200);
        for (var i = 0; i < count; i++)
        {
            var micro = micros[i % micros.Count];
            var k = i / micros.Count;
            var building = micro[..GridCodes.CommunityLength] + micro[GridCodes.CommunityLength..].PadLeft(5, '0')[^5..];
            var occupancy = (Occupancy)(1 + (k % 3 == 2 ? 1 : 0));
            households.Add(new Household(building, null, micro, 1 + (k / 60), $"{1 + (k % 60 / 4)}0{1 + (k % 4)}", occupancy, null, created));
        }

        var rows = 0;
        foreach (var chunk in households.Chunk(20_000))
        {
            rows += await WriteRowsAsync(chunk, ct);
        }

        var span = (Bounds.End - Bounds.Start).TotalSeconds;
        var visits = new List<object>();
        for (var i = 0; i < size.Visits; i++)
        {
            var household = households[_random.Next(households.Count)];
            var third = household.GridCode[..GridCodes.ThirdLength];
            var volunteers = _volunteersOf[household.GridCode];
            var visitor = volunteers.Count > 0 && _random.NextDouble() < 0.6 ? volunteers[_random.Next(volunteers.Count)] : _staffOf[third].Workers[_random.Next(2)];
            var at = Bounds.Start.AddSeconds(_random.NextDouble() * span);
            var day = PatrolTracks.BeijingDay(at);
            var roll = _random.NextDouble();
            var outcome = roll < 0.75 ? VisitOutcome.Visited : roll < 0.93 ? VisitOutcome.NobodyHome : VisitOutcome.Refused;
            visits.Add(new DoorVisit(household, visitor.Id, visitor.DisplayName, at, day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), outcome,
                null, null, null, null, false, null, []));
            if (visits.Count >= 20_000)
            {
                rows += await FlushAsync(visits, ct);
            }
        }

        rows += await FlushAsync(visits, ct);
        Console.WriteLine($"  {"households, door-knocks",-28} {rows,10:N0} rows in {watch.Elapsed.TotalSeconds,6:F1} s");
        return (households.Count, size.Visits);
    }

    /// <summary>
    /// The quarter's needs (a fifth of the door-knocks' count, raised on visits by the grid's people; most met some days later)
    /// and two service projects per community over two third-level grids each, started before the quarter, half delivered in it.
    /// </summary>
    private List<object> BuildGridAffairs()
    {
        var rows = new List<object>();
        var kinds = Enum.GetValues<ServiceKind>();
        var span = (Bounds.End - Bounds.Start).TotalSeconds;
        var micros = _thirds.SelectMany(t => _microsOf[t]).ToList();
        for (var i = 0; i < size.Visits / 5; i++)
        {
            var micro = micros[_random.Next(micros.Count)];
            var raiser = _staffOf[micro[..GridCodes.ThirdLength]].Workers[_random.Next(2)];
            var at = Bounds.Start.AddSeconds(_random.NextDouble() * span);
            var need = new Need(kinds[_random.Next(kinds.Length)], NeedUrgency.Normal, "走访中居民提出的需求", PersonName(), micro, null, null, null, null,
                NeedSource.Visit, null, raiser.Id, at);
            var met = at.AddDays(1 + (_random.NextDouble() * 20));
            if (_random.NextDouble() < 0.7 && met < Bounds.End)
            {
                need.Meet("已联系资源解决", met);
            }

            rows.Add(need);
        }

        foreach (var community in _grids.Where(g => g.Level == GridLevel.Community))
        {
            var thirds = _thirds.Where(t => t.StartsWith(community.Code, StringComparison.Ordinal)).ToList();
            for (var p = 0; p < 2; p++)
            {
                var start = quarter.From.AddDays(-30 + (p * 20));
                var project = new Project(p == 0 ? "四点半课堂" : "楼道微更新", p == 0 ? ProjectKind.PublicService : ProjectKind.Governance, "为居民提供身边的服务",
                    thirds.Skip(p * 2).Take(2), [], start, start.AddDays(120), null, Bounds.Start.AddDays(-40));
                project.Start(start);
                if (_random.NextDouble() < 0.5)
                {
                    project.Complete(quarter.From.AddDays(40 + _random.Next(40)), 10 + _random.Next(20), 30 + _random.Next(80));
                }
                else
                {
                    project.Count(5 + _random.Next(10), 10 + _random.Next(40));
                }

                rows.Add(project);
            }
        }

        return rows;
    }

    /// <summary>Per subdistrict a required course with a session a month, attended by most of its members; work IDs for those who passed.</summary>
    private List<object> BuildTraining(List<RosterMember> members)
    {
        var rows = new List<object>();
        var issuer = Guid.Empty;
        foreach (var subdistrict in _grids.Where(g => g.Level == GridLevel.Subdistrict))
        {
            var course = new Course(CourseKind.Policy, "网格员政策法规与工作职责培训", 4, 60, true, subdistrict.Code);
            rows.Add(course);
            var sessions = Enumerable.Range(0, 3).Select(m => new TrainingSession(course.Id, quarter.From.AddMonths(m).AddDays(9), subdistrict.Name + "党群服务中心",
                "街道综治办", subdistrict.Code)).ToList();
            rows.AddRange(sessions);
            var number = 0;
            foreach (var member in members.Where(m => m.CommunityCode.StartsWith(subdistrict.Code, StringComparison.Ordinal) && m.Kind != MemberKind.SunkStaff))
            {
                var attended = _random.NextDouble() < 0.9;
                int? score = attended ? _random.Next(45, 100) : null;
                var session = sessions[_random.Next(sessions.Count)];
                rows.Add(new Attendance(session.Id, member.Id, member.CommunityCode, attended, score));
                if (course.Passes(attended, score))
                {
                    issuer = issuer == Guid.Empty ? member.UserId ?? Guid.Empty : issuer;
                    rows.Add(new WorkId(member.Id, member.CommunityCode, WorkId.FormatNumber(subdistrict.Code, session.HeldOn.Year, ++number), session.HeldOn.AddDays(7),
                        session.HeldOn.AddYears(2), issuer, new DateTimeOffset(session.HeldOn.AddDays(7).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8))));
                }
            }
        }

        return rows;
    }
}
