using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The weighted destinations of a VirtualService's HTTP routes (<c>spec.http[].route[]</c>: subset and
/// weight), read once when the store changes it, and the store's resourceVersion of that change (so a
/// change that arrives late does not undo a newer one). A deleted VirtualService has no routes.
/// </summary>
internal sealed record VirtualServiceRoutes(long ResourceVersion, IReadOnlyList<IReadOnlyList<(string Subset, double Weight)>> Routes)
{
    /// <summary>The routes of <paramref name="virtualService"/> as stored at <paramref name="resourceVersion"/>.</summary>
    public static VirtualServiceRoutes Read(JsonObject virtualService, long resourceVersion)
    {
        var http = virtualService["spec"]?["http"] as JsonArray ?? [];
        var routes = http
            .Select(h => (IReadOnlyList<(string, double)>)(h?["route"] as JsonArray ?? [])
                .Select(d => (d?["destination"]?["subset"] is JsonValue subset && subset.GetValueKind() == JsonValueKind.String ? subset.GetValue<string>() : "", Weight(d?["weight"])))
                .ToList())
            .ToList();
        return new VirtualServiceRoutes(resourceVersion, routes);
    }

    /// <summary>
    /// The canary subset's share of the traffic (0 to 1), as the engine reads it: in the first route
    /// that sends traffic to both the stable and the canary subset, the canary's weight over the sum of the
    /// two. 0 when no route splits between them.
    /// </summary>
    public double CanaryShare(ScenarioCanary canary)
    {
        foreach (var route in Routes)
        {
            var stable = route.Where(d => d.Subset == canary.StableSubset).ToList();
            var canaries = route.Where(d => d.Subset == canary.CanarySubset).ToList();
            if (stable.Count == 0 || canaries.Count == 0)
            {
                continue;
            }

            var toCanary = canaries.Sum(d => d.Weight);
            var total = toCanary + stable.Sum(d => d.Weight);
            return total > 0 ? toCanary / total : 0;
        }

        return 0;
    }

    // A weight as written (an integer, in practice); anything else counts as 0, as a destination without a weight does beside others.
    private static double Weight(JsonNode? weight) =>
        weight is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : 0;
}
