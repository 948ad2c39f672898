using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Roster;

namespace CivicGrid.Server.Demo;

/// <summary>The demo's grid-worker roster, training and work IDs.</summary>
public sealed record DemoRosterData(IReadOnlyList<RosterMember> Members, IReadOnlyList<Course> Courses, IReadOnlyList<TrainingSession> Sessions,
    IReadOnlyList<Attendance> Attendance, IReadOnlyList<WorkId> WorkIds);

/// <summary>
/// A roster for the demo subdistricts, built from the generated grids and accounts: every demo leader, worker, micro-grid
/// volunteer, community and department account is a member assigned where the account is scoped, with more people without
/// accounts; two years of joinings, moves and leavings for turnover; some grids left without a leader, worker or volunteer
/// (vacancies); two required courses with sessions in the main subdistrict, and work IDs for those who passed, a few
/// expired or about to expire. Draws from its own <see cref="Random"/>, so the rest of the demo does not change with it.
/// </summary>
public static class DemoRoster
{
    public static DemoRosterData Build(DemoDataset data, DateOnly today, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(seed + 16);
        var grids = data.Grids.ToDictionary(g => g.Code);
        var members = new List<RosterMember>();
        var phones = new HashSet<string>(data.Users.Select(u => u.PhoneNumber).OfType<string>());
        var start = today.AddYears(-2).AddDays(-100);

        RosterMember Add(MemberKind kind, string name, string phone, AgeBand band, string community, DateOnly joined, UserAccount? user)
        {
            var member = new RosterMember(kind, name, phone, band, community, joined) { UserId = user?.Id, OrganisationId = user?.OrganisationId };
            members.Add(member);
            return member;
        }

        DateOnly Joined() => start.AddDays(random.Next(0, 600));
        string Phone()
        {
            while (true)
            {
                var phone = DemoNames.Mobile(random);
                if (phones.Add(phone))
                {
                    return phone;
                }
            }
        }

        AgeBand Band(bool elderly) => elderly
            ? (random.NextDouble() < 0.6 ? AgeBand.From60To69 : AgeBand.From70)
            : (random.NextDouble() < 0.5 ? AgeBand.Under40 : AgeBand.From40To59);

        RosterMember Person(MemberKind kind, UserAccount? user, string community, bool elderly) =>
            Add(kind, user?.DisplayName ?? DemoNames.Person(random), user?.PhoneNumber ?? Phone(), Band(elderly), community, Joined(), user);

        // Accounts first: each becomes a member assigned to the grid the account is scoped to.
        var users = data.Users;
        foreach (var user in users.Where(u => u.HasRole(Role.CommunityStaff)))
        {
            var member = Person(MemberKind.CommunityCadre, user, user.ScopeCode, elderly: false);
            member.Assign(user.ScopeCode, GridLevel.Community, member.JoinedOn);
        }

        var leaders = users.Where(u => u.HasRole(Role.GridLeader) && grids.TryGetValue(u.ScopeCode, out var g) && g.Kind == GridKind.Territorial).ToList();
        foreach (var user in leaders)
        {
            // About one grid in twenty has lost its leader (leader01's grid keeps one: the demo signs in as them).
            if (user.UserName != DemoAccounts.GridLeader && random.NextDouble() < 0.05)
            {
                continue;
            }

            var member = Person(MemberKind.GridLeader, user, user.ScopeCode[..GridCodes.CommunityLength], elderly: false);
            member.Assign(user.ScopeCode, GridLevel.Third, member.JoinedOn);
        }

        var thirds = data.Grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }).ToList();
        var staffedThirds = new HashSet<string>();
        foreach (var user in users.Where(u => u.HasRole(Role.GridWorker)))
        {
            var third = thirds.First(t => GridCodes.IsWithin(t.Code, user.ScopeCode));
            var member = Person(MemberKind.FullTimeWorker, user, third.Code[..GridCodes.CommunityLength], elderly: false);
            member.Assign(third.Code, GridLevel.Third, member.JoinedOn);
            staffedThirds.Add(third.Code);
        }

        foreach (var third in thirds.Where(t => !staffedThirds.Contains(t.Code)))
        {
            if (random.NextDouble() < 0.15)
            {
                continue; // vacancy: no full-time worker
            }

            var member = Person(MemberKind.FullTimeWorker, null, third.Code[..GridCodes.CommunityLength], elderly: false);
            member.Assign(third.Code, GridLevel.Third, member.JoinedOn);
        }

        var micros = data.Grids.Where(g => g.Level == GridLevel.Micro).ToList();
        var staffedMicros = new HashSet<string>();
        foreach (var user in users.Where(u => u.HasRole(Role.MicroGridWorker)))
        {
            var member = Person(MemberKind.MicroVolunteer, user, user.ScopeCode[..GridCodes.CommunityLength], elderly: user.UserName == DemoAccounts.MicroGridWorker || random.NextDouble() < 0.7);
            member.Assign(user.ScopeCode, GridLevel.Micro, member.JoinedOn);
            staffedMicros.Add(user.ScopeCode);
        }

        foreach (var micro in micros.Where(m => !staffedMicros.Contains(m.Code)))
        {
            if (random.NextDouble() < 0.25)
            {
                continue; // vacancy: no volunteer
            }

            var member = Person(MemberKind.MicroVolunteer, null, micro.Code[..GridCodes.CommunityLength], elderly: random.NextDouble() < 0.7);
            member.Assign(micro.Code, GridLevel.Micro, member.JoinedOn);
        }

        // Department liaisons are sunk into a 3rd-level grid of the main subdistrict's first community.
        var firstCommunity = data.Grids.First(g => g.Level == GridLevel.Community && g.Code.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal));
        var firstThirds = thirds.Where(t => GridCodes.IsWithin(t.Code, firstCommunity.Code)).ToList();
        var k = 0;
        foreach (var user in users.Where(u => u.HasRole(Role.DepartmentLiaison)))
        {
            var member = Person(MemberKind.SunkStaff, user, firstCommunity.Code, elderly: false);
            member.Assign(firstThirds[k++ % firstThirds.Count].Code, GridLevel.Third, member.JoinedOn);
        }

        // Turnover: volunteers and workers without accounts who left or moved over the last quarters; the grids they left
        // are often filled again by a newcomer, some stay vacant.
        foreach (var member in members.Where(m => m.UserId is null).ToList())
        {
            var open = member.OpenAssignments.Single();
            var roll = random.NextDouble();
            if (roll < 0.12)
            {
                var left = open.StartOn.AddDays(random.Next(60, 400));
                if (left >= today)
                {
                    continue;
                }

                member.Leave(left);
                if (random.NextDouble() < 0.6)
                {
                    var replacement = Add(member.Kind, DemoNames.Person(random), Phone(), Band(member.Kind == MemberKind.MicroVolunteer), member.CommunityCode,
                        left.AddDays(random.Next(7, 60)), null);
                    if (replacement.JoinedOn < today)
                    {
                        replacement.Assign(open.GridCode, grids[open.GridCode].Level, replacement.JoinedOn);
                    }
                }
            }
            else if (roll < 0.16 && member.Kind == MemberKind.FullTimeWorker)
            {
                var moveOn = open.StartOn.AddDays(random.Next(60, 400));
                var target = thirds.FirstOrDefault(t => GridCodes.IsWithin(t.Code, member.CommunityCode) && t.Code != open.GridCode && random.NextDouble() < 0.2);
                if (moveOn < today && target is not null)
                {
                    member.Move(open.Id, target.Code, GridLevel.Third, moveOn);
                }
            }
        }

        var (courses, sessions, attendance, workIds) = Training(members, users, today, random);
        LastQuarterTraining(data, members, courses, today, seed, sessions, attendance, workIds);
        return new DemoRosterData(members, courses, sessions, attendance, workIds);
    }

    /// <summary>
    /// The rest of the main subdistrict's communities (the first two were trained as <see cref="Training"/> shows) had both
    /// required courses in the last complete quarter: most attended and passed, fewer where the grid works weakly
    /// (<see cref="DemoDataset.GridQuality"/>); leaders, workers and volunteers who passed got their work ID a week later, and
    /// some who did not still carry one that ran out during the quarter. A random stream of its own.
    /// </summary>
    private static void LastQuarterTraining(DemoDataset data, List<RosterMember> members, List<Course> courses, DateOnly today, int seed,
        List<TrainingSession> sessions, List<Attendance> attendance, List<WorkId> workIds)
    {
        const string main = DemoSubdistrictGenerator.SubdistrictCode;
        var random = new Random(seed + 61);
        var quarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
        var trained = sessions.Select(s => s.ScopeCode).ToHashSet(StringComparer.Ordinal);
        var firstTwo = members.Where(m => trained.Contains(m.CommunityCode) || attendance.Any(a => a.MemberId == m.Id)).Select(m => m.CommunityCode)
            .ToHashSet(StringComparer.Ordinal);
        var issuer = data.Users.First(u => u.HasRole(Role.SubdistrictOperator) && u.ScopeCode == main);
        var sequence = workIds.Count(w => w.ValidFrom.Year == quarter.Year);
        foreach (var community in members.Where(m => m.CommunityCode.StartsWith(main, StringComparison.Ordinal) && !firstTwo.Contains(m.CommunityCode))
            .GroupBy(m => m.CommunityCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var heldOn = quarter.AddDays(10 + random.Next(45));
            var courseSessions = courses.Select((c, i) => (Course: c, Session: new TrainingSession(c.Id, heldOn.AddDays(i * 7), "社区党群服务中心活动室", "街道综治办 刘主任", community.Key)))
                .ToList();
            sessions.AddRange(courseSessions.Select(c => c.Session));
            foreach (var member in community.Where(m => m.IsActive && m.Kind != MemberKind.SunkStaff && m.JoinedOn < heldOn))
            {
                var grid = member.OpenAssignments.FirstOrDefault()?.GridCode;
                var quality = grid is { Length: >= GridCodes.ThirdLength } ? data.GridQuality.GetValueOrDefault(grid[..GridCodes.ThirdLength], 0.6) : 0.6;
                var attended = random.NextDouble() < 0.6 + (0.38 * quality);
                var passedAll = true;
                foreach (var (course, session) in courseSessions)
                {
                    int? score = attended ? (random.NextDouble() < 0.55 + (0.4 * quality) ? random.Next(course.PassMark, 99) : random.Next(course.PassMark - 20, course.PassMark)) : null;
                    attendance.Add(new Attendance(session.Id, member.Id, member.CommunityCode, attended, score));
                    passedAll &= course.Passes(attended, score);
                }

                if (member.Kind is not (MemberKind.GridLeader or MemberKind.FullTimeWorker or MemberKind.MicroVolunteer))
                {
                    continue;
                }

                var from = passedAll ? heldOn.AddDays(14) : random.NextDouble() < 0.4 ? quarter.AddYears(-2).AddDays(random.Next(0, 80)) : (DateOnly?)null;
                if (from is { } validFrom)
                {
                    workIds.Add(new WorkId(member.Id, member.CommunityCode, WorkId.FormatNumber(main, validFrom.Year, ++sequence + 5000), validFrom, validFrom.AddYears(2).AddDays(-1),
                        issuer.Id, new DateTimeOffset(validFrom.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime()));
                }
            }
        }
    }

    private static (List<Course>, List<TrainingSession>, List<Attendance>, List<WorkId>) Training(List<RosterMember> members, IReadOnlyList<UserAccount> users,
        DateOnly today, Random random)
    {
        const string main = DemoSubdistrictGenerator.SubdistrictCode;
        var policy = new Course(CourseKind.Policy, "网格员政策法规与工作职责培训", 4, 60, true, main);
        var platform = new Course(CourseKind.PlatformUse, "网格化治理平台手机端使用培训", 2, 70, true, main);
        List<Course> courses = [policy, platform];
        List<TrainingSession> sessions =
        [
            new(policy.Id, today.AddYears(-2).AddDays(-60), "示范街道党群服务中心二楼会议室", "街道综治办 刘主任", main),
            new(policy.Id, today.AddDays(-75), "示范街道党群服务中心二楼会议室", "区委政法委 陈老师", main),
            new(platform.Id, today.AddYears(-2).AddDays(-53), "街道城运中心培训室", "平台运维 周工程师", main),
            new(platform.Id, today.AddDays(-68), "街道城运中心培训室", "平台运维 周工程师", main),
        ];

        // The main subdistrict's first two communities were trained, and everyone with a demo account there.
        var communities = members.Select(m => m.CommunityCode).Where(c => c.StartsWith(main, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)
            .Take(2).ToHashSet();
        var trainees = members.Where(m => m.IsActive && communities.Contains(m.CommunityCode) && m.Kind != MemberKind.SunkStaff).ToList();
        var attendance = new List<Attendance>();
        var passed = new List<(RosterMember Member, bool Early)>();
        foreach (var member in trainees)
        {
            var early = member.JoinedOn < sessions[0].HeldOn;
            var policySession = early ? sessions[0] : sessions[1];
            var platformSession = early ? sessions[2] : sessions[3];
            var linked = member.UserId is not null;
            var attended = linked || random.NextDouble() < 0.9;
            int? Score(int mark) => attended ? (linked ? random.Next(mark + 5, 99) : random.Next(mark - 15, 99)) : null;
            var policyScore = Score(policy.PassMark);
            var platformScore = Score(platform.PassMark);
            attendance.Add(new Attendance(policySession.Id, member.Id, member.CommunityCode, attended, policyScore));
            attendance.Add(new Attendance(platformSession.Id, member.Id, member.CommunityCode, attended, platformScore));
            if (policy.Passes(attended, policyScore) && platform.Passes(attended, platformScore))
            {
                passed.Add((member, early && !linked));
            }
        }

        var issuer = users.First(u => u.HasRole(Role.SubdistrictOperator) && u.ScopeCode == main);
        var workIds = new List<WorkId>();
        var sequence = new Dictionary<int, int>();
        foreach (var (member, early) in passed.OrderBy(p => p.Member.JoinedOn))
        {
            // Early ones were issued over two years ago: most expired, a few were extended to run out within the month.
            var from = early ? today.AddYears(-2).AddDays(-45 + random.Next(0, 5)) : today.AddDays(-60 + random.Next(0, 5));
            var until = early && random.NextDouble() < 0.3 ? today.AddDays(random.Next(3, 28)) : from.AddYears(2).AddDays(-1);
            var number = sequence[from.Year] = sequence.GetValueOrDefault(from.Year) + 1;
            workIds.Add(new WorkId(member.Id, member.CommunityCode, WorkId.FormatNumber(main, from.Year, number), from, until, issuer.Id,
                new DateTimeOffset(from.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime()));
        }

        return (courses, sessions, attendance, workIds);
    }
}
