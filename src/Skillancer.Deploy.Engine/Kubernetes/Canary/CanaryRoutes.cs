using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Canary;

/// <summary>
/// The traffic split in an Istio VirtualService. Only the weights of the HTTP routes that send traffic
/// to both the stable and the canary subset change; matches, retries, timeouts and every other route
/// stay as they are. (The runbook's merge patch replaces the whole route list instead.)
/// </summary>
public static class CanaryRoutes
{
    /// <summary>Sets stable to 100 - <paramref name="canaryWeight"/> and canary to <paramref name="canaryWeight"/> in every route that has both.</summary>
    public static JsonObject WithWeights(JsonObject virtualService, CanarySettings canary, int canaryWeight)
    {
        CheckWeight(canaryWeight);
        var updated = virtualService.DeepClone().AsObject();
        foreach (var route in SplitRoutes(updated, canary))
        {
            foreach (var destination in route.OfType<JsonObject>())
            {
                var subset = destination["destination"]?["subset"]?.GetValue<string>();
                destination["weight"] = subset == canary.CanarySubset ? canaryWeight : 100 - canaryWeight;
            }
        }

        return updated;
    }

    /// <summary>The canary's share of traffic in the first route that splits between the two subsets.</summary>
    public static int CanaryWeight(JsonObject virtualService, CanarySettings canary)
    {
        var route = SplitRoutes(virtualService, canary).First();
        var destination = route.OfType<JsonObject>().First(d => d["destination"]?["subset"]?.GetValue<string>() == canary.CanarySubset);
        return destination["weight"]?.GetValue<int>() ?? 0;
    }

    /// <summary>A clear error for a weight outside 0..100.</summary>
    public static void CheckWeight(int weight)
    {
        if (weight is < 0 or > 100)
        {
            throw new DeployException(KubernetesErrors.InvalidWeight, DeployErrorCategory.InvalidArgument,
                $"A canary weight is a percentage of traffic: 0 to 100 (it was {weight}). The stable subset gets the rest.", weight);
        }
    }

    // The http[].route lists whose destinations are exactly the stable and the canary subset.
    private static List<JsonArray> SplitRoutes(JsonObject virtualService, CanarySettings canary)
    {
        var name = virtualService["metadata"]?["name"]?.GetValue<string>();
        var http = virtualService["spec"]?["http"] as JsonArray ?? [];
        var routes = new List<JsonArray>();
        var found = new List<string>();
        for (var i = 0; i < http.Count; i++)
        {
            var route = http[i]?["route"] as JsonArray ?? [];
            var subsets = route.Select(d => d?["destination"]?["subset"]?.GetValue<string>() ?? "(no subset)").ToList();
            found.Add($"http[{i}]: {(subsets.Count == 0 ? "no destinations" : string.Join(", ", subsets))}");
            if (subsets.Contains(canary.StableSubset) && subsets.Contains(canary.CanarySubset))
            {
                if (subsets.Count != 2)
                {
                    throw new DeployException(KubernetesErrors.CanaryRouteNotFound, DeployErrorCategory.InvalidData,
                        $"Route http[{i}] of VirtualService '{name}' sends traffic to {string.Join(", ", subsets)}: a canary split needs a route with exactly the '{canary.StableSubset}' and '{canary.CanarySubset}' subsets.",
                        name);
                }

                routes.Add(route);
            }
        }

        return routes.Count > 0
            ? routes
            : throw new DeployException(KubernetesErrors.CanaryRouteNotFound, DeployErrorCategory.InvalidData,
                $"VirtualService '{name}' has no HTTP route with destinations for both subset '{canary.StableSubset}' and subset '{canary.CanarySubset}' " +
                $"(it has {(found.Count == 0 ? "no HTTP routes" : string.Join("; ", found))}). Add a destination with subset '{canary.CanarySubset}' and weight 0 next to the stable one, " +
                "or correct the subsets under services[].canary in skdeploy.yml.", name);
    }
}
