using System.Globalization;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Infrastructure.Privacy;
using NeedUrgency = CivicGrid.Domain.GridAffairs.NeedUrgency;

namespace CivicGrid.Server.Demo;

/// <summary>
/// The household register of the pilot community (the first community's first compounds, and the compounds of the
/// well-known volunteer's micro-grid and property company): about two-thirds rented, some special-care residents with the basis
/// for it, fake ID numbers with a correct GB 11643 check digit; and a week of door-knocks by the department liaisons and the
/// well-known field accounts, some liaisons left behind the minimum. Deterministic for a seed.
/// </summary>
internal static class DemoHouseholds
{
    private const int PilotCompounds = 10;

    public static (List<Household> Households, List<DoorVisit> Visits) Build(DemoDataset data, IReadOnlyList<LiaisonAttachment> attachments, FieldVault vault,
        DateOnly today, DateTimeOffset now, int seed)
    {
        var random = new Random(seed + 17);
        var users = data.Users.ToDictionary(u => u.UserName);
        var pilotCode = users[DemoAccounts.CommunityStaff].ScopeCode;
        var micro = users[DemoAccounts.MicroGridWorker].ScopeCode;
        var company = users[DemoAccounts.PropertyStaff].OrganisationId;
        var compounds = data.Compounds.Where(c => c.Code.StartsWith(pilotCode, StringComparison.Ordinal)).OrderBy(c => c.Code, StringComparer.Ordinal)
            .Take(PilotCompounds)
            .Concat(data.Compounds.Where(c => c.GridCode.StartsWith(micro, StringComparison.Ordinal)))
            .Concat(data.Compounds.Where(c => c.PropertyCompanyId == company && company is not null).Take(1))
            .DistinctBy(c => c.Id).ToList();
        var codeOf = compounds.ToDictionary(c => c.Id, c => c.Code);
        var at = now.AddDays(-60);
        var households = new List<Household>();
        foreach (var building in data.Buildings.Where(b => b.CompoundId is { } id && codeOf.ContainsKey(id)).OrderBy(b => b.Code, StringComparer.Ordinal))
        {
            var layout = BuildingRooms.Of(building.Floors, building.Households);
            var dwellings = 0;
            for (var unit = 1; unit <= layout.Units; unit++)
            {
                foreach (var room in layout.Rooms())
                {
                    if (++dwellings > building.Households)
                    {
                        break;
                    }

                    households.Add(Dwelling(building, codeOf[building.CompoundId!.Value], unit, room, random, vault, today, at));
                }
            }
        }

        // Beyond the pilot, each 3rd-level grid of the main subdistrict has registered the building its door-knocking began at.
        var pilotHouseholds = households.ToList();
        var pilot = households.Select(h => h.GridCode[..GridCodes.ThirdLength]).ToHashSet(StringComparer.Ordinal);
        var begun = data.Buildings.Where(b => GridCodes.IsWithin(b.GridCode, DemoSubdistrictGenerator.SubdistrictCode)
                && !pilot.Contains(b.GridCode[..GridCodes.ThirdLength]))
            .GroupBy(b => b.GridCode[..GridCodes.ThirdLength]).Select(g => g.OrderBy(b => b.Code, StringComparer.Ordinal).First());
        var compoundCodes = data.Compounds.ToDictionary(c => c.Id, c => c.Code);
        foreach (var building in begun.OrderBy(b => b.Code, StringComparer.Ordinal))
        {
            var layout = BuildingRooms.Of(building.Floors, building.Households);
            var rooms = Enumerable.Range(1, layout.Units).SelectMany(unit => layout.Rooms().Select(room => (unit, room))).Take(Math.Min(building.Households, RegisteredPerBuilding));
            households.AddRange(rooms.Select(r => Dwelling(building, building.CompoundId is { } id ? compoundCodes[id] : null, r.unit, r.room, random, vault, today, at)));
        }

        var visits = Visits(data, attachments, pilotHouseholds, random, today, now);
        visits.AddRange(YearOfVisits(data, attachments, households, today, now, seed));
        return (households, visits);
    }

    /// <summary>How many dwellings of a grid's first building are registered outside the pilot: a stairwell or two.</summary>
    private const int RegisteredPerBuilding = 24;

    /// <summary>
    /// The year before the last fortnight: every week, the 3rd-level grid's leader, workers and volunteers knock a few doors of its
    /// registered households (more often where the grid works well, <see cref="DemoDataset.GridQuality"/>), special-care households
    /// first; each sunk liaison knocks in the grid they serve, now and then missing a week. No needs found: the year's needs are
    /// the grid affairs' own (<see cref="DemoYearAffairs"/>). A stream of its own.
    /// </summary>
    private static IEnumerable<DoorVisit> YearOfVisits(DemoDataset data, IReadOnlyList<LiaisonAttachment> attachments, List<Household> households,
        DateOnly today, DateTimeOffset now, int seed)
    {
        var random = new Random(seed + 31);
        var byThird = households.GroupBy(h => h.GridCode[..GridCodes.ThirdLength]).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var cared = households.Where(h => h.Residents.Any(r => r.Care.Count > 0)).ToLookup(h => h.GridCode[..GridCodes.ThirdLength]);
        var buildings = data.Buildings.ToDictionary(b => b.Code);
        var walkers = data.Users.Where(u => u.HasRole(Role.GridLeader) || u.HasRole(Role.GridWorker) || u.HasRole(Role.MicroGridWorker)).ToList();
        var lastWeek = VisitRules.WeekStart(today).AddDays(-14);
        var firstWeek = VisitRules.WeekStart(today.AddYears(-1));
        foreach (var (third, mine) in byThird.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var quality = data.GridQuality.GetValueOrDefault(third, 0.6);
            var team = walkers.Where(u => GridCodes.IsWithin(u.ScopeCode, third) || GridCodes.IsWithin(third, u.ScopeCode)).OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
            if (team.Count == 0)
            {
                continue;
            }

            for (var week = firstWeek; week < lastWeek; week = week.AddDays(7))
            {
                if (random.NextDouble() > 0.25 + (0.7 * quality))
                {
                    continue;
                }

                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    var household = cared[third].Any() && random.NextDouble() < 0.4 ? cared[third].ElementAt(random.Next(cared[third].Count())) : mine[random.Next(mine.Count)];
                    yield return Knock(team[random.Next(team.Count)], household, week);
                }
            }
        }

        var liaisons = data.Users.Where(u => u.HasRole(Role.DepartmentLiaison)).ToDictionary(u => u.Id);
        foreach (var attachment in attachments.Where(a => liaisons.ContainsKey(a.UserId) && byThird.ContainsKey(a.GridCode[..Math.Min(a.GridCode.Length, GridCodes.ThirdLength)])))
        {
            var mine = byThird[attachment.GridCode[..GridCodes.ThirdLength]];
            var quality = data.GridQuality.GetValueOrDefault(attachment.GridCode[..GridCodes.ThirdLength], 0.6);
            for (var week = VisitRules.WeekStart(attachment.StartsOn); week < lastWeek && (attachment.EndsOn is null || week <= attachment.EndsOn); week = week.AddDays(7))
            {
                var count = random.NextDouble() < 0.55 + (0.4 * quality) ? random.Next(1, 3) : 0;
                for (var k = 0; k < count; k++)
                {
                    yield return Knock(liaisons[attachment.UserId], mine[random.Next(mine.Count)], week);
                }
            }
        }

        DoorVisit Knock(UserAccount visitor, Household household, DateOnly week)
        {
            var day = week.AddDays(random.Next(0, 6));
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(random.Next(9, 19), random.Next(0, 60))), TimeSpan.FromHours(8)).ToUniversalTime();
            var building = buildings[household.BuildingCode];
            var (lon, lat) = (Math.Round(building.Location.X + ((random.NextDouble() - 0.5) * 0.0004), 6), Math.Round(building.Location.Y + ((random.NextDouble() - 0.5) * 0.0004), 6));
            var distance = VisitRules.DistanceMeters(lon, lat, building.Location.X, building.Location.Y);
            var outcome = household.Occupancy == Occupancy.Vacant ? VisitOutcome.NobodyHome : random.NextDouble() switch
            {
                < 0.78 => VisitOutcome.Visited,
                < 0.94 => VisitOutcome.NobodyHome,
                _ => VisitOutcome.Refused,
            };
            var notes = outcome switch
            {
                VisitOutcome.NobodyHome => "敲门无人应答，已留联系卡",
                VisitOutcome.Refused => "住户表示不便，改日再访",
                _ => random.NextDouble() < 0.5 ? "住户情况正常，宣传了反诈知识" : "了解家庭近况，登记了联系方式",
            };
            return new DoorVisit(household, visitor.Id, visitor.DisplayName, at < now ? at : now.AddHours(-1), week, outcome, lon, lat, 15, Math.Round(distance, 1),
                VisitRules.IsFar(distance, 15, VisitRules.DefaultFarMeters), notes, []);
        }
    }

    private static Household Dwelling(Building building, string? compoundCode, int unit, string room, Random random, FieldVault vault, DateOnly today,
        DateTimeOffset at)
    {
        var occupancy = random.NextDouble() switch
        {
            < 0.64 => Occupancy.Rented,
            < 0.93 => Occupancy.OwnerOccupied,
            _ => Occupancy.Vacant,
        };
        var household = new Household(building.Code, compoundCode, building.GridCode, unit, room, occupancy, null, at);
        var count = occupancy switch
        {
            Occupancy.Vacant => 0,
            Occupancy.Rented => random.Next(1, 4),
            _ => random.Next(1, 5),
        };
        for (var k = 0; k < count; k++)
        {
            // Owners are older than tenants: the old compounds' owners stayed, the young rent.
            var age = occupancy == Occupancy.OwnerOccupied && k == 0 ? random.Next(45, 92) : random.Next(18, 60);
            var born = today.AddYears(-age).AddDays(-random.Next(0, 365));
            var care = new List<ResidentCare>();
            if (count == 1 && age >= 70 && random.NextDouble() < 0.6)
            {
                care.Add(new ResidentCare(CareKind.LivingAloneElderly, $"{today.Year}年社区入户核实"));
            }

            if (random.NextDouble() < 0.03)
            {
                care.Add(new ResidentCare(CareKind.Disabled, $"残疾人证 {random.Next(1, 5)} 级"));
            }

            if (random.NextDouble() < 0.04)
            {
                care.Add(new ResidentCare(CareKind.LowIncome, $"区民政局低保名单（{today.Year}年第{(today.Month + 2) / 3}季度）"));
            }

            var identity = new ResidentIdentity(DemoNames.Person(random), FakeIdNumber(born, random), k == 0 || random.NextDouble() < 0.5 ? DemoNames.Mobile(random) : null);
            household.Residents.Add(HouseholdChecks.Seal(vault, household, new ResidentDraft(identity, care), at));
        }

        return household;
    }

    /// <summary>A fictional Beilin-district number (610103) with the birth date, a random sequence and the correct check character.</summary>
    public static string FakeIdNumber(DateOnly born, Random random)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"610103{born:yyyyMMdd}{random.Next(0, 1000):D3}");
        return first17 + IdNumber.CheckCharacter(first17);
    }

    /// <summary>
    /// This week and last: each liaison knocks a few doors of the pilot community (the last two this week none, so they are
    /// behind), and the well-known grid leader, worker and volunteer knock in their grids. Positions lie at the building, one
    /// far from it; some visits found needs.
    /// </summary>
    private static List<DoorVisit> Visits(DemoDataset data, IReadOnlyList<LiaisonAttachment> attachments, List<Household> households, Random random,
        DateOnly today, DateTimeOffset now)
    {
        var visits = new List<DoorVisit>();
        if (households.Count == 0)
        {
            return visits;
        }

        var buildings = data.Buildings.ToDictionary(b => b.Code);
        var liaisonIds = attachments.Select(a => a.UserId).ToHashSet();
        var liaisons = data.Users.Where(u => liaisonIds.Contains(u.Id)).OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
        var field = new[] { DemoAccounts.GridLeader, DemoAccounts.GridWorker, DemoAccounts.MicroGridWorker }
            .Select(n => data.Users.Single(u => u.UserName == n)).ToList();
        var thisWeek = VisitRules.WeekStart(today);
        foreach (var week in new[] { thisWeek.AddDays(-7), thisWeek })
        {
            for (var i = 0; i < liaisons.Count; i++)
            {
                var count = week == thisWeek && i >= liaisons.Count - 2 ? 0 : random.Next(1, 4);
                for (var k = 0; k < count; k++)
                {
                    Add(liaisons[i], households[random.Next(households.Count)]);
                }
            }

            foreach (var worker in field)
            {
                var mine = households.Where(h => h.GridCode.StartsWith(worker.ScopeCode, StringComparison.Ordinal)).ToList();
                for (var k = mine.Count == 0 ? 3 : 0; k < 3; k++)
                {
                    Add(worker, mine[random.Next(mine.Count)]);
                }
            }

            void Add(UserAccount visitor, Household household)
            {
                var days = week == thisWeek ? Math.Max(0, today.DayNumber - thisWeek.DayNumber) : 6;
                var day = week.AddDays(random.Next(0, days + 1));
                var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(random.Next(9, 18), random.Next(0, 60))), TimeSpan.FromHours(8)).ToUniversalTime();
                if (at > now)
                {
                    at = now.AddHours(-random.Next(1, 5));
                }

                var building = buildings[household.BuildingCode];
                var far = visits.Count == 5;
                var (dLon, dLat) = far ? (0.004, 0.002) : ((random.NextDouble() - 0.5) * 0.0004, (random.NextDouble() - 0.5) * 0.0004);
                var lon = building.Location.X + dLon;
                var lat = building.Location.Y + dLat;
                var distance = VisitRules.DistanceMeters(lon, lat, building.Location.X, building.Location.Y);
                var outcome = household.Occupancy == Occupancy.Vacant ? VisitOutcome.NobodyHome : random.NextDouble() switch
                {
                    < 0.75 => VisitOutcome.Visited,
                    < 0.93 => VisitOutcome.NobodyHome,
                    _ => VisitOutcome.Refused,
                };
                var findings = new List<VisitFinding>();
                if (outcome == VisitOutcome.Visited && random.NextDouble() < 0.3)
                {
                    var (kind, text) = Needs[random.Next(Needs.Length)];
                    findings.Add(new VisitFinding(FindingKind.Need, kind, random.NextDouble() < 0.2 ? NeedUrgency.Urgent : NeedUrgency.Normal, null, text));
                }

                var notes = outcome switch
                {
                    VisitOutcome.NobodyHome => "敲门无人应答，已留联系卡",
                    VisitOutcome.Refused => "住户表示不便，改日再访",
                    _ => findings.Count > 0 ? "已登记需求，转社区跟进" : "住户情况正常，宣传了反诈知识",
                };
                visits.Add(new DoorVisit(household, visitor.Id, visitor.DisplayName, at, VisitRules.WeekStart(day), outcome, Math.Round(lon, 6), Math.Round(lat, 6), 15,
                    Math.Round(distance, 1), VisitRules.IsFar(distance, 15, VisitRules.DefaultFarMeters), notes, findings));
            }
        }

        return visits;
    }

    private static readonly (NeedKind Kind, string Text)[] Needs =
    [
        (NeedKind.ElderlyCare, "老人行动不便，希望有助餐送餐服务"),
        (NeedKind.Repair, "厨房水管老化漏水，需要上门维修"),
        (NeedKind.Health, "高血压需定期测量，希望家庭医生上门"),
        (NeedKind.Legal, "与房东租金纠纷，需要法律咨询"),
        (NeedKind.Companionship, "独居老人希望志愿者定期陪伴聊天"),
        (NeedKind.Assistance, "家中有人失业，咨询就业帮扶"),
    ];
}
