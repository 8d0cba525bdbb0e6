using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>Which of an environment's configured smoke checks -Name picks.</summary>
public static class SmokeSelection
{
    /// <summary>Error id: a -Name (or wildcard) that matches none of the environment's checks.</summary>
    public const string SmokeCheckNotFound = "SmokeCheckNotFound";

    /// <summary>
    /// The checks whose names match one of <paramref name="names"/> (wildcards allowed, any case), in
    /// the order the configuration lists them; every check when no names are given. A name that
    /// matches nothing fails before anything runs, naming it and the checks there are.
    /// </summary>
    public static IReadOnlyList<SmokeCheck> Select(EnvironmentConfig environment, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return environment.Smoke;
        }

        var patterns = names.Select(n => new NamePattern(n)).ToList();
        var unmatched = patterns.Where(p => !environment.Smoke.Any(c => p.IsMatch(c.Name))).Select(p => p.Text).ToList();
        if (unmatched.Count > 0)
        {
            var asked = string.Join(", ", unmatched.Select(n => $"'{n}'"));
            throw new DeployException(SmokeCheckNotFound, DeployErrorCategory.ObjectNotFound, environment.Smoke.Count == 0
                ? Sentences.Join($"Environment '{environment.Name}' has no smoke checks, so -Name {asked} matches nothing",
                    $"Add a smoke: list to the environment in {environment.ConfigPath}, or pass -Path (a Pester suite) or -Command.")
                : Sentences.Join($"No smoke check in '{environment.Name}' matches -Name {asked}",
                    $"Its checks are: {string.Join(", ", environment.Smoke.Select(c => $"'{c.Name}'"))}.",
                    $"Pass one of those names (Tab completes them), or add the check to the smoke: list in {environment.ConfigPath}."),
                unmatched.Count == 1 ? unmatched[0] : unmatched);
        }

        return environment.Smoke.Where(c => patterns.Any(p => p.IsMatch(c.Name))).ToList();
    }
}
