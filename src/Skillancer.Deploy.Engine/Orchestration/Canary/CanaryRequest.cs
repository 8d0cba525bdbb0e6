using System.Collections;
using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// What Invoke-SkCanary was asked: the service, the version, and the analysis: the service's
/// <c>canary.analysis</c> (the runbook's when it has none), with -Steps, -StepDuration, -Interval and -Analysis
/// over it.
/// </summary>
public sealed record CanaryRequest(DeployConfig Config, EnvironmentConfig Environment, ServiceConfig Service, string Version)
{
    /// <summary>The keys -Analysis accepts: canary.analysis' own.</summary>
    public static IReadOnlyList<string> AnalysisKeys { get; } =
        ["steps", "stepDuration", "interval", "failureLimit", "minRequests", "maxStepExtensions", "maxErrorRatioIncrease", "maxLatencyIncrease", "confidence"];

    /// <summary>-Steps: the traffic steps instead of canary.analysis.steps.</summary>
    public IReadOnlyList<int>? Steps { get; init; }

    /// <summary>-StepDuration.</summary>
    public TimeSpan? StepDuration { get; init; }

    /// <summary>-Interval.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>-Analysis: any canary.analysis key, over the configuration's.</summary>
    public IDictionary? Analysis { get; init; }

    /// <summary>-Replicas: canary pods, instead of canary.replicas.</summary>
    public int? Replicas { get; init; }

    /// <summary>How long the canary, and the promoted stable deployment, may take to become ready.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long to wait for the environment's lock.</summary>
    public TimeSpan LockWait { get; init; }

    /// <summary>-Resume: carry on the service's canary whose process died, from the step its record says it was in.</summary>
    public bool Resume { get; init; }

    /// <summary>Where the notices look for the release's changelog.</summary>
    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>
    /// The canary's image tag and its analysis, checked before anything is asked of the cluster: InvalidVersion,
    /// CanaryNotConfigured, PrometheusNotConfigured, InvalidCanaryAnalysis or InvalidTimeout.
    /// </summary>
    public (string Tag, CanaryAnalysisSettings Analysis) Validate()
    {
        var tag = ImageTags.FromVersion(Version);
        var configured = Overridden(CanaryManager.Settings(Service).Analysis);
        ErrorRateQueries.Settings(Environment);
        if (Timeout is { } timeout)
        {
            TimeoutCheck.Require(timeout, RolloutRequest.ShortestTimeout, "Timeout", "the canary to become ready");
        }

        var analysis = configured with
        {
            Steps = Steps ?? configured.Steps,
            StepDuration = StepDuration ?? configured.StepDuration,
            Interval = Interval ?? configured.Interval,
        };
        return (tag, analysis.Validate("-Steps, -StepDuration, -Interval, -Analysis or services[].canary.analysis in skdeploy.yml"));
    }

    /// <summary>The analysis as its record keeps it (<see cref="DeploymentRecord.Parameters"/>), canary.analysis' keys: a resumed canary carries on with it.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(CanaryAnalysisSettings analysis) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["steps"] = string.Join(",", analysis.Steps),
        ["stepDuration"] = DurationParser.Format(analysis.StepDuration),
        ["interval"] = DurationParser.Format(analysis.Interval),
        ["failureLimit"] = analysis.FailureLimit.ToString(CultureInfo.InvariantCulture),
        ["minRequests"] = analysis.MinRequests.ToString(CultureInfo.InvariantCulture),
        ["maxStepExtensions"] = analysis.MaxStepExtensions.ToString(CultureInfo.InvariantCulture),
        ["maxErrorRatioIncrease"] = analysis.MaxErrorRatioIncrease.ToString("R", CultureInfo.InvariantCulture),
        ["maxLatencyIncrease"] = analysis.MaxLatencyIncrease.ToString("R", CultureInfo.InvariantCulture),
        ["confidence"] = analysis.Confidence.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// This request carrying on <paramref name="record"/>'s canary: its version, and its analysis under whatever
    /// -Analysis gives again (-Steps, -StepDuration and -Interval, when given, still win).
    /// </summary>
    public CanaryRequest Resuming(DeploymentRecord record)
    {
        var analysis = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in record.Parameters ?? new Dictionary<string, string>())
        {
            analysis[key] = value;
        }

        foreach (DictionaryEntry given in Analysis ?? new Hashtable())
        {
            analysis[given.Key] = given.Value;
        }

        return this with { Version = record.Version!, Analysis = analysis };
    }

    // -Analysis over the configuration's analysis: each key as canary.analysis spells it.
    private CanaryAnalysisSettings Overridden(CanaryAnalysisSettings configured)
    {
        var settings = configured;
        foreach (DictionaryEntry entry in Analysis ?? new Hashtable())
        {
            var key = AnalysisKeys.FirstOrDefault(k => string.Equals(k, entry.Key?.ToString(), StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid($"'{entry.Key}' is not a canary.analysis key", $"one of {string.Join(", ", AnalysisKeys)}");
            var value = entry.Value;
            settings = key switch
            {
                "steps" => settings with { Steps = Weights(key, value) },
                "stepDuration" => settings with { StepDuration = Duration(key, value) },
                "interval" => settings with { Interval = Duration(key, value) },
                "failureLimit" => settings with { FailureLimit = (int)Number(key, value) },
                "minRequests" => settings with { MinRequests = (int)Number(key, value) },
                "maxStepExtensions" => settings with { MaxStepExtensions = (int)Number(key, value) },
                "maxErrorRatioIncrease" => settings with { MaxErrorRatioIncrease = Number(key, value) },
                "maxLatencyIncrease" => settings with { MaxLatencyIncrease = Number(key, value) },
                _ => settings with { Confidence = Number(key, value) },
            };
        }

        return settings;
    }

    // A list of weights: an array, or the record's "5,25,50,100".
    private static IReadOnlyList<int> Weights(string key, object? value) => value switch
    {
        string text => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => (int)Number(key, v))],
        IEnumerable list => [.. list.Cast<object>().Select(v => (int)Number(key, v))],
        _ => [(int)Number(key, value)],
    };

    private static double Number(string key, object? value) => value switch
    {
        int or long or double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Invalid($"-Analysis {key} = '{value}' is not a number", "a number, e.g. @{ minRequests = 100 }"),
    };

    private static TimeSpan Duration(string key, object? value) => value switch
    {
        TimeSpan span => span,
        string text when DurationParser.TryParse(text, out var parsed) => parsed,
        _ => throw Invalid($"-Analysis {key} = '{value}' is not a duration", DurationParser.AcceptedForms),
    };

    private static DeployException Invalid(string problem, string expected) =>
        new(CanaryErrors.InvalidAnalysis, DeployErrorCategory.InvalidArgument, $"{problem}. Give {expected}.", problem);
}
