using Skillancer.Deploy.Engine.FeatureFlags;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>"Feature flags configured correctly": the flag API agrees with featureFlags.expected; each difference comes with the command that fixes it.</summary>
public sealed class FeatureFlagsCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.FeatureFlags;

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.FeatureFlags is not { Expected.Count: > 0 } settings)
        {
            return PreflightVerdict.NotConfigured($"featureFlags.expected of {environment.Name} lists no flag: nothing says how the flags must be set.");
        }

        var actual = (await FeatureFlagReader.ReadAsync(new FeatureFlagQuery(environment, null, false), context.Host, cancellationToken).ConfigureAwait(false))
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var (name, expected) in settings.Expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var fix = $"Set-SkFeatureFlag {environment.Name} {name}";
            if (!actual.TryGetValue(name, out var flag))
            {
                differences.Add($"{name} does not exist in the flag API (create it there)");
                continue;
            }

            if (expected.Enabled is { } on && flag.Enabled != on)
            {
                differences.Add($"{name} is {OnOff(flag.Enabled)}, expected {OnOff(on)}: {fix} -Enabled:${on.ToString().ToLowerInvariant()}");
            }

            if (expected.RolloutPercentage is { } share && flag.RolloutPercentage != share)
            {
                differences.Add($"{name} reaches {flag.RolloutPercentage?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"}% of users, expected {share}%: {fix} -RolloutPercentage {share}");
            }
        }

        return differences.Count == 0
            ? PreflightVerdict.Passed($"The {settings.Expected.Count} flag(s) in featureFlags.expected are set as expected.", $"{settings.Expected.Count} flags")
            : PreflightVerdict.Failed($"{differences.Count} flag setting(s) differ: {string.Join("; ", differences)}.", $"{differences.Count} differences");
    }

    private static string OnOff(bool on) => on ? "on" : "off";
}
