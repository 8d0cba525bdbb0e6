using System.Collections;
using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Verification;

/// <summary>Reads a -Thresholds hashtable (Investigate, ConsiderRollback, ImmediateRollback as fractions) over the configured thresholds.</summary>
internal static class ThresholdArgument
{
    private static readonly string[] Keys = [nameof(ErrorRateThresholds.Investigate), nameof(ErrorRateThresholds.ConsiderRollback), nameof(ErrorRateThresholds.ImmediateRollback)];

    public static ErrorRateThresholds? Merge(Hashtable? given, ErrorRateThresholds configured)
    {
        if (given is null)
        {
            return null;
        }

        var unknown = given.Keys.Cast<object>().Select(k => k.ToString()!).Where(k => !Keys.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw Invalid($"-Thresholds has unknown keys: {string.Join(", ", unknown)}. Use {string.Join(", ", Keys)}.");
        }

        double Read(string key, double fallback)
        {
            var entry = given.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k.ToString(), key, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                return fallback;
            }

            var value = given[entry];
            return value is IConvertible convertible && double.TryParse(convertible.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 1
                ? number
                : throw Invalid($"-Thresholds {key} must be a fraction from 0 to 1 (0.05 is 5%); it was '{value}'.");
        }

        var merged = new ErrorRateThresholds(
            Read(Keys[0], configured.Investigate), Read(Keys[1], configured.ConsiderRollback), Read(Keys[2], configured.ImmediateRollback));
        return merged.Investigate <= merged.ConsiderRollback && merged.ConsiderRollback <= merged.ImmediateRollback
            ? merged
            : throw Invalid(string.Create(CultureInfo.InvariantCulture,
                $"-Thresholds are out of order ({merged.Investigate}, {merged.ConsiderRollback}, {merged.ImmediateRollback}); Investigate <= ConsiderRollback <= ImmediateRollback."));
    }

    private static DeployException Invalid(string message) => new(VerificationErrors.InvalidThresholds, DeployErrorCategory.InvalidArgument, message, null);
}
