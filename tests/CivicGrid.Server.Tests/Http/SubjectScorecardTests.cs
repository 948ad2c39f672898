using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// One subject's live scorecard reads only the records that subject can count (<see cref="AssessmentScope.Subtree"/>,
/// <see cref="AssessmentScope.Person"/>); it must be that subject's line of the whole district's computation. On the demo's
/// year, for the last complete quarter and the quarter under way (live, as of one instant): grids of each level alone, the
/// grids of one community together, and workers of every role alone — every indicator's value, numerator, denominator,
/// reason and evidence records, and the score, stars and missing indicators, compared with the whole computation's.
/// </summary>
public abstract class SubjectScorecardTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static TheoryData<string, GridLevel> GridCases => new()
    {
        { "last", GridLevel.Second }, { "last", GridLevel.Third }, { "last", GridLevel.Micro },
        { "current", GridLevel.Second }, { "current", GridLevel.Third }, { "current", GridLevel.Micro },
    };

    private static AssessmentPeriod PeriodOf(string which)
    {
        var today = PatrolTracks.BeijingDay(Now);
        return which == "last" ? AssessmentPeriod.LastComplete(PeriodKind.Quarter, today) : AssessmentPeriod.Containing(PeriodKind.Quarter, today);
    }

    [Theory]
    [MemberData(nameof(GridCases))]
    public async Task OneGrid_ComputedAlone_IsItsLineOfTheWholeDistrict(string which, GridLevel level)
    {
        var period = PeriodOf(which);
        var whole = await ComputeAsync((db, calculator) => calculator.ScopeAsync(db, period, SubjectKind.Grid, level, Now, Ct));
        Assert.NotEmpty(whole.Results);
        Assert.Null(whole.Scope.Subtree);

        foreach (var code in Sample(whole.Results))
        {
            var alone = await ComputeAsync((db, calculator) => calculator.ScopeAsync(db, period, SubjectKind.Grid, level, Now, Ct, code));
            Assert.Equal(code, alone.Scope.Subtree);
            AssertSame(whole.Results.Single(r => r.Code == code), Assert.Single(alone.Results));
        }
    }

    [Theory]
    [InlineData("last")]
    [InlineData("current")]
    public async Task TheMicroGridsOfOneCommunity_ComputedTogether_AreTheirLinesOfTheWholeDistrict(string which)
    {
        var period = PeriodOf(which);
        var whole = await ComputeAsync((db, calculator) => calculator.ScopeAsync(db, period, SubjectKind.Grid, GridLevel.Micro, Now, Ct));
        var community = whole.Results.GroupBy(r => r.Code[..GridCodes.CommunityLength]).MaxBy(g => g.Count())!.Key;

        var together = await ComputeAsync(async (db, calculator) =>
        {
            var scope = await calculator.ScopeAsync(db, period, SubjectKind.Grid, GridLevel.Micro, Now, Ct);
            var subjects = scope.Subjects.Where(s => s.Code.StartsWith(community, StringComparison.Ordinal)).ToList();
            return scope with { Subjects = subjects, People = await AssessmentPeople.ReadAsync(db, period, scope.Start, Ct, community) };
        });

        Assert.StartsWith(community, together.Scope.Subtree, StringComparison.Ordinal);
        Assert.True(together.Results.Count > 1);
        foreach (var result in together.Results)
        {
            AssertSame(whole.Results.Single(r => r.Code == result.Code), result);
        }
    }

    [Theory]
    [InlineData("last")]
    [InlineData("current")]
    public async Task OneWorker_ComputedAlone_IsTheirLineOfTheWholeDistrict(string which)
    {
        var period = PeriodOf(which);
        var whole = await ComputeAsync((db, calculator) => calculator.ScopeAsync(db, period, SubjectKind.Worker, null, Now, Ct));
        Assert.Null(whole.Scope.Person);

        // Every role, the busiest and the quietest of each (by evidence records), and a sunk liaison when there is one.
        var sample = AssessmentPeople.WorkerRoles.SelectMany(role => Sample(whole.Results.Where(r => r.Subject.Roles.Contains(role)).ToList(), 3)).Distinct().ToList();
        Assert.Contains(whole.Results, r => r.Subject.Roles.Contains(Role.GridWorker) && sample.Contains(r.Code));
        Assert.Contains(whole.Results, r => r.Subject.Roles.Contains(Role.GridLeader) && sample.Contains(r.Code));
        Assert.Contains(whole.Results, r => r.Subject.Roles.Contains(Role.MicroGridWorker) && sample.Contains(r.Code));

        foreach (var code in sample)
        {
            var alone = await ComputeAsync((db, calculator) => calculator.ScopeAsync(db, period, SubjectKind.Worker, null, Now, Ct, code));
            Assert.Equal(Guid.Parse(code), alone.Scope.Person);
            Assert.Single(alone.Scope.People);
            AssertSame(whole.Results.Single(r => r.Code == code), Assert.Single(alone.Results));
        }
    }

    /// <summary>The first, the last, the one with the most evidence records and the one with the fewest (distinct).</summary>
    private static List<string> Sample(List<SubjectResult> results, int spread = 4)
    {
        if (results.Count == 0)
        {
            return [];
        }

        var byEvidence = results.OrderBy(r => r.Computed.Values.Sum(c => c.Evidence.Count)).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        return new[] { byEvidence[^1], byEvidence[0], results[0], results[^1], results[results.Count / 2] }.Select(r => r.Code).Distinct().Take(spread).ToList();
    }

    private static void AssertSame(SubjectResult whole, SubjectResult alone)
    {
        Assert.Equal(whole.Code, alone.Code);
        Assert.Equal(whole.Name, alone.Name);
        Assert.Equal(whole.Subject.Level, alone.Subject.Level);
        Assert.Equal(whole.Subject.Roles, alone.Subject.Roles);
        Assert.Equal(whole.Subject.Person is null, alone.Subject.Person is null);
        if (whole.Subject.Person is { } person)
        {
            var other = alone.Subject.Person!;
            Assert.Equal((person.UserId, person.Name, person.GridCode, person.IsLiaison, person.MemberId), (other.UserId, other.Name, other.GridCode, other.IsLiaison, other.MemberId));
            Assert.Equal(person.Roles, other.Roles);
            Assert.Equal(person.Duty, other.Duty);
        }

        Assert.Equal(whole.Missing, alone.Missing);
        // The indicators that apply to the subject (a source may compute more for a scope of several kinds of people: the card
        // and a stored run take only these).
        foreach (var code in whole.Card.Indicators.Select(i => i.Indicator.Code))
        {
            Assert.Equal(whole.Computed.ContainsKey(code), alone.Computed.ContainsKey(code));
            if (!whole.Computed.TryGetValue(code, out var expected))
            {
                continue;
            }

            var actual = alone.Computed[code];
            Assert.True(expected.Value == actual.Value, $"{whole.Code} {code}: {expected.Value} alone {actual.Value}");
            Assert.True(expected.Evidence.SequenceEqual(actual.Evidence),
                $"{whole.Code} {code}: {expected.Evidence.Count} evidence records in the whole computation, {actual.Evidence.Count} alone, or in another order");
        }

        Assert.Equal(whole.Card.Score, alone.Card.Score);
        Assert.Equal(whole.Card.Stars, alone.Card.Stars);
        Assert.Equal(whole.Stars, alone.Stars);
        Assert.Equal(whole.Card.Indicators.Select(i => (i.Indicator.Code, i.Value, i.Points, i.Met)), alone.Card.Indicators.Select(i => (i.Indicator.Code, i.Value, i.Points, i.Met)));
    }

    private sealed record Computed(AssessmentScope Scope, List<SubjectResult> Results);

    /// <summary>A computation in a DI scope of its own (as a request), with a database context that sees everything.</summary>
    private async Task<Computed> ComputeAsync(Func<CivicGridDbContext, AssessmentCalculator, Task<AssessmentScope>> scoped)
    {
        await using var services = app.Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var calculator = services.ServiceProvider.GetRequiredService<AssessmentCalculator>();
        var scope = await scoped(db, calculator);
        return new Computed(scope, await calculator.ComputeAsync(db, scope, Ct));
    }
}

public sealed class SubjectScorecardTestsOnSqlite(SqliteApp app) : SubjectScorecardTests(app), IClassFixture<SqliteApp>;

public sealed class SubjectScorecardTestsOnPostgres(PostgresApp app) : SubjectScorecardTests(app), IClassFixture<PostgresApp>;
