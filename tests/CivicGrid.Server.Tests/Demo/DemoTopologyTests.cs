using CivicGrid.Domain.Geography.Topology;
using CivicGrid.Server.Demo;

namespace CivicGrid.Server.Tests.Demo;

public class DemoTopologyTests
{
    [Fact]
    public void Validate_TheDemoSubdistrict_FindsNoProblems()
    {
        var data = DemoSubdistrictGenerator.Generate(new DateOnly(2026, 11, 28));
        var shapes = data.Grids
            .Select((grid, index) => new GridShape(index, grid.Code, grid.Name, grid.Level, grid.Kind, grid.ParentCode, grid.Boundary))
            .ToList();

        var report = new GridTopologyValidator().Validate(shapes);

        Assert.True(report.Problems.Count == 0, report.ToText("en"));
    }
}
