using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using SkiaSharp;

namespace CivicGrid.Server.Demo;

/// <summary>The demo's resident council and branch activities.</summary>
/// <param name="Accounts">The members' resident accounts (signed in by QR code; <see cref="DemoCouncil.WellKnownMember"/> also has the demo password).</param>
public sealed record DemoCouncilData(IReadOnlyList<UserAccount> Accounts, IReadOnlyList<CouncilMember> Members, IReadOnlyList<CouncilAssignment> Assignments,
    IReadOnlyList<CouncilEvaluation> Evaluations, IReadOnlyList<BranchActivity> Activities);

/// <summary>
/// A resident council of about 80 members over the main subdistrict's communities (courtyard heads of its compounds, deputies
/// and representatives), each asked to evaluate their compound's 3rd-level grid and its neighbours in the last complete
/// quarter so every grid has six or more evaluators, and most of them scored (each grid has its own standing, so the stars
/// differ); and every 3rd-level grid's branch holding a themed activity most months of the past year with its sign-in sheet.
/// Deterministic for a seed and a date.
/// </summary>
public static class DemoCouncil
{
    public const int Size = 80;

    /// <summary>Members asked to evaluate each 3rd-level grid (the quorum is 5; a few do not score).</summary>
    public const int Evaluators = 8;

    /// <summary>A council member's account that also signs in with the demo password (to try /m/council without a QR code).</summary>
    public const string WellKnownMember = "council01";

    private static readonly string[] ActivityTitles =
    [
        "主题党日：重温入党誓词", "主题党日：学习党的二十届三中全会精神", "支部书记讲党课", "党员志愿服务：清理楼道杂物", "主题党日：走访慰问困难党员",
        "组织生活会", "党员亮身份、践承诺活动", "七一主题党日：红色教育基地参观", "主题党日：垃圾分类宣传", "党员“双报到”服务日",
        "主题党日：消防安全演练", "年终党员民主评议",
    ];

    public static DemoCouncilData Build(DemoDataset data, DateOnly today, DateTimeOffset now, int seed, Guid signInSheet)
    {
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(seed + 31);
        var main = DemoSubdistrictGenerator.SubdistrictCode;
        var thirds = data.Grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial } && g.Code.StartsWith(main, StringComparison.Ordinal))
            .Select(g => g.Code).Order(StringComparer.Ordinal).ToList();
        var communities = thirds.Select(c => c[..GridCodes.CommunityLength]).Distinct().ToList();
        var quarter = AssessmentPeriod.LastComplete(PeriodKind.Quarter, today);
        var termFrom = new DateOnly(quarter.Year - 1, 1, 1);
        var termTo = termFrom.AddYears(5).AddDays(-1);
        var accounts = new List<UserAccount>();
        var members = new List<CouncilMember>();
        var assignments = new List<CouncilAssignment>();
        var evaluations = new List<CouncilEvaluation>();
        var standing = thirds.ToDictionary(t => t, _ => 3.0 + random.NextDouble() * 1.9);
        var form = CouncilForm.Default;
        var number = 0;
        foreach (var (community, index) in communities.Select((c, i) => (c, i)))
        {
            var perCommunity = Size / communities.Count + (index < Size % communities.Count ? 1 : 0);
            var grids = thirds.Where(t => t.StartsWith(community, StringComparison.Ordinal)).ToList();
            var compounds = data.Compounds.Where(c => c.GridCode.StartsWith(community, StringComparison.Ordinal)).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            var staff = data.Users.FirstOrDefault(u => u.Roles.Contains(Role.CommunityStaff) && u.ScopeCode == community);
            var mine = new List<CouncilMember>();
            for (var i = 0; i < perCommunity && compounds.Count > 0; i++)
            {
                number++;
                var compound = compounds[i * compounds.Count / perCommunity];
                var kind = i % 8 == 5 ? CouncilMemberKind.PeoplesDeputy : i % 8 == 6 ? CouncilMemberKind.CppccMember
                    : i % 8 == 7 ? CouncilMemberKind.PartyDeputy : i % 4 == 3 ? CouncilMemberKind.ResidentRepresentative : CouncilMemberKind.CourtyardHead;
                var name = DemoNames.Person(random);
                var account = new UserAccount(number == 1 ? WellKnownMember : $"council{number:D2}", name, [Role.Resident], compound.GridCode, now)
                {
                    PhoneNumber = DemoNames.Mobile(random),
                };
                accounts.Add(account);
                mine.Add(new CouncilMember(name, account.PhoneNumber!, kind, community, compound.GridCode, compound.Code, termFrom, termTo, account.Id));
            }

            members.AddRange(mine);
            // Each grid of the community is evaluated by its own residents on the council first, then by others in turn, so
            // that every grid has Evaluators members asked and a member a few grids near home.
            var load = mine.ToDictionary(m => m.Id, _ => 0);
            foreach (var grid in grids)
            {
                var chosen = mine.Where(m => m.NearestAssessedGrid == grid).Take(Evaluators).ToList();
                chosen.AddRange(mine.Where(m => !chosen.Contains(m)).OrderBy(m => load[m.Id]).ThenBy(m => m.HomeGridCode, StringComparer.Ordinal)
                    .Take(Math.Max(0, Evaluators - chosen.Count)));
                foreach (var member in chosen)
                {
                    load[member.Id]++;
                    var assignment = new CouncilAssignment(quarter.ToString(), member, grid, staff?.Id ?? Guid.Empty, staff?.UserName ?? "demo",
                        At(quarter.To.AddDays(-10), random));
                    assignments.Add(assignment);
                    if (random.NextDouble() < 0.08)
                    {
                        continue; // a few never got round to it
                    }

                    var stars = form.Aspects.ToDictionary(a => a.Code, _ => Math.Clamp((int)Math.Round(standing[grid] + (random.NextDouble() - 0.5) * 2), 1, 5));
                    var overall = CouncilForm.Overall(stars.Values);
                    var pool = overall >= 4 ? form.Phrases.Take(6).ToList() : form.Phrases.Skip(5).ToList();
                    var phrases = pool.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).ToList();
                    evaluations.Add(new CouncilEvaluation(assignment, stars, form.Check(stars, phrases).Phrases, At(quarter.To.AddDays(-random.Next(0, 12)), random)));
                }
            }
        }

        return new DemoCouncilData(accounts, members, assignments, evaluations, Activities(data, today, random, signInSheet));
    }

    /// <summary>
    /// Each 3rd-level grid's branch (网格党支部): a themed activity most months of the past year, with its sign-in sheet; a branch
    /// skips more months where the grid works weakly (<see cref="DemoDataset.GridQuality"/>), so its count falls short of the target.
    /// </summary>
    private static List<BranchActivity> Activities(DemoDataset data, DateOnly today, Random random, Guid signInSheet)
    {
        var main = DemoSubdistrictGenerator.SubdistrictCode;
        var activities = new List<BranchActivity>();
        foreach (var third in data.Grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial } && g.Code.StartsWith(main, StringComparison.Ordinal))
            .OrderBy(g => g.Code, StringComparer.Ordinal))
        {
            var quality = data.GridQuality.GetValueOrDefault(third.Code, 0.6);
            var staff = data.Users.FirstOrDefault(u => u.Roles.Contains(Role.CommunityStaff) && third.Code.StartsWith(u.ScopeCode, StringComparison.Ordinal));
            for (var month = 1; month <= 12; month++)
            {
                if (random.NextDouble() > 0.4 + (0.58 * quality))
                {
                    continue;
                }

                var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-month);
                var heldOn = first.AddDays(random.Next(0, 25));
                var activity = new BranchActivity(third.Code, heldOn, ActivityTitles[(heldOn.Month + 11) % ActivityTitles.Length], null, random.Next(8, 30),
                    staff?.Id ?? Guid.Empty, staff?.UserName ?? "demo", At(heldOn.AddDays(1), random));
                if (random.NextDouble() < 0.93)
                {
                    activity.AddPhoto(signInSheet);
                }

                activities.Add(activity);
            }
        }

        return activities;
    }

    /// <summary>A plain sign-in sheet (a ruled table on white) as a JPEG, the evidence photo the demo's activities share.</summary>
    public static byte[] SignInSheetJpeg()
    {
        using var bitmap = new SKBitmap(600, 800);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var pen = new SKPaint { Color = new SKColor(60, 60, 60), StrokeWidth = 2, IsAntialias = true };
            using var title = new SKPaint { Color = new SKColor(180, 30, 30) };
            canvas.DrawRect(new SKRect(40, 40, 560, 90), title);
            for (var y = 120; y <= 760; y += 40)
            {
                canvas.DrawLine(40, y, 560, y, pen);
            }

            foreach (var x in new[] { 40, 120, 300, 440, 560 })
            {
                canvas.DrawLine(x, 120, x, 760, pen);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return encoded.ToArray();
    }

    private static DateTimeOffset At(DateOnly day, Random random) =>
        new DateTimeOffset(day.ToDateTime(new TimeOnly(9 + random.Next(0, 10), random.Next(0, 60))), TimeSpan.FromHours(8)).ToUniversalTime();
}
