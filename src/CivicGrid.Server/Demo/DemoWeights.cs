namespace CivicGrid.Server.Demo;

/// <summary>Weighted random choices for the generated data: a cumulative table and a draw from it.</summary>
internal static class DemoWeights
{
    /// <summary>Relative frequency of reports per hour of the day, Beijing time: few at night.</summary>
    public static IReadOnlyList<double> ReportHours { get; } =
    [
        0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2.0, 4.0, 6.0, 6.5, 6.0,
        4.0, 4.0, 5.5, 6.0, 5.5, 5.0, 3.5, 3.0, 2.5, 1.8, 1.0, 0.5,
    ];

    /// <summary>The running sums of <paramref name="weights"/>, for <see cref="Pick"/>.</summary>
    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var sums = weights.ToArray();
        for (var k = 1; k < sums.Length; k++)
        {
            sums[k] += sums[k - 1];
        }

        return sums;
    }

    /// <summary>An index drawn with the probabilities of the weights whose running sums are <paramref name="cumulative"/>.</summary>
    public static int Pick(Random random, double[] cumulative)
    {
        var target = random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        return Math.Min(index < 0 ? ~index : index + 1, cumulative.Length - 1);
    }
}
