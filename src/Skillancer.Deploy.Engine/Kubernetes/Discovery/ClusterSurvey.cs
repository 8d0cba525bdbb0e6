using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Skillancer.Deploy.Engine.Kubernetes.Canary;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Discovery;

/// <summary>
/// What a kubeconfig context can see: its namespaces and the deployments in one of them, as
/// `kubectl get namespaces` and `kubectl get deployments -n` list them. Read-only.
/// </summary>
public static class ClusterSurvey
{
    /// <summary>The namespaces, by name; null when this user may not list them (a namespaced Role only).</summary>
    public static async Task<IReadOnlyList<string>?> NamespacesAsync(ClusterConnection cluster, OperationHost host, CancellationToken cancellationToken)
    {
        try
        {
            var list = await KubeFailures.CallAsync(cluster, ClusterPermissions.ListNamespaces, "list the namespaces",
                () => cluster.Client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return list.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        }
        catch (DeployException e) when (e.InnerException is not null && KubeFailures.StatusOf(e.InnerException) == HttpStatusCode.Forbidden)
        {
            host.Verbose($"Kubernetes: this user may not list namespaces ({ClusterPermissions.ListNamespaces}); only the context's namespace and -Namespace are looked at.");
            return null;
        }
    }

    /// <summary>The deployments in <paramref name="ns"/>, by name, without the canaries Start-SkCanary made.</summary>
    public static async Task<IReadOnlyList<FoundDeployment>> DeploymentsAsync(ClusterConnection cluster, string ns, CancellationToken cancellationToken)
    {
        var list = await KubeFailures.CallAsync(cluster, ClusterPermissions.ListDeployments, $"list the deployments in namespace {ns}",
            () => cluster.Client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return list.Items
            .Where(d => d.Metadata.Labels?.ContainsKey(CanaryDeployment.CanaryOfLabel) != true)
            .Select(d =>
            {
                var labels = new Dictionary<string, string>(d.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var (key, value) in d.Metadata.Labels ?? new Dictionary<string, string>())
                {
                    labels[key] = value;
                }

                var containers = (d.Spec?.Template?.Spec?.Containers ?? [])
                    .Select(c => new FoundContainer(c.Name, c.Image ?? string.Empty, c.ReadinessProbe?.HttpGet?.Path))
                    .ToList();
                return new FoundDeployment(ns, d.Metadata.Name, labels, containers);
            })
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The subsets that the VirtualService <paramref name="name"/> splits traffic between, the one with more
    /// weight (the stable one) first; null when there is no such VirtualService (or Istio), or no route splits.
    /// </summary>
    public static async Task<(string Stable, string Canary)?> TrafficSplitAsync(ClusterConnection cluster, string ns, string name, OperationHost host, CancellationToken cancellationToken)
    {
        JsonObject virtualService;
        try
        {
            virtualService = await VirtualServices.ReadAsync(cluster, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployException e) when (e.ErrorId is KubernetesErrors.VirtualServiceNotFound or KubernetesErrors.ClusterAccessDenied or KubernetesErrors.ClusterRequestFailed)
        {
            host.Verbose($"Kubernetes: no canary routing for {ns}/{name} ({e.ErrorId})");
            return null;
        }

        foreach (var route in (virtualService["spec"]?["http"] as JsonArray ?? []).Select(h => h?["route"] as JsonArray ?? []))
        {
            var destinations = route.OfType<JsonObject>()
                .Select(d => (Subset: d["destination"]?["subset"]?.GetValue<string>(), Weight: d["weight"]?.GetValue<int>() ?? 0))
                .ToList();
            if (destinations.Count == 2 && destinations.All(d => d.Subset is not null) && destinations[0].Subset != destinations[1].Subset)
            {
                var ordered = destinations.OrderByDescending(d => d.Weight).ThenBy(d => d.Subset == "stable" ? 0 : 1).ToList();
                return (ordered[0].Subset!, ordered[1].Subset!);
            }
        }

        return null;
    }
}
