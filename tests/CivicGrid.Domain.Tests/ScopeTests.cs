using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests;

public class ScopeTests
{
    [Fact]
    public void Covers_WhenCodeIsInsideSubtree_IsTrue()
    {
        var scope = new Scope("610103099001", false, Guid.NewGuid());

        Assert.True(scope.Covers("610103099001"));
        Assert.True(scope.Covers("61010309900101"));
        Assert.False(scope.Covers("610103099002"));
        Assert.False(scope.Covers("610103099"));
    }

    [Fact]
    public void Covers_ForResident_IsNeverTrue()
    {
        var scope = new Scope("610103099001", true, Guid.NewGuid());

        Assert.False(scope.Covers("61010309900101"));
    }

    [Fact]
    public void System_CoversEverything()
    {
        Assert.True(Scope.System.IsWholeSystem);
        Assert.True(Scope.System.Covers("610103"));
        Assert.False(Scope.Nobody.Covers("610103"));
    }
}
