using System.Globalization;

namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>Reads a service's <c>canary</c> section: its Istio routing, and how a progressive canary is judged (<c>analysis</c>).</summary>
internal static class CanaryReader
{
    public static CanarySettings? Read(YamlMap? map) => map is null
        ? null
        : new CanarySettings(
            map.RequiredString("virtualService", "the name of the Istio VirtualService"),
            map.String("stableSubset") ?? "stable",
            map.String("canarySubset") ?? "canary",
            map.Int("replicas", 1, 100) ?? 1)
        {
            Analysis = ReadAnalysis(map.Map("analysis")),
        };

    private static CanaryAnalysisSettings ReadAnalysis(YamlMap? map)
    {
        var runbook = CanaryAnalysisSettings.Runbook;
        if (map is null)
        {
            return runbook;
        }

        var analysis = new CanaryAnalysisSettings
        {
            Steps = map.Has("steps") ? map.Scalars("steps").Select(ReadStep).ToList() : runbook.Steps,
            StepDuration = map.Duration("stepDuration") ?? runbook.StepDuration,
            Interval = map.Duration("interval") ?? runbook.Interval,
            FailureLimit = map.Int("failureLimit", 1, 1000) ?? runbook.FailureLimit,
            MinRequests = map.Int("minRequests", 0, int.MaxValue) ?? runbook.MinRequests,
            MaxStepExtensions = map.Int("maxStepExtensions", 0, 100) ?? runbook.MaxStepExtensions,
            MaxErrorRatioIncrease = map.Fraction("maxErrorRatioIncrease") ?? runbook.MaxErrorRatioIncrease,
            MaxLatencyIncrease = ReadIncrease(map.Scalar("maxLatencyIncrease")) ?? runbook.MaxLatencyIncrease,
            Confidence = map.Fraction("confidence") ?? runbook.Confidence,
        };
        return analysis.Problem() is { } problem ? throw ConfigErrors.At(map.Location, ConfigErrors.Invalid, $"The canary analysis cannot work: {problem.What}.", problem.Expected) : analysis;
    }

    private static int ReadStep(LocatedScalar scalar) =>
        int.TryParse(scalar.Text.TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight) && weight is >= 1 and <= 100
            ? weight
            : throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a share of traffic.", "a whole percentage from 1 to 100");

    // A relative increase: 0.2 or 20% (more than 100% is allowed: 1.5 is half as slow again).
    private static double? ReadIncrease(LocatedScalar? scalar)
    {
        if (scalar is null) return null;
        var text = scalar.Text.Trim();
        var percent = text.EndsWith('%');
        return double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? (percent ? value / 100 : value)
            : throw scalar.Invalid(ConfigErrors.Invalid, $"'{scalar.Text}' is not a relative increase.", "a fraction such as 0.2 or a percent such as 20%");
    }
}
