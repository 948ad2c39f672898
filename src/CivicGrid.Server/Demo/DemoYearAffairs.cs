using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Organisations;

namespace CivicGrid.Server.Demo;

/// <summary>The year's needs, projects and claims of every 3rd-level grid (<see cref="DemoYearAffairs"/>).</summary>
public sealed record DemoYearAffairsData(IReadOnlyList<Need> Needs, IReadOnlyList<Project> Projects, IReadOnlyList<Claim> Claims);

/// <summary>
/// The twelve months before the recent weeks <see cref="DemoGridAffairs"/> shows, for every 3rd-level grid of the main
/// subdistrict, so that each quarter's service indicators have something to count: needs found at the doors every month
/// (met within days or weeks, more often and sooner where the grid works well, <see cref="DemoDataset.GridQuality"/>; a few
/// closed, some still open), one project a quarter due to end in it (delivered, cancelled or overrunning), public units
/// claiming two of the grid's needs for a year and fulfilling them month by month (or not), and the courtyard councils' decisions
/// turned into needs that are met or not. Everything through the domain's own verbs; a random stream of its own.
/// </summary>
public static class DemoYearAffairs
{
    private static readonly string[] Outcomes = ["已上门服务，需求已解决", "已联系相关单位上门处理", "已纳入社区常态化服务", "志愿者已定期上门"];

    /// <param name="councils">The year's courtyard councils; each one's decision becomes a need the grid follows up (added to them).</param>
    public static DemoYearAffairsData Build(DemoDataset data, IReadOnlyList<CourtyardCouncil> councils, DateOnly today, DateTimeOffset now, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(councils);
        var random = new Random(seed + 53);
        var main = DemoSubdistrictGenerator.SubdistrictCode;
        var needs = new List<Need>();
        var projects = new List<Project>();
        var claims = new List<Claim>();
        var units = data.Organisations.Where(o => o.Kind == OrganisationKind.PublicUnit && o.ScopeCode.StartsWith(main, StringComparison.Ordinal))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        var walkers = data.Users.Where(u => u.HasRole(Role.GridLeader) || u.HasRole(Role.GridWorker) || u.HasRole(Role.MicroGridWorker)).ToList();
        var staffBy = data.Users.Where(u => u.HasRole(Role.CommunityStaff)).GroupBy(u => u.ScopeCode).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var buildingsBy = data.Buildings.Where(b => GridCodes.IsWithin(b.GridCode, main)).ToLookup(b => b.GridCode[..GridCodes.ThirdLength]);
        DateTimeOffset At(DateOnly day, int hour) => new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, random.Next(0, 60))), TimeSpan.FromHours(8)).ToUniversalTime();
        DateTimeOffset? Past(DateTimeOffset at) => at < now ? at : null;

        var thirds = data.Grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial } && GridCodes.IsWithin(g.Code, main))
            .OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var thisQuarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        foreach (var grid in thirds)
        {
            var quality = data.GridQuality.GetValueOrDefault(grid.Code, 0.6);
            var buildings = buildingsBy[grid.Code].OrderBy(b => b.Code, StringComparer.Ordinal).ToList();
            var team = walkers.Where(u => GridCodes.IsWithin(u.ScopeCode, grid.Code) || GridCodes.IsWithin(grid.Code, u.ScopeCode))
                .OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
            var staff = staffBy.GetValueOrDefault(grid.Code[..GridCodes.CommunityLength]);
            // Needs found at the doors, month by month.
            var gridNeeds = new List<Need>();
            for (var month = thisMonth.AddMonths(-12); month < thisMonth; month = month.AddMonths(1))
            {
                for (var k = 1 + random.Next(3); k > 0; k--)
                {
                    var (kind, description, requester) = DemoGridAffairs.NeedPlan[random.Next(DemoGridAffairs.NeedPlan.Length)];
                    // A grid without dwellings (a market, a school) still has its shopkeepers' and staff's needs.
                    var home = buildings.Count > 0 ? buildings[random.Next(buildings.Count)] : null;
                    var raisedBy = team.Count > 0 ? team[random.Next(team.Count)] : staff;
                    var raisedAt = At(month.AddDays(random.Next(0, 28)), 9 + random.Next(9));
                    var need = new Need(kind, random.NextDouble() < 0.2 ? NeedUrgency.Urgent : NeedUrgency.Normal, description, $"{home?.Name ?? grid.Name}{requester}",
                        home?.GridCode ?? grid.Code, null, home?.Code, home?.Location.X, home?.Location.Y, NeedSource.Visit, $"demo-year-{grid.Code}-{month:yyyyMM}-{k}",
                        raisedBy?.Id, raisedAt);
                    var roll = random.NextDouble();
                    if (roll < 0.4 + (0.55 * quality) && Past(raisedAt.AddDays(1 + (24 * random.NextDouble() * (1.3 - quality)))) is { } met)
                    {
                        need.Meet(Outcomes[random.Next(Outcomes.Length)], met);
                    }
                    else if (roll > 0.96 && Past(raisedAt.AddDays(3 + random.Next(10))) is { } closed)
                    {
                        need.Close("居民已自行解决", closed);
                    }

                    gridNeeds.Add(need);
                }
            }

            needs.AddRange(gridNeeds);

            // A public unit claims two of the year's first needs for twelve months and reports month by month.
            for (var c = 0; c < 2 && units.Count > 0; c++)
            {
                var need = gridNeeds[c];
                var unit = units[(thirds.IndexOf(grid) + c) % units.Count];
                var start = DateOnly.FromDateTime(need.RaisedAt.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(3);
                var end = start.AddYears(1).AddDays(-1);
                var claim = Claim.ForAffair(ClaimTarget.Need, need.Id.ToString(), need.Description, need.GridCode, ClaimerKind.PublicUnit, unit.Id, unit.Name,
                    start, end, "每月上门服务一次，直到需求解决", At(start, 10));
                for (var day = start.AddDays(20); day < today && day <= end; day = day.AddMonths(1))
                {
                    if (random.NextDouble() < 0.2 + (0.7 * quality))
                    {
                        claim.Fulfil(day, "按约上门服务", staff?.DisplayName ?? "社区");
                    }
                    else if (random.NextDouble() < 0.5)
                    {
                        claim.Fulfil(day, "本月未能上门，已改约", staff?.DisplayName ?? "社区", done: false);
                    }
                }

                claims.Add(claim);
            }

            // One project a quarter, due to end within it: delivered on time, cancelled, or still running past its date.
            for (var quarter = thisQuarter.AddMonths(-12); quarter < thisQuarter; quarter = quarter.AddMonths(3))
            {
                var plan = DemoGridAffairs.ProjectPlan[random.Next(DemoGridAffairs.ProjectPlan.Length)];
                var start = quarter.AddDays(-45 - random.Next(40));
                var end = quarter.AddDays(20 + random.Next(65));
                var project = new Project(plan.Name, plan.Kind, plan.Goal, [grid.Code], [], start, end, staff?.Id, At(start.AddDays(-7), 10));
                project.Start(start);
                var roll = random.NextDouble();
                if (roll < 0.35 + (0.6 * quality))
                {
                    project.Complete(end.AddDays(-random.Next(0, 10)), 8 + random.Next(20), 20 + random.Next(80));
                }
                else if (roll > 0.93)
                {
                    project.Cancel(end.AddDays(-random.Next(10, 30)));
                }
                else
                {
                    project.Count(3 + random.Next(6), 5 + random.Next(20));
                }

                projects.Add(project);
            }
        }

        // The councils' decisions become needs the grid follows up; a well-run grid meets more of them, sooner.
        var gridOf = thirds.ToDictionary(g => g.Code, StringComparer.Ordinal);
        foreach (var council in councils.Where(c => gridOf.ContainsKey(c.GridCode[..Math.Min(c.GridCode.Length, GridCodes.ThirdLength)]) && c.FollowUps.All(f => f.Kind == FollowUpKind.Note)))
        {
            var third = council.GridCode[..GridCodes.ThirdLength];
            var quality = data.GridQuality.GetValueOrDefault(third, 0.6);
            var home = buildingsBy[third].FirstOrDefault();
            var raisedAt = At(council.HeldOn, 21);
            if (home is null || raisedAt >= now)
            {
                continue;
            }

            var decision = council.Decisions.Count > 0 ? council.Decisions[0] : "议定事项";
            var need = new Need(ServiceKind.PropertyCare, NeedUrgency.Normal, $"楼院议事会议定：{decision}", $"{council.CompoundName}居民", council.GridCode, council.CompoundCode,
                null, home.Location.X, home.Location.Y, NeedSource.Council, council.Id.ToString(), council.RecordedBy, raisedAt);
            if (random.NextDouble() < 0.3 + (0.65 * quality) && Past(raisedAt.AddDays(3 + (40 * random.NextDouble() * (1.2 - quality)))) is { } met)
            {
                need.Meet("议定事项已落实，在下次议事会上通报", met);
            }

            council.FollowUp(need.Description, FollowUpKind.Need, need.Id);
            needs.Add(need);
        }

        return new DemoYearAffairsData(needs, projects, claims);
    }
}
