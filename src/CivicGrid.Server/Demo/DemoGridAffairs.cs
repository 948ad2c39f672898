using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Organisations;

namespace CivicGrid.Server.Demo;

/// <summary>The demo's three lists, claims and courtyard councils.</summary>
public sealed record DemoGridAffairsData(IReadOnlyList<Resource> Resources, IReadOnlyList<Need> Needs, IReadOnlyList<Project> Projects,
    IReadOnlyList<Claim> Claims, IReadOnlyList<CourtyardCouncil> Councils, IReadOnlyList<ProjectTask> Tasks);

/// <summary>
/// Per community of the main subdistrict: double-registered party members and volunteers, the public units and red property
/// companies as resources; two months of needs from visits, councils and staff (some matched, some met by a project, one
/// closed); two projects planted in its grids; ownerless compounds claimed by the red property companies and a public unit
/// with fulfilments every fortnight; party members claiming needs; and three courtyard councils with decisions. Deterministic
/// for a seed and a date.
/// </summary>
public static class DemoGridAffairs
{
    internal static readonly (ServiceKind Kind, string Description, string Requester)[] NeedPlan =
    [
        (ServiceKind.ElderlyCare, "独居老人行动不便，希望每周有人上门送餐", "独居老人"),
        (ServiceKind.Repair, "楼道声控灯损坏，老人夜间上下楼不便", "楼栋居民"),
        (ServiceKind.ChildCare, "双职工家庭孩子放学后无人看管", "双职工家庭"),
        (ServiceKind.Health, "高血压老人希望定期测量血压", "慢病老人"),
        (ServiceKind.Environment, "院内绿化带杂草丛生、蚊虫多", "院内居民"),
        (ServiceKind.Legal, "租房合同纠纷，想咨询律师", "租户"),
        (ServiceKind.Companionship, "空巢老人情绪低落，希望有人陪伴聊天", "空巢老人"),
        (ServiceKind.Employment, "失业人员希望参加技能培训", "待业居民"),
        (ServiceKind.Repair, "老人家中水管老化渗水", "高龄老人"),
        (ServiceKind.ElderlyCare, "失能老人需要助浴服务", "失能老人家属"),
        (ServiceKind.PropertyCare, "无物业院落垃圾无人清运", "院内居民"),
        (ServiceKind.ChildCare, "暑期希望开设青少年托管班", "学生家长"),
    ];

    internal static readonly (string Name, ProjectKind Kind, string Goal, ServiceKind Serves)[] ProjectPlan =
    [
        ("光合共创·银龄助餐", ProjectKind.PublicService, "为辖区独居、高龄老人每周送餐两次，定期上门探访", ServiceKind.ElderlyCare),
        ("四点半课堂", ProjectKind.PublicService, "放学后为双职工家庭的孩子提供作业辅导和托管", ServiceKind.ChildCare),
        ("楼道微更新", ProjectKind.Governance, "发动居民共同清理楼道、修复照明，建立楼道长轮值", ServiceKind.Repair),
    ];

    public static DemoGridAffairsData Build(DemoDataset data, DateOnly today, DateTimeOffset now, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(seed + 17);
        var resources = new List<Resource>();
        var needs = new List<Need>();
        var projects = new List<Project>();
        var claims = new List<Claim>();
        var tasks = new List<ProjectTask>();
        var councils = new List<CourtyardCouncil>();
        var main = DemoSubdistrictGenerator.SubdistrictCode;
        DateTimeOffset At(int daysAgo, int hour) => new DateTimeOffset(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, random.Next(0, 60))), TimeSpan.FromHours(8)).ToUniversalTime();

        // Units serving the whole subdistrict: public units and the red property companies.
        var units = data.Organisations.Where(o => o.Kind == OrganisationKind.PublicUnit && o.ScopeCode.StartsWith(main, StringComparison.Ordinal)).ToList();
        var unitOffers = new[] { new[] { ServiceKind.Health, ServiceKind.ElderlyCare }, [ServiceKind.ChildCare, ServiceKind.Legal], [ServiceKind.Repair, ServiceKind.PropertyCare],
            [ServiceKind.Employment, ServiceKind.Legal], [ServiceKind.Health, ServiceKind.Companionship], [ServiceKind.Repair, ServiceKind.Environment] };
        for (var i = 0; i < units.Count; i++)
        {
            resources.Add(new Resource(ResourceKind.PublicUnit, units[i].Name, units[i].ScopeCode, unitOffers[i % unitOffers.Length], "工作日 9:00–17:00，每月一次集中服务",
                units[i].Id, true, null, null, null));
        }

        var reds = data.Organisations.Where(o => o.IsRedProperty).ToList();
        foreach (var red in reds)
        {
            resources.Add(new Resource(ResourceKind.PropertyCompany, red.Name, red.ScopeCode, [ServiceKind.PropertyCare, ServiceKind.Repair, ServiceKind.Environment],
                "7×24 小时报修，每周两次保洁", red.Id, true, null, null, null));
        }

        var communities = data.Grids.Where(g => g.Level == GridLevel.Community && g.Code.StartsWith(main, StringComparison.Ordinal)).OrderBy(g => g.Code).ToList();
        foreach (var community in communities)
        {
            var code = community.Code;
            var buildings = data.Buildings.Where(b => b.GridCode.StartsWith(code, StringComparison.Ordinal) && b.CompoundId is not null)
                .OrderBy(b => b.Code, StringComparer.Ordinal).ToList();
            var compounds = data.Compounds.Where(c => c.GridCode.StartsWith(code, StringComparison.Ordinal)).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            if (buildings.Count == 0 || compounds.Count == 0)
            {
                continue;
            }

            var staff = data.Users.FirstOrDefault(u => u.HasRole(Role.CommunityStaff) && u.ScopeCode == code);
            var fieldWorkers = data.Users.Where(u => (u.HasRole(Role.MicroGridWorker) || u.HasRole(Role.GridWorker)) && u.ScopeCode.StartsWith(code, StringComparison.Ordinal))
                .OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
            Domain.Geography.Building Pick() => buildings[random.Next(buildings.Count)];

            // Party members registered at the community (双报到) and volunteers, living at buildings of it.
            var local = new List<Resource>();
            for (var k = 0; k < 6; k++)
            {
                var home = Pick();
                var kind = k < 4 ? ResourceKind.PartyMember : ResourceKind.Volunteer;
                var offers = new[] { NeedPlan[random.Next(NeedPlan.Length)].Kind, NeedPlan[random.Next(NeedPlan.Length)].Kind };
                var resource = new Resource(kind, DemoNames.Person(random), home.GridCode, offers, k % 2 == 0 ? "周末上午" : "工作日晚上 19:00 后", null, false, null,
                    home.Location.X, home.Location.Y) { Phone = DemoNames.Mobile(random) };
                local.Add(resource);
            }

            resources.AddRange(local);

            // Projects planted in the community's third-level grids.
            var thirds = data.Grids.Where(g => g.Level == GridLevel.Third && g.Kind == GridKind.Territorial && g.Code.StartsWith(code, StringComparison.Ordinal))
                .OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
            var planted = new List<Project>();
            for (var p = 0; p < 2; p++)
            {
                var plan = ProjectPlan[(communities.IndexOf(community) + p) % ProjectPlan.Length];
                var grids = thirds.Skip(p * 2).Take(2).Select(g => g.Code).ToList();
                var partners = local.Where(r => r.Offers.Contains(plan.Serves)).Select(r => r.Id).Take(2).Concat(resources.Take(1).Select(r => r.Id)).ToList();
                var start = today.AddDays(-120 + (p * 30));
                var project = new Project(plan.Name, plan.Kind, plan.Goal, grids.Count > 0 ? grids : [code], partners, start, start.AddDays(180), staff?.Id, At(125, 10));
                project.Start(start);
                project.Count(6 + random.Next(10), 20 + random.Next(60));
                planted.Add(project);
            }

            projects.AddRange(planted);

            // Each project's tasks (a fortnight ago, last week, next week), claimed by the community's party members or a public unit;
            // the past ones have their fulfilment: done, or not done with the reason.
            var members = local.Where(r => r.Kind == ResourceKind.PartyMember).ToList();
            foreach (var project in planted)
            {
                string[] names = project.Kind == ProjectKind.PublicService ? ["上门送餐", "健康义诊", "陪老人聊天"] : ["清扫楼道", "清理飞线", "粉刷楼道"];
                for (var k = 0; k < names.Length; k++)
                {
                    var on = today.AddDays(-14 + (k * 9));
                    var task = new ProjectTask(project, names[k], on, 2 + k, At(20, 10));
                    tasks.Add(task);
                    var claimer = k == 2 && units.Count > 0 ? (ClaimerKind.PublicUnit, units[0].Id, units[0].Name)
                        : members.Count > 0 ? (ClaimerKind.PartyMember, members[k % members.Count].Id, members[k % members.Count].Name) : ((ClaimerKind, Guid, string)?)null;
                    if (claimer is not { } who)
                    {
                        continue;
                    }

                    var claim = Claim.ForAffair(ClaimTarget.ProjectTask, task.Id.ToString(), $"{project.Name} · {task.Name}", project.ScopeCode, who.Item1, who.Item2,
                        who.Item3, on.AddDays(-3), on.AddDays(1), k == 2 ? "派 3 名职工参加" : "按时到场并带一名邻居", At(20, 11));
                    if (on < today)
                    {
                        claim.Fulfil(on, k == 0 ? "按时完成" : "当天有事未到，已改约下周", staff?.DisplayName ?? "社区", done: k == 0);
                    }

                    claims.Add(claim);
                }
            }

            // Courtyard councils at three compounds, the first of which leaves a need.
            var ownerless = compounds.Where(c => c.PropertyCompanyId is null).ToList();
            var councilCompounds = ownerless.Take(2).Concat(compounds.Where(c => c.PropertyCompanyId is not null).Take(1)).ToList();
            for (var c = 0; c < councilCompounds.Count; c++)
            {
                var compound = councilCompounds[c];
                var council = new CourtyardCouncil(compound.Code, compound.Name, compound.GridCode, today.AddDays(-(10 + (c * 25))), today, "院内议事亭",
                    [
                        new(CouncilRole.CourtyardHead, DemoNames.Person(random)), new(CouncilRole.Resident, DemoNames.Person(random)),
                        new(CouncilRole.Resident, DemoNames.Person(random)), new(CouncilRole.Resident, DemoNames.Person(random)),
                        new(compound.PropertyCompanyId is null ? CouncilRole.Staff : CouncilRole.Property, DemoNames.Person(random)),
                    ],
                    c switch
                    {
                        0 => ["院内垃圾清运无人负责", "楼道杂物堆放"],
                        1 => ["电动车飞线充电", "院内停车秩序"],
                        _ => ["物业费收缴与服务质量", "绿化带改造"],
                    },
                    c switch
                    {
                        0 => ["请求红色物业托管院落保洁", "本周六组织居民清理楼道"],
                        1 => ["在院内东侧建设集中充电桩", "划定停车位，轮值管理"],
                        _ => ["物业公示收支明细", "业委会牵头征求绿化改造意见"],
                    },
                    staff?.Id, At(10 + (c * 25), 20));
                if (c == 0)
                {
                    var building = buildings.FirstOrDefault(b => b.CompoundId == compound.Id) ?? Pick();
                    var need = new Need(ServiceKind.PropertyCare, NeedUrgency.Normal, "无物业院落垃圾无人清运，希望有单位托管保洁", $"{compound.Name}居民", compound.GridCode,
                        compound.Code, null, building.Location.X, building.Location.Y, NeedSource.Council, council.Id.ToString(), staff?.Id, At(10, 21));
                    needs.Add(need);
                    council.FollowUp(need.Description, FollowUpKind.Need, need.Id);
                }
                else
                {
                    council.FollowUp("下次议事会通报落实情况", FollowUpKind.Note);
                }

                councils.Add(council);
            }

            councils.AddRange(YearOfCouncils(data, compounds, staff?.Id, today, seed));

            // Two months of needs: visits by field workers, staff entries; some matched, some met by a project, one closed.
            for (var n = 0; n < NeedPlan.Length; n++)
            {
                var (kind, description, requester) = NeedPlan[n];
                // Every other need lies where a project is planted (a community has some thirty third-level grids, its projects four).
                var served = n % 2 == 0 ? buildings.Where(b => planted[(n / 2) % planted.Count].Covers(b.GridCode)).ToList() : [];
                var home = served.Count > 0 ? served[random.Next(served.Count)] : Pick();
                var compound = compounds.FirstOrDefault(c => c.Id == home.CompoundId);
                var daysAgo = 2 + (n * 5);
                var byVisit = n % 3 != 2 && fieldWorkers.Count > 0;
                var raisedBy = byVisit ? fieldWorkers[n % fieldWorkers.Count].Id : staff?.Id;
                var need = new Need(kind, n % 4 == 0 ? NeedUrgency.Urgent : NeedUrgency.Normal, description, $"{home.Name}{requester}", home.GridCode, compound?.Code,
                    home.Code, home.Location.X, home.Location.Y, byVisit ? NeedSource.Visit : NeedSource.Staff, byVisit ? $"demo-visit-{code}-{n:D2}" : null, raisedBy,
                    At(daysAgo, 9 + (n % 8))) { ContactPhone = DemoNames.Mobile(random) };
                var offering = local.FirstOrDefault(r => r.Offers.Contains(kind));
                var project = planted.FirstOrDefault(p => p.Covers(home.GridCode));
                if (project is not null && n % 2 == 0)
                {
                    need.Meet($"纳入“{project.Name}”项目服务", At(daysAgo - 1, 16), project);
                }
                else if (offering is not null && n % 3 != 1)
                {
                    need.Match(offering.Id, [.. offering.Offers], true);
                    if (offering.Kind == ResourceKind.PartyMember)
                    {
                        var claim = Claim.ForAffair(ClaimTarget.Need, need.Id.ToString(), need.Description, need.GridCode, ClaimerKind.PartyMember, offering.Id,
                            offering.Name, today.AddDays(-daysAgo), today.AddDays(90), "每周上门一次，直到需求解决", At(daysAgo, 18));
                        claim.Fulfil(today.AddDays(-Math.Max(0, daysAgo - 3)), "已上门服务", staff?.DisplayName ?? "社区");
                        claims.Add(claim);
                    }
                }
                else if (n == 5)
                {
                    need.Close("居民已自行解决", At(daysAgo - 2, 11));
                }

                needs.Add(need);
            }

            // Ownerless compounds claimed by the red property companies and a public unit for a year, fulfilled every fortnight.
            var claimers = reds.Select(r => (ClaimerKind.RedPropertyCompany, r.Id, r.Name))
                .Concat(units.Take(1).Select(u => (ClaimerKind.PublicUnit, u.Id, u.Name))).ToList();
            for (var k = 0; k < Math.Min(3, ownerless.Count) && claimers.Count > 0; k++)
            {
                var compound = ownerless[k];
                var (claimerKind, claimerId, claimerName) = claimers[(communities.IndexOf(community) + k) % claimers.Count];
                var start = today.AddDays(-(60 + (k * 30)));
                var claim = Claim.ForCompound(compound.Code, compound.Name, compound.GridCode, false, [], claimerKind, claimerId, claimerName, start, start.AddYears(1).AddDays(-1),
                    "每周保洁两次、每月安全巡查一次、小修小补 24 小时响应", At(60 + (k * 30), 10));
                for (var day = start.AddDays(7); day < today; day = day.AddDays(14))
                {
                    claim.Fulfil(day, day.DayNumber % 2 == 0 ? "院落保洁、清运垃圾" : "安全巡查，更换楼道灯泡", "社区工作人员");
                }

                claims.Add(claim);
            }
        }

        return new DemoGridAffairsData(resources, needs, projects, claims, councils, tasks);
    }

    private static readonly (string Topic, string Decision)[] CouncilAgenda =
    [
        ("楼道杂物堆放", "本周六组织居民清理楼道"), ("电动车飞线充电", "在院内建设集中充电桩"), ("院内停车秩序", "划定停车位，轮值管理"),
        ("绿化带改造", "征求居民意见后分步实施"), ("老旧管网维修", "报社区申请维修资金"), ("垃圾分类投放", "设立督导员轮值"),
    ];

    /// <summary>
    /// The year's courtyard councils before the recent ones: each compound holds one some months, more often where its grid works
    /// well (<see cref="DemoDataset.GridQuality"/>), so that councils held differ between grids in every quarter. A stream of its own.
    /// </summary>
    private static IEnumerable<CourtyardCouncil> YearOfCouncils(DemoDataset data, IReadOnlyList<Compound> compounds, Guid? recordedBy, DateOnly today, int seed)
    {
        foreach (var compound in compounds)
        {
            var random = new Random(seed + compound.Code.Sum(ch => ch));
            var quality = data.GridQuality.GetValueOrDefault(compound.GridCode[..GridCodes.ThirdLength], 0.6);
            for (var month = 2; month <= 12; month++)
            {
                if (random.NextDouble() > 0.2 + (0.5 * quality))
                {
                    continue;
                }

                var heldOn = today.AddMonths(-month).AddDays(random.Next(0, 28));
                var (topic, decision) = CouncilAgenda[random.Next(CouncilAgenda.Length)];
                var council = new CourtyardCouncil(compound.Code, compound.Name, compound.GridCode, heldOn, today, "院内议事亭",
                    [
                        new(CouncilRole.CourtyardHead, DemoNames.Person(random)), new(CouncilRole.Resident, DemoNames.Person(random)),
                        new(CouncilRole.Resident, DemoNames.Person(random)),
                        new(compound.PropertyCompanyId is null ? CouncilRole.Staff : CouncilRole.Property, DemoNames.Person(random)),
                    ],
                    [topic], [decision], recordedBy,
                    new DateTimeOffset(heldOn.ToDateTime(new TimeOnly(20, random.Next(0, 60))), TimeSpan.FromHours(8)).ToUniversalTime());
                council.FollowUp("下次议事会通报落实情况", FollowUpKind.Note);
                yield return council;
            }
        }
    }
}
