using CivicGrid.Domain.GridAffairs;

namespace CivicGrid.Domain.Tests.GridAffairs;

public class MatchingTests
{
    private const string Micro = "610103099001010101";
    private static readonly NeedSpot Need = new(ServiceKind.Repair, Micro, 108.9500, 34.2500);

    private static ResourceSpot Resource(string name, double? lon, double? lat, string grid = Micro, bool active = true, params ServiceKind[] offers) =>
        new(Guid.NewGuid(), name, offers.Length == 0 ? [ServiceKind.Repair] : offers, active, grid, lon, lat);

    [Fact]
    public void Suggest_OnlyActiveResourcesOfferingTheKind_NearestFirst()
    {
        var far = Resource("远", 108.9600, 34.2500);
        var near = Resource("近", 108.9505, 34.2500);
        var wrongKind = Resource("法律", 108.9501, 34.2500, offers: ServiceKind.Legal);
        var retired = Resource("停用", 108.9501, 34.2500, active: false);
        var matches = Matching.Suggest(Need, [far, wrongKind, near, retired]);
        Assert.Equal(["近", "远"], matches.Select(m => m.Name));
        Assert.InRange(matches[0].DistanceMeters!.Value, 40, 52);
        Assert.InRange(matches[1].DistanceMeters!.Value, 900, 930);
    }

    [Fact]
    public void Suggest_ResourcesWithoutAPosition_ComeLast_SameGridBranchFirst()
    {
        var otherCommunity = Resource("别的社区", null, null, "610103099002010101");
        var sameThird = Resource("同网格", null, null, "6101030990010101");
        var located = Resource("有位置", 108.99, 34.26);
        var matches = Matching.Suggest(Need, [otherCommunity, sameThird, located]);
        Assert.Equal(["有位置", "同网格", "别的社区"], matches.Select(m => m.Name));
        Assert.True(matches[1].SameCommunity);
        Assert.False(matches[2].SameCommunity);
    }

    [Fact]
    public void Suggest_TakesAtMostMax() =>
        Assert.Equal(2, Matching.Suggest(Need, Enumerable.Range(0, 5).Select(i => Resource($"r{i}", 108.95 + (i * 0.001), 34.25)), max: 2).Count);

    [Fact]
    public void Distance_OfOneDegreeOfLatitude_IsAbout111Kilometres() =>
        Assert.InRange(Matching.Distance(108.95, 34.0, 108.95, 35.0)!.Value, 111_000, 111_400);
}
