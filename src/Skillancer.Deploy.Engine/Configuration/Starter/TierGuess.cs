namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// Guesses a deployment's tier: first from a label that says it (tier, app.kubernetes.io/component,
/// component, role), then from the words of its name. Every guess carries its reason, for a "# check".
/// </summary>
internal static class TierGuess
{
    private static readonly string[] LabelKeys = ["tier", "app.kubernetes.io/component", "component", "role"];

    private static readonly (ServiceTier Tier, string[] Words)[] Vocabulary =
    [
        (ServiceTier.Gateway, ["gateway", "api-gateway", "apigateway", "ingress", "edge", "proxy"]),
        (ServiceTier.Frontend, ["frontend", "front-end", "web", "webapp", "ui", "www", "site", "portal", "client"]),
        (ServiceTier.Shared, ["shared", "common", "library", "lib", "packages"]),
        (ServiceTier.Backend, ["backend", "back-end", "api", "service", "svc", "server", "worker"]),
    ];

    public static (ServiceTier Tier, string Note) For(string name, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var key in LabelKeys)
        {
            if (labels.TryGetValue(key, out var value) && Match([value.ToLowerInvariant()]) is { } fromLabel)
            {
                return (fromLabel, $"check: from the label {key}={value}");
            }
        }

        var words = name.ToLowerInvariant().Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries);
        return Match([name.ToLowerInvariant(), .. words]) is { } fromName
            ? (fromName, "check: guessed from the name")
            : (ServiceTier.Backend, "check: nothing in its name or labels says; backend is the default");
    }

    // The first tier in the vocabulary's order (gateway before frontend before shared before backend) that any word names.
    private static ServiceTier? Match(IReadOnlyList<string> words) =>
        Vocabulary.Where(v => words.Any(w => v.Words.Contains(w))).Select(v => (ServiceTier?)v.Tier).FirstOrDefault();
}
