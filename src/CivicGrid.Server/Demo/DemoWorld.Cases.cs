using System.Globalization;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Demo;

/// <summary>A year of case history.</summary>
internal sealed partial class DemoWorld
{
    private const int MainCaseCount = 12_000;
    private const int NeighbourCaseCount = 400;
    private const int HistoryDays = 365;

    /// <summary>Only cases reported this recently may still be parked (挂账) at the anchor.</summary>
    private const int ParkedWithinDays = 90;


    private static readonly (CaseChannel Channel, double Share)[] ChannelShares =
    [
        (CaseChannel.GridPatrol, 0.45), (CaseChannel.ResidentApp, 0.25), (CaseChannel.PropertyStaff, 0.10),
        (CaseChannel.StaffEntry, 0.10), (CaseChannel.Hotline12345, 0.07), (CaseChannel.Sensor, 0.03),
    ];

    private static readonly double[] ChannelCumulative = Cumulative(ChannelShares.Select(c => c.Share));

    private static readonly string[] CompoundSpots = ["门口", "内", "北侧", "南门", "东侧", "西侧"];

    private List<UserAccount>[] _residentsByCommunity = [];

    private (List<Case> Cases, IReadOnlyList<Features.District.DistrictReferral> Referrals) BuildCases(IReadOnlyList<CaseCategory> categories)
    {
        _residentsByCommunity = [.. _communities.Select(c => _residents.Where(r => r.Community == c.Index).Select(r => r.User).ToList())];
        var days = Enumerable.Range(1, HistoryDays).Select(d => _today.AddDays(-d)).ToArray();
        var dayWeights = Cumulative(days.Select(DayWeight));
        var hourWeights = Cumulative(DemoWeights.ReportHours);
        var categoryWeights = Cumulative(DemoCatalogue.Categories.Select(c => c.Weight));

        // Hot spots: some communities report far more than others (markets, old compounds, busy streets).
        var communityWeights = _communities.Select(_ => 0.6 + (0.8 * _random.NextDouble())).ToArray();
        for (var hot = 0; hot < 2; hot++)
        {
            communityWeights[_random.Next(_communities.Count(c => c.IsMain))] *= 2.2;
        }

        var mainMicros = Enumerable.Range(0, _micros.Count).Where(i => _communities[_micros[i].Community].IsMain).ToArray();
        var neighbourMicros = Enumerable.Range(0, _micros.Count).Where(i => !_communities[_micros[i].Community].IsMain).ToArray();
        double MicroWeight(int i) => communityWeights[_micros[i].Community] * (1 + (0.5 * _micros[i].Compounds.Count));
        var mainWeights = Cumulative(mainMicros.Select(MicroWeight));
        var neighbourWeights = Cumulative(neighbourMicros.Select(MicroWeight));

        var drafts = new List<CaseDraft>(MainCaseCount + NeighbourCaseCount);
        for (var k = 0; k < MainCaseCount + NeighbourCaseCount; k++)
        {
            var micro = k < MainCaseCount
                ? _micros[mainMicros[Pick(mainWeights)]]
                : _micros[neighbourMicros[Pick(neighbourWeights)]];
            var day = days[Pick(dayWeights)];
            var reportedLocal = day.ToDateTime(new TimeOnly(Pick(hourWeights), _random.Next(60), _random.Next(60)));
            drafts.Add(Draft(micro, reportedLocal, DemoCatalogue.Categories[Pick(categoryWeights)]));
        }

        var loop = new DemoCaseLoop(Domain.Calendar.ChineseHolidays.Default, Beijing(_today, 0), _seed, _users, _leaderByThird, _microWorkerByThird,
            _gridQuality, categories);
        var cases = new List<Case>(drafts.Count);
        var sequence = 0;
        var sequenceDay = DateOnly.MinValue;
        foreach (var draft in drafts.OrderBy(d => d.ReportedLocal))
        {
            var day = DateOnly.FromDateTime(draft.ReportedLocal);
            sequence = day == sequenceDay ? sequence + 1 : 1;
            sequenceDay = day;
            var number = draft.ReportedLocal.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("D5", CultureInfo.InvariantCulture);
            var reportedAt = new DateTimeOffset(draft.ReportedLocal, BeijingOffset).ToUniversalTime();
            var item = new Case(number, draft.Category.Code, draft.Title, draft.Description,
                _factory.CreatePoint(new Coordinate(draft.Lon, draft.Lat)), draft.GridCode, draft.Category.DefaultTier,
                draft.Channel, draft.ReporterId, reportedAt)
            {
                ReporterPhone = draft.ReporterPhone,
            };
            loop.Walk(item, draft.Tier, draft.Rejected, draft.Parked);
            cases.Add(item);
        }

        return (cases, loop.Referrals);
    }

    private CaseDraft Draft(MicroPlan micro, DateTime reportedLocal, DemoCategory category)
    {
        var community = _communities[micro.Community];
        string place;
        double lon, lat;
        CompoundPlan? compound = micro.Compounds.Count > 0 ? micro.Compounds[_random.Next(micro.Compounds.Count)] : null;
        if (compound is not null && category.AtHome && compound.Buildings.Count > 0)
        {
            var building = compound.Buildings[_random.Next(compound.Buildings.Count)];
            place = building.Address;
            (lon, lat) = (building.Location.X, building.Location.Y);
        }
        else
        {
            if (compound is not null && _random.NextDouble() < 0.6)
            {
                place = compound.Compound.Address + CompoundSpots[_random.Next(CompoundSpots.Length)];
            }
            else
            {
                var streets = community.Names.Streets;
                var street = streets[_random.Next(streets.Length)];
                var cross = streets[(Array.IndexOf(streets, street) + 1 + _random.Next(streets.Length - 1)) % streets.Length];
                place = _random.NextDouble() < 0.7 ? $"{street}{_random.Next(1, 200)}号附近" : $"{street}与{cross}交叉口";
                compound = null;
            }

            // Strictly inside the micro-grid's convex cell, away from its edges.
            (lon, lat) = _lattice.PointInCell(micro.Column, micro.Row, 0.08 + (0.84 * _random.NextDouble()), 0.08 + (0.84 * _random.NextDouble()));
        }

        var channel = ChannelShares[Pick(ChannelCumulative)].Channel;
        Guid? reporterId = null;
        string? reporterPhone = null;
        switch (channel)
        {
            case CaseChannel.GridPatrol:
                reporterId = (_random.NextDouble() < 0.5 ? _leaderByThird : _microWorkerByThird)[micro.ThirdCode].Id;
                break;
            case CaseChannel.ResidentApp:
                var neighbours = _residentsByCommunity[micro.Community];
                reporterId = neighbours.Count > 0
                    ? neighbours[_random.Next(neighbours.Count)].Id
                    : _residents[_random.Next(_residents.Count)].User.Id;
                break;
            case CaseChannel.PropertyStaff:
                var companyId = compound?.Compound.PropertyCompanyId ?? _propertyCompanies[_random.Next(_propertyCompanies.Count)].Id;
                var staff = _staffByCompany[companyId];
                reporterId = staff[_random.Next(staff.Count)].Id;
                break;
            case CaseChannel.StaffEntry or CaseChannel.Hotline12345:
                reporterPhone = _random.NextDouble() < 0.75 ? DemoNames.Mobile(_random) : null;
                break;
            default:
                break;
        }

        var tier = _random.NextDouble() switch
        {
            < 0.03 => category.DefaultTier + 2,
            < 0.15 => category.DefaultTier + 1,
            _ => category.DefaultTier,
        };
        if (tier > CaseTier.Red)
        {
            tier = CaseTier.Red;
        }

        var title = place + category.Name;
        var description = Lead(channel) + string.Format(CultureInfo.InvariantCulture, category.Description, place);
        var rejected = _random.NextDouble() < 0.02;
        var parked = !rejected && (_today.ToDateTime(TimeOnly.MinValue) - reportedLocal).TotalDays < ParkedWithinDays && _random.NextDouble() < 0.04;
        return new CaseDraft(reportedLocal, category, title, description, lon, lat, micro.Grid.Code, tier, channel,
            reporterId, reporterPhone, rejected, parked);
    }

    private static string Lead(CaseChannel channel) => channel switch
    {
        CaseChannel.GridPatrol => "网格员巡查发现：",
        CaseChannel.ResidentApp => "居民随手拍反映：",
        CaseChannel.PropertyStaff => "物业上报：",
        CaseChannel.StaffEntry => "居民来电反映：",
        CaseChannel.Hotline12345 => "12345热线转办：",
        CaseChannel.Sensor => "智能感知设备告警：",
        _ => string.Empty,
    };

    /// <summary>Fewer reports at weekends, a little more in the warm months.</summary>
    private static double DayWeight(DateOnly day)
    {
        var weekday = day.DayOfWeek switch { DayOfWeek.Saturday => 0.75, DayOfWeek.Sunday => 0.65, _ => 1.0 };
        var season = 1 + (0.12 * Math.Sin(2 * Math.PI * (day.DayOfYear - 105) / 365.0));
        return weekday * season;
    }

    private static double[] Cumulative(IEnumerable<double> weights) => DemoWeights.Cumulative(weights);

    private int Pick(double[] cumulative) => DemoWeights.Pick(_random, cumulative);

    private sealed record CaseDraft(
        DateTime ReportedLocal, DemoCategory Category, string Title, string Description, double Lon, double Lat,
        string GridCode, CaseTier Tier, CaseChannel Channel, Guid? ReporterId, string? ReporterPhone, bool Rejected, bool Parked);
}
