using Skillancer.Deploy.Engine.FeatureFlags;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>"Feature flags configured correctly": the flag API agrees with featureFlags.expected; each difference comes with the command that fixes it.</summary>
public sealed class FeatureFlagsCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.FeatureFlags;

    /// <inheritdoc/>
    public override string Checklist => "Feature flags configured correctly";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var expected = context.Request.ExpectedFlags ?? environment.FeatureFlags?.Expected ?? new Dictionary<string, Configuration.ExpectedFlag>();
        if (environment.FeatureFlags is null || expected.Count == 0)
        {
            return PreflightVerdict.NotConfigured(environment.FeatureFlags is null
                ? $"{environment.Name} has no featureFlags section: no flag API to ask."
                : $"featureFlags.expected of {environment.Name} lists no flag (nor does -FlagsFile): nothing says how the flags must be set.");
        }

        var actual = (await FeatureFlagReader.ReadAsync(new FeatureFlagQuery(environment, null, false), context.Host, cancellationToken).ConfigureAwait(false))
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var (name, wanted) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var fix = $"Set-SkFeatureFlag {environment.Name} {name}";
            if (!actual.TryGetValue(name, out var flag))
            {
                differences.Add($"{name} does not exist in the flag API (create it there)");
                continue;
            }

            if (wanted.Enabled is { } on && flag.Enabled != on)
            {
                differences.Add($"{name} is {OnOff(flag.Enabled)}, expected {OnOff(on)}: {fix} -Enabled:${on.ToString().ToLowerInvariant()}");
            }

            if (wanted.RolloutPercentage is { } share && flag.RolloutPercentage != share)
            {
                differences.Add($"{name} reaches {flag.RolloutPercentage?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"}% of users, expected {share}%: {fix} -RolloutPercentage {share}");
            }
        }

        return differences.Count == 0
            ? PreflightVerdict.Passed($"The {expected.Count} flag(s) {(context.Request.ExpectedFlags is null ? "in featureFlags.expected" : "in the flags file")} are set as expected.", $"{expected.Count} flags")
            : PreflightVerdict.Failed($"{differences.Count} flag setting(s) differ: {string.Join("; ", differences)}.", $"{differences.Count} differences");
    }

    private static string OnOff(bool on) => on ? "on" : "off";
}
