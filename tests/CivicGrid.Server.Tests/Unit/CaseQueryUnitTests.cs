using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using NetTopologySuite.Geometries;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Queries;

namespace CivicGrid.Server.Tests.Unit;

public class CaseQueryUnitTests
{
    private static readonly string[] GridCodes =
    [
        "610103099001", "61010309900101", "610103099001901", "6101030990010101", "610103099001010101",
    ];

    public static TheoryData<string, CaseTier> Cases()
    {
        var data = new TheoryData<string, CaseTier>();
        foreach (var code in GridCodes)
        {
            foreach (var tier in Enum.GetValues<CaseTier>())
            {
                data.Add(code, tier);
            }
        }

        return data;
    }

    /// <summary>
    /// The SQL form of "owned at my level" agrees with the workflow's <see cref="CaseRules.OwnerCodeOf"/> for a case under
    /// every node above or at its grid: the node owns the case exactly when it is the owner code.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void OwnedAt_AgreesWithTheWorkflowsOwnerOfEveryNodeAboveTheCase(string gridCode, CaseTier tier)
    {
        var subject = new Case("2026112700001", "E0101", "测试", "测试", new Point(108.95, 34.25), gridCode, tier, CaseChannel.GridPatrol, null,
            DateTimeOffset.UtcNow);
        var owner = CaseRules.OwnerCodeOf(gridCode, tier);

        foreach (var length in new[] { 6, 9, 12, 14, 15, 16, 18 }.Where(l => l <= gridCode.Length))
        {
            var node = gridCode[..length];
            var owned = CaseCaller.OwnedAt(length).Compile()(subject);
            Assert.True(owned == (owner == node), $"{tier} case in {gridCode}: node {node} owned {owned}, owner is {owner}");
        }
    }

    [Theory]
    [InlineData(0, "7.00:00:00", false)]
    [InlineData(100, "00:10:00", false)]
    [InlineData(100, "7.00:00:00", true)]
    [InlineData(5000, "7.00:00:00", false)]
    public void DuplicateOptions_AreValidatedAtStart(double radius, string window, bool valid)
    {
        var options = new DuplicateOptions { RadiusMeters = radius, Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}

public class DueSoonInboxTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>
    /// "Due soon" counts working hours on the work calendar: on a Friday evening a case due on Monday morning is due
    /// soon (the next working day), one due on Tuesday is not, and one already overdue belongs to the overdue box.
    /// </summary>
    [Fact]
    public void DueSoon_CountsWorkingHours_SoMondayMorningIsDueSoonOnAFridayEvening()
    {
        var grid = "610103099001010101";
        var leader = TestCases.OwnerOf(grid, CaseTier.Green);
        var friday = new DateTimeOffset(2026, 11, 27, 20, 0, 0, Beijing);
        Case AssignedDue(DateTimeOffset due)
        {
            var subject = new Case(TestCases.NewNumber(), "E0101", "测试", "测试", new Point(108.95, 34.25), grid, CaseTier.Green, CaseChannel.GridPatrol,
                null, friday.AddHours(-2));
            subject.Accept(leader, 0, friday.AddHours(-1));
            subject.Assign(leader, 1, friday.AddHours(-1), CaseAssignee.User(leader.UserId, leader.DisplayName), due);
            return subject;
        }

        var monday = AssignedDue(new DateTimeOffset(2026, 11, 30, 10, 0, 0, Beijing));
        var tuesday = AssignedDue(new DateTimeOffset(2026, 12, 1, 10, 0, 0, Beijing));
        var overdue = AssignedDue(friday.AddHours(-0.5));
        var inbox = new ServiceCollection().AddBuiltInCaseInboxes().BuildServiceProvider().GetServices<ICaseInbox>().Single(b => b.Name == "due-soon");
        var context = new CaseInboxContext(new[] { monday, tuesday, overdue }.AsQueryable(), new CaseCaller(leader, "leader"), friday,
            new CaseQueryOptions(), Domain.Calendar.ChineseHolidays.Default);

        Assert.Equal([monday.Number], inbox.Select(context).Select(c => c.Number).ToList());
        Assert.True(monday.DueAt - friday > TimeSpan.FromHours(24), "24 calendar hours would have missed the Monday case");
    }
}
