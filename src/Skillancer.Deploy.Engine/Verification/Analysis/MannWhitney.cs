using System.Globalization;
using System.Numerics;
using MathNet.Numerics.Distributions;

namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>The alternative hypothesis of a two-sample test, read as "sample x compared with sample y".</summary>
public enum Alternative
{
    /// <summary>The distributions of x and y differ, in either direction.</summary>
    TwoSided,

    /// <summary>x tends to be larger than y (x is stochastically greater).</summary>
    Greater,

    /// <summary>x tends to be smaller than y (x is stochastically less).</summary>
    Less,
}

/// <summary>How <see cref="MannWhitney.Test"/> turns the U statistic into a p-value.</summary>
public enum MannWhitneyMethod
{
    /// <summary>
    /// <see cref="Exact"/> when there are no ties and either sample has at most
    /// <see cref="MannWhitney.ExactSampleSizeLimit"/> values; <see cref="Asymptotic"/> otherwise (SciPy's rule).
    /// </summary>
    Auto,

    /// <summary>The exact null distribution of U. It is not corrected for ties.</summary>
    Exact,

    /// <summary>The normal approximation, with tie correction of the variance and a continuity correction of 0.5.</summary>
    Asymptotic,
}

/// <summary>The outcome of a Mann-Whitney U test.</summary>
/// <param name="U">The U statistic of sample x (SciPy's U1): how many (x, y) pairs have x above y, ties counting one half.</param>
/// <param name="PValue">The p-value for the chosen alternative, between 0 and 1.</param>
/// <param name="CountX">How many values sample x holds.</param>
/// <param name="CountY">How many values sample y holds.</param>
/// <param name="Exact">True when the p-value comes from the exact null distribution, false when from the normal approximation.</param>
public sealed record MannWhitneyResult(double U, double PValue, int CountX, int CountY, bool Exact);

/// <summary>
/// The two-sample Mann-Whitney U (Wilcoxon rank-sum) test, with the semantics of SciPy's
/// <c>scipy.stats.mannwhitneyu</c> (SciPy 1.7 and later, continuity correction on).
/// </summary>
/// <remarks>
/// The canary analysis asks whether the canary's per-scrape samples (x) are worse than stable's (y),
/// which is <see cref="Alternative.Greater"/> for error ratios and latencies.
/// </remarks>
public static class MannWhitney
{
    /// <summary>The largest sample size for which <see cref="MannWhitneyMethod.Auto"/> may choose the exact method (SciPy's 8).</summary>
    public const int ExactSampleSizeLimit = 8;

    /// <summary>Tests whether x and y come from the same distribution, against <paramref name="alternative"/>.</summary>
    /// <param name="x">The first sample (the canary's values). It must hold at least one value and no NaN.</param>
    /// <param name="y">The second sample (stable's values). It must hold at least one value and no NaN.</param>
    /// <param name="alternative">The alternative hypothesis; <see cref="Alternative.Greater"/> means x tends to be larger than y.</param>
    /// <param name="method">How the p-value is computed; see <see cref="MannWhitneyMethod"/>.</param>
    /// <returns>U for x, the p-value, the sample sizes and whether the exact distribution was used.</returns>
    /// <remarks>
    /// Ties get midranks. When every value in both samples is the same there is no evidence of a difference,
    /// and the p-value is 1 whatever the method. With <see cref="MannWhitneyMethod.Exact"/> and ties, U is
    /// truncated to an integer before the lookup, as SciPy does; the result is conservative, not exact.
    /// The exact method's cost grows as min(n1, n2)² · max(n1, n2).
    /// </remarks>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN, or an enum value is undefined.</exception>
    public static MannWhitneyResult Test(
        IReadOnlyList<double> x,
        IReadOnlyList<double> y,
        Alternative alternative = Alternative.TwoSided,
        MannWhitneyMethod method = MannWhitneyMethod.Auto)
    {
        RequireUsableSample(x, nameof(x));
        RequireUsableSample(y, nameof(y));
        if (!Enum.IsDefined(alternative))
        {
            throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative hypothesis.");
        }

        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown Mann-Whitney method.");
        }

        int countX = x.Count;
        int countY = y.Count;
        var ranking = Ranking.Of(x, y);
        double pairCount = (double)countX * countY;
        double uOfX = ranking.RankSumOfX - countX * (countX + 1.0) / 2;
        double uOfY = pairCount - uOfX;

        bool exact = method switch
        {
            MannWhitneyMethod.Exact => true,
            MannWhitneyMethod.Asymptotic => false,
            _ => !ranking.HasTies && (countX <= ExactSampleSizeLimit || countY <= ExactSampleSizeLimit),
        };
        if (exact && pairCount > int.MaxValue)
        {
            throw new ArgumentException(
                $"Samples of {countX} and {countY} values are too large for the exact method; use {nameof(MannWhitneyMethod.Asymptotic)}.",
                nameof(method));
        }

        // SciPy reads every alternative off the upper tail: U1 for "greater", U2 for "less" (by the symmetry
        // of the null distribution), and the larger of the two, doubled, for "two-sided".
        double upperTailU = alternative switch
        {
            Alternative.Greater => uOfX,
            Alternative.Less => uOfY,
            _ => Math.Max(uOfX, uOfY),
        };
        double tailFactor = alternative == Alternative.TwoSided ? 2 : 1;

        double pValue;
        if (ranking.AllValuesEqual)
        {
            pValue = 1;
        }
        else
        {
            double upperTail = exact
                ? ExactNullDistribution.ProbabilityAtLeast((long)Math.Floor(upperTailU), countX, countY)
                : NormalUpperTail(upperTailU, countX, countY, ranking.TieTerm);
            pValue = Math.Min(1, tailFactor * upperTail);
        }

        return new MannWhitneyResult(uOfX, pValue, countX, countY, exact);
    }

    private static void RequireUsableSample(IReadOnlyList<double> sample, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(sample, parameterName);
        if (sample.Count == 0)
        {
            throw new ArgumentException(
                $"Sample {parameterName} is empty; the Mann-Whitney U test needs at least one value in each sample.",
                parameterName);
        }

        for (int index = 0; index < sample.Count; index++)
        {
            if (double.IsNaN(sample[index]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Sample {parameterName} holds NaN at index {index}; drop the missing values before testing."),
                    parameterName);
            }
        }
    }

    /// <summary>P(U ≥ u) under the normal approximation, as SciPy: tie-corrected variance, minus 0.5 for continuity.</summary>
    private static double NormalUpperTail(double u, int countX, int countY, double tieTerm)
    {
        double pairCount = (double)countX * countY;
        double total = (double)countX + countY;
        double variance = pairCount / 12 * ((total + 1) - tieTerm / (total * (total - 1)));
        double standardDeviation = Math.Sqrt(variance);
        if (!(standardDeviation > 0))
        {
            return 1;
        }

        double z = (u - pairCount / 2 - 0.5) / standardDeviation;
        return Normal.CDF(0, 1, -z);
    }

    /// <summary>The midrank sum of x in the pooled sample, and what the ties contribute.</summary>
    private readonly record struct Ranking(double RankSumOfX, double TieTerm, bool HasTies, bool AllValuesEqual)
    {
        public static Ranking Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
        {
            int total = x.Count + y.Count;
            var values = new double[total];
            var isFromX = new bool[total];
            for (int i = 0; i < x.Count; i++)
            {
                values[i] = x[i];
                isFromX[i] = true;
            }

            for (int i = 0; i < y.Count; i++)
            {
                values[x.Count + i] = y[i];
            }

            Array.Sort(values, isFromX);

            double rankSumOfX = 0;
            double tieTerm = 0;
            int start = 0;
            while (start < total)
            {
                int end = start + 1;
                while (end < total && values[end] == values[start])
                {
                    end++;
                }

                // Positions start..end-1 share ranks start+1..end; each gets their mean.
                double midrank = (start + 1 + end) / 2.0;
                for (int i = start; i < end; i++)
                {
                    if (isFromX[i])
                    {
                        rankSumOfX += midrank;
                    }
                }

                double tieSize = end - start;
                tieTerm += tieSize * tieSize * tieSize - tieSize;
                start = end;
            }

            bool hasTies = tieTerm > 0;
            bool allValuesEqual = values[0] == values[total - 1];
            return new Ranking(rankSumOfX, tieTerm, hasTies, allValuesEqual);
        }
    }

    /// <summary>The exact distribution of U under the null hypothesis, for samples without ties.</summary>
    private static class ExactNullDistribution
    {
        /// <summary>P(U ≥ u) for sample sizes m and n.</summary>
        public static double ProbabilityAtLeast(long u, int m, int n)
        {
            // U and m·n − U have the same null distribution, so P(U ≥ u) = P(U ≤ m·n − u).
            return ProbabilityAtMost((long)m * n - u, m, n);
        }

        private static double ProbabilityAtMost(long u, int m, int n)
        {
            long pairCount = (long)m * n;
            if (u < 0)
            {
                return 0;
            }

            if (u >= pairCount)
            {
                return 1;
            }

            // Count only the lower half; the upper half follows from the symmetry.
            if (u > pairCount / 2)
            {
                return 1 - ProbabilityAtMost(pairCount - u - 1, m, n);
            }

            BigInteger[] counts = ArrangementCounts((int)u, Math.Min(m, n), Math.Max(m, n));
            BigInteger atMost = BigInteger.Zero;
            foreach (var count in counts)
            {
                atMost += count;
            }

            return Ratio(atMost, Arrangements(m, n));
        }

        /// <summary>
        /// How many of the C(m+n, m) orderings give U = 0, 1, …, <paramref name="maxU"/>: the coefficients of the
        /// Gaussian binomial [m+n choose m]_q = ∏ᵢ₌₁..ₘ (1 − q^(n+i)) / (1 − q^i), built one factor at a time.
        /// After factor i the polynomial is [n+i choose i]_q, so every count stays a whole number.
        /// </summary>
        private static BigInteger[] ArrangementCounts(int maxU, int smallerSize, int largerSize)
        {
            var counts = new BigInteger[maxU + 1];
            counts[0] = BigInteger.One;
            for (int i = 1; i <= smallerSize; i++)
            {
                int grow = largerSize + i;
                for (int k = maxU; k >= grow; k--)
                {
                    counts[k] -= counts[k - grow];
                }

                for (int k = i; k <= maxU; k++)
                {
                    counts[k] += counts[k - i];
                }
            }

            return counts;
        }

        private static BigInteger Arrangements(int m, int n)
        {
            int smaller = Math.Min(m, n);
            int larger = Math.Max(m, n);
            BigInteger arrangements = BigInteger.One;
            for (int i = 1; i <= smaller; i++)
            {
                // Stays whole: after step i it is C(larger + i, i).
                arrangements = arrangements * (larger + i) / i;
            }

            return arrangements;
        }

        /// <summary>numerator / denominator as a double, for counts far beyond double's range.</summary>
        private static double Ratio(BigInteger numerator, BigInteger denominator)
        {
            if (numerator.IsZero)
            {
                return 0;
            }

            // Scale the numerator so the integer quotient keeps about 64 significant bits.
            int shift = checked((int)(64 + denominator.GetBitLength() - numerator.GetBitLength()));
            BigInteger quotient = (numerator << shift) / denominator;
            return Math.ScaleB((double)quotient, -shift);
        }
    }
}
