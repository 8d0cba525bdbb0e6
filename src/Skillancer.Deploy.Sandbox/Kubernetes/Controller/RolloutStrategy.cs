using System.Globalization;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>A deployment's strategy with maxSurge and maxUnavailable resolved against its replica count, as the controller does.</summary>
internal sealed record RolloutStrategy(bool Recreate, int MaxSurge, int MaxUnavailable)
{
    public static RolloutStrategy Of(JsonObject deployment, int desired)
    {
        var strategy = deployment["spec"]?["strategy"];
        if (strategy?["type"]?.ToString() == "Recreate")
        {
            return new RolloutStrategy(true, 0, desired);
        }

        var surge = Resolve(strategy?["rollingUpdate"]?["maxSurge"], desired, roundUp: true);
        var unavailable = Resolve(strategy?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1; // the controller's rule: a rollout must be able to make progress
        }

        return new RolloutStrategy(false, surge, Math.Min(unavailable, desired));
    }

    // An IntOrString: a count, or a percentage of the desired replicas (maxSurge rounds up, maxUnavailable down).
    private static int Resolve(JsonNode? value, int desired, bool roundUp)
    {
        var text = value?.ToString() ?? "25%";
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = desired * percent / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return (int)StoredObject.Long(value);
    }
}
