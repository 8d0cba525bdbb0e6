using Skillancer.Deploy.Engine.Verification.Analysis;

namespace Skillancer.Deploy.Engine.Tests.Verification.Analysis;

// Every expected p-value below is published, not computed here. Sources:
// - SciPy docs: the Examples section of scipy.stats.mannwhitneyu
//   (docs.scipy.org/doc/scipy/reference/generated/scipy.stats.mannwhitneyu.html; same text in
//   scipy/scipy scipy/stats/_mannwhitneyu.py).
// - SciPy tests: scipy/scipy scipy/stats/tests/test_hypotests.py, class TestMannWhitneyU
//   (commit 3dbf660a919b1479cdf30d533176053b428d08d3), whose values come from R's wilcox.test
//   unless the test says otherwise. R's exact=FALSE is our Asymptotic, exact=TRUE our Exact.
public class MannWhitneyTests
{
    private const double RelativeTolerance = 1e-9;

    // SciPy docs example: ages at diagnosis of type II diabetes.
    private static readonly double[] Males = [19, 22, 16, 29, 24];
    private static readonly double[] Females = [20, 11, 17, 12];

    // SciPy tests, TestMannWhitneyU.x / .y (cases_basic, cases_continuity): 3 against 13 values, no ties.
    private static readonly double[] BasicX = [210.052110, 110.190630, 307.918612];
    private static readonly double[] BasicY =
    [
        436.08811482466416, 416.37397329768191, 179.96975939463582, 197.8118754228619, 34.038757281225756,
        138.54220550921517, 128.7769351470246, 265.92721427951852, 275.6617533155341, 592.34083395416258,
        448.73177590617018, 300.61495185038905, 187.97508449019588,
    ];

    // SciPy tests, test_gh_9184: 10 against 5 values, no ties.
    private static readonly double[] Gh9184X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    private static readonly double[] Gh9184Y = [1.15, 0.88, 0.90, 0.74, 1.21];

    // SciPy tests, TestMannWhitneyU.X / .Y ("Old tests moved from test_stats"): 30 against 20 values.
    private static readonly double[] LargeX =
    [
        19.8958398126694, 19.5452691647182, 19.0577309166425, 21.716543054589, 20.3269502208702,
        20.0009273294025, 19.3440043632957, 20.4216806548105, 19.0649894736528, 18.7808043120398,
        19.3680942943298, 19.4848044069953, 20.7514611265663, 19.0894948874598, 19.4975522356628,
        18.9971170734274, 20.3239606288208, 20.6921298083835, 19.0724259532507, 18.9825187935021,
        19.5144462609601, 19.8256857844223, 20.5174677102032, 21.1122407995892, 17.9490854922535,
        18.2847521114727, 20.1072217648826, 18.6439891962179, 20.4970638083542, 19.5567594734914,
    ];
    private static readonly double[] LargeY =
    [
        19.2790668029091, 16.993808441865, 18.5416338448258, 17.2634018833575, 19.1577183624616,
        18.5119655377495, 18.6068455037221, 18.8358343362655, 19.0366413269742, 18.1135025515417,
        19.2201873866958, 17.8344909022841, 18.2894380745856, 18.6661374133922, 19.9688601693252,
        16.0672254617636, 19.00596360572, 19.201561539032, 19.0487501090183, 19.0847908674356,
    ];

    [Fact]
    public void Documented_example_gives_U1_of_17_and_the_exact_two_sided_p()
    {
        // SciPy docs: mannwhitneyu(males, females, method="exact") -> U1 = 17.0, p = 0.1111111111111111.
        var result = MannWhitney.Test(Males, Females, Alternative.TwoSided, MannWhitneyMethod.Exact);

        Assert.Equal(17, result.U);
        AssertClose(0.1111111111111111, result.PValue);
        Assert.True(result.Exact);
        Assert.Equal((5, 4), (result.CountX, result.CountY));
    }

    [Fact]
    public void Documented_example_gives_the_asymptotic_two_sided_p()
    {
        // SciPy docs: mannwhitneyu(males, females, method="asymptotic") -> 0.11134688653314041.
        var result = MannWhitney.Test(Males, Females, Alternative.TwoSided, MannWhitneyMethod.Asymptotic);

        Assert.Equal(17, result.U);
        AssertClose(0.11134688653314041, result.PValue);
        Assert.False(result.Exact);
    }

    [Fact]
    public void Documented_example_one_sided_less_with_samples_swapped()
    {
        // SciPy docs: mannwhitneyu(females, males, alternative="less", method="exact")
        // -> statistic=3.0, pvalue=0.05555555555555555.
        var result = MannWhitney.Test(Females, Males, Alternative.Less, MannWhitneyMethod.Exact);

        Assert.Equal(3, result.U);
        AssertClose(0.05555555555555555, result.PValue);
    }

    [Fact]
    public void Auto_uses_the_exact_distribution_for_the_small_documented_example()
    {
        // SciPy docs: the example without ties and with small samples is the exact case (p = 0.1111111111111111).
        var result = MannWhitney.Test(Males, Females);

        Assert.True(result.Exact);
        AssertClose(0.1111111111111111, result.PValue);
    }

    [Theory]
    // SciPy tests, cases_basic: R wilcox.test(x, y, alternative=..., exact=...), U = 16.
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Asymptotic, 0.6865041817876)]
    [InlineData(Alternative.Less, MannWhitneyMethod.Asymptotic, 0.3432520908938)]
    [InlineData(Alternative.Greater, MannWhitneyMethod.Asymptotic, 0.7047591913255)]
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Exact, 0.7035714285714)]
    [InlineData(Alternative.Less, MannWhitneyMethod.Exact, 0.3517857142857)]
    [InlineData(Alternative.Greater, MannWhitneyMethod.Exact, 0.6946428571429)]
    public void Three_against_thirteen_values_match_R(Alternative alternative, MannWhitneyMethod method, double expectedPValue)
    {
        var result = MannWhitney.Test(BasicX, BasicY, alternative, method);

        Assert.Equal(16, result.U);
        AssertClose(expectedPValue, result.PValue);
    }

    [Theory]
    // SciPy tests, cases_continuity: the same samples as above, passed as (y, x); R wilcox.test, U = 23.
    [InlineData(Alternative.TwoSided, 0.6865041817876)]
    [InlineData(Alternative.Less, 0.7047591913255)]
    [InlineData(Alternative.Greater, 0.3432520908938)]
    public void Swapping_the_samples_swaps_less_and_greater_and_keeps_the_two_sided_p(Alternative alternative, double expectedPValue)
    {
        var forward = MannWhitney.Test(BasicX, BasicY, alternative, MannWhitneyMethod.Asymptotic);
        var swapped = MannWhitney.Test(BasicY, BasicX, alternative, MannWhitneyMethod.Asymptotic);

        Assert.Equal(23, swapped.U);
        Assert.Equal(BasicX.Length * BasicY.Length - forward.U, swapped.U);
        AssertClose(expectedPValue, swapped.PValue);
    }

    [Theory]
    [InlineData(MannWhitneyMethod.Exact)]
    [InlineData(MannWhitneyMethod.Asymptotic)]
    public void Swapping_the_samples_gives_U2_and_the_same_two_sided_p(MannWhitneyMethod method)
    {
        var forward = MannWhitney.Test(Males, Females, Alternative.TwoSided, method);
        var swapped = MannWhitney.Test(Females, Males, Alternative.TwoSided, method);

        Assert.Equal(Males.Length * Females.Length - forward.U, swapped.U);
        Assert.Equal(forward.PValue, swapped.PValue);
        Assert.Equal((4, 5), (swapped.CountX, swapped.CountY));
    }

    [Theory]
    // SciPy tests, cases_9184: R wilcox.test(x, y, alternative=..., exact=...), U = 35.
    [InlineData(Alternative.Less, MannWhitneyMethod.Asymptotic, 0.900775348204)]
    [InlineData(Alternative.Greater, MannWhitneyMethod.Asymptotic, 0.1223118025635)]
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Asymptotic, 0.244623605127)]
    [InlineData(Alternative.Less, MannWhitneyMethod.Exact, 0.8967698967699)]
    [InlineData(Alternative.Greater, MannWhitneyMethod.Exact, 0.1272061272061)]
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Exact, 0.2544122544123)]
    public void Ten_against_five_values_match_R_one_sided_and_two_sided(
        Alternative alternative, MannWhitneyMethod method, double expectedPValue)
    {
        var result = MannWhitney.Test(Gh9184X, Gh9184Y, alternative, method);

        Assert.Equal(35, result.U);
        AssertClose(expectedPValue, result.PValue);
    }

    [Theory]
    // SciPy tests, test_tie_correct: x = 1..4 against y = 1..5 nudged by 0.01, R wilcox.test(x, y, exact=FALSE).
    [InlineData(new[] { 0.99, 1.99, 2.99, 3.99, 4.99 }, 10.0, 1.0)]
    [InlineData(new[] { 1.0, 1.99, 3.0, 3.99, 5.0 }, 9.0, 0.9017048037317)]
    [InlineData(new[] { 1.0, 2.0, 2.99, 4.0, 5.0 }, 8.5, 0.804080657472)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }, 8.0, 0.7086240584439)]
    [InlineData(new[] { 1.0, 2.0, 3.01, 4.0, 5.0 }, 7.5, 0.6197963884941)]
    [InlineData(new[] { 1.0, 2.01, 3.0, 4.01, 5.0 }, 7.0, 0.5368784563079)]
    [InlineData(new[] { 1.01, 2.01, 3.01, 4.01, 5.01 }, 6.0, 0.3912672792826)]
    public void Ties_get_midranks_and_a_corrected_variance(double[] y, double expectedU, double expectedPValue)
    {
        double[] x = [1, 2, 3, 4];

        var result = MannWhitney.Test(x, y, Alternative.TwoSided, MannWhitneyMethod.Asymptotic);

        Assert.Equal(expectedU, result.U);
        AssertClose(expectedPValue, result.PValue);
    }

    [Theory]
    // SciPy tests, cases_2118: U equals its mean n1·n2/2, R wilcox.test(x, y, exact=FALSE); the
    // continuity correction would push the two-sided p past 1, so it is capped.
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 1.5, 2.5 }, Alternative.Greater, 3.0, 0.6135850036578)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 1.5, 2.5 }, Alternative.Less, 3.0, 0.6135850036578)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 1.5, 2.5 }, Alternative.TwoSided, 3.0, 1.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 2.0 }, Alternative.Greater, 1.5, 0.681324055883)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 2.0 }, Alternative.Less, 1.5, 0.681324055883)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 2.0 }, Alternative.TwoSided, 1.5, 1.0)]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 1.0, 2.0 }, Alternative.Greater, 2.0, 0.667497228949)]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 1.0, 2.0 }, Alternative.Less, 2.0, 0.667497228949)]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 1.0, 2.0 }, Alternative.TwoSided, 2.0, 1.0)]
    public void U_at_its_mean_caps_the_asymptotic_p_at_one(
        double[] x, double[] y, Alternative alternative, double expectedU, double expectedPValue)
    {
        var result = MannWhitney.Test(x, y, alternative, MannWhitneyMethod.Asymptotic);

        Assert.Equal(expectedU, result.U);
        AssertClose(expectedPValue, result.PValue);
    }

    [Fact]
    public void Exact_two_sided_p_is_capped_at_one_when_U_equals_its_mean()
    {
        // SciPy tests, test_exact_U_equals_mean: x = [1, 2, 3], y = [1.5, 2.5] -> U = 3, p = 1.
        var result = MannWhitney.Test([1, 2, 3], [1.5, 2.5], Alternative.TwoSided, MannWhitneyMethod.Exact);

        Assert.Equal(3, result.U);
        Assert.Equal(1, result.PValue);
    }

    [Theory]
    // SciPy tests, test_mannwhitneyu_one_sided / _two_sided: X (30) against Y (20), method="asymptotic", U = 498.
    [InlineData(Alternative.Less, 0.999957683256589)]
    [InlineData(Alternative.Greater, 4.5941632666275e-05)]
    [InlineData(Alternative.TwoSided, 9.188326533255e-05)]
    public void Thirty_against_twenty_values_match_the_reference(Alternative alternative, double expectedPValue)
    {
        var result = MannWhitney.Test(LargeX, LargeY, alternative);

        Assert.Equal(498, result.U);
        Assert.False(result.Exact); // both samples above 8: Auto is asymptotic
        AssertClose(expectedPValue, result.PValue);
    }

    [Theory]
    // SciPy tests, test_mannwhitneyu_ones (gh-1428), R wilcox.test: 244 values against 158, almost all ties.
    // Order does not matter to a rank test, so the samples are written as counts of each value:
    // x holds 233 ones, 10 twos and 1 three; y holds 132 ones, 25 twos and 1 three.
    [InlineData(Alternative.Less, 2.8214327656317373e-5)]
    [InlineData(Alternative.Greater, 0.9999719954296)]
    [InlineData(Alternative.TwoSided, 5.642865531266e-5)]
    public void Hundreds_of_heavily_tied_values_match_R(Alternative alternative, double expectedPValue)
    {
        var x = Repeat((1, 233), (2, 10), (3, 1));
        var y = Repeat((1, 132), (2, 25), (3, 1));

        var result = MannWhitney.Test(x, y, alternative);

        Assert.Equal(16980.5, result.U);
        Assert.False(result.Exact);
        AssertClose(expectedPValue, result.PValue);
    }

    [Fact]
    public void Infinity_is_simply_the_largest_value()
    {
        // SciPy tests, cases_11355 (first case), method="asymptotic": U = 10, p = 0.1297704873477.
        double[] x = [1, 2, 3, 4];
        double[] y = [3, 6, 7, 8, double.PositiveInfinity, 3, 2, 1, 4, 4, 5];

        var result = MannWhitney.Test(x, y);

        Assert.Equal(10, result.U);
        AssertClose(0.1297704873477, result.PValue);
    }

    [Fact]
    public void Auto_chooses_asymptotic_when_small_samples_have_ties()
    {
        // SciPy's rule (test_auto): ties make "auto" asymptotic even for small samples.
        var result = MannWhitney.Test([1, 2, 3, 4], [1, 2, 3, 4, 5]);

        Assert.False(result.Exact);
        AssertClose(0.7086240584439, result.PValue); // SciPy tests, test_tie_correct (R)
    }

    [Fact]
    public void Auto_chooses_exact_when_only_one_sample_is_small()
    {
        // 3 against 13 without ties: SciPy's "auto" is exact when either sample has at most 8 values.
        var result = MannWhitney.Test(BasicX, BasicY);

        Assert.True(result.Exact);
        AssertClose(0.7035714285714, result.PValue); // SciPy tests, cases_basic (R, exact=TRUE)
    }

    [Theory]
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Auto)]
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Asymptotic)]
    [InlineData(Alternative.TwoSided, MannWhitneyMethod.Exact)]
    [InlineData(Alternative.Greater, MannWhitneyMethod.Auto)]
    [InlineData(Alternative.Greater, MannWhitneyMethod.Exact)]
    [InlineData(Alternative.Less, MannWhitneyMethod.Auto)]
    [InlineData(Alternative.Less, MannWhitneyMethod.Exact)]
    public void Identical_values_everywhere_give_p_of_one_not_NaN(Alternative alternative, MannWhitneyMethod method)
    {
        // Every value the same: the tie-corrected variance is zero and there is no evidence of a difference.
        var result = MannWhitney.Test([0.02, 0.02, 0.02], [0.02, 0.02, 0.02, 0.02], alternative, method);

        Assert.Equal(6, result.U);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void An_empty_sample_is_refused_with_its_name()
    {
        var emptyX = Assert.Throws<ArgumentException>(() => MannWhitney.Test([], Females));
        var emptyY = Assert.Throws<ArgumentException>(() => MannWhitney.Test(Males, []));

        Assert.Equal("x", emptyX.ParamName);
        Assert.Contains("empty", emptyX.Message, StringComparison.Ordinal);
        Assert.Equal("y", emptyY.ParamName);
    }

    [Fact]
    public void NaN_in_a_sample_is_refused_with_its_position()
    {
        var nanInX = Assert.Throws<ArgumentException>(() => MannWhitney.Test([1, double.NaN], Females));
        var nanInY = Assert.Throws<ArgumentException>(() => MannWhitney.Test(Males, [double.NaN]));

        Assert.Equal("x", nanInX.ParamName);
        Assert.Contains("NaN at index 1", nanInX.Message, StringComparison.Ordinal);
        Assert.Equal("y", nanInY.ParamName);
    }

    [Fact]
    public void A_missing_sample_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => MannWhitney.Test(null!, Females));
        Assert.Throws<ArgumentNullException>(() => MannWhitney.Test(Males, null!));
    }

    private static void AssertClose(double expected, double actual)
    {
        double difference = Math.Abs(actual - expected);
        Assert.True(
            difference <= RelativeTolerance * Math.Abs(expected),
            $"Expected {expected:R}, got {actual:R} (relative difference {difference / Math.Abs(expected):E2}).");
    }

    private static double[] Repeat(params (double Value, int Count)[] runs) =>
        runs.SelectMany(run => Enumerable.Repeat(run.Value, run.Count)).ToArray();
}
