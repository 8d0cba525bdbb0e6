using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Canary;

/// <summary>
/// Reads Istio VirtualServices and changes their weights: GET, change only the weights, PUT guarded by
/// the resourceVersion that was read, and on 409 Conflict read again and retry.
/// </summary>
public static class VirtualServices
{
    /// <summary>Istio's API group.</summary>
    public const string Group = "networking.istio.io";

    /// <summary>The version read and written (Istio 1.22 and later serve v1).</summary>
    public const string Version = "v1";

    private const int Attempts = 5;

    /// <summary>The VirtualService; VirtualServiceNotFound when it does not exist.</summary>
    public static async Task<JsonObject> ReadAsync(ClusterConnection cluster, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, "virtualservices", name, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(((JsonElement)found).GetRawText())!.AsObject();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DeployException(KubernetesErrors.VirtualServiceNotFound, DeployErrorCategory.ObjectNotFound,
                $"There is no VirtualService '{name}' in namespace '{ns}'. Check services[].canary.virtualService in skdeploy.yml, or create it with a route to both subsets.", name, e);
        }
        catch (HttpOperationException e)
        {
            throw KubeFailures.Translate(cluster, ClusterPermissions.GetVirtualService, $"read VirtualService {ns}/{name}", e);
        }
    }

    /// <summary>Sets the canary's weight (stable gets the rest); returns the VirtualService as stored.</summary>
    public static async Task<JsonObject> SetWeightAsync(ClusterConnection cluster, string ns, CanarySettings canary, int weight, OperationHost host, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(cluster, ns, canary.VirtualService, cancellationToken).ConfigureAwait(false);
            var updated = CanaryRoutes.WithWeights(current, canary, weight);
            if (JsonNode.DeepEquals(current, updated))
            {
                return current;
            }

            try
            {
                var stored = await cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
                    updated, Group, Version, ns, "virtualservices", canary.VirtualService, fieldManager: Rollout.RolloutStarter.FieldManager,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return JsonNode.Parse(((JsonElement)stored).GetRawText())!.AsObject();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                host.Verbose($"VirtualService {ns}/{canary.VirtualService} changed while we updated it (409); reading it again (attempt {attempt + 1} of {Attempts})");
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                throw new DeployException(KubernetesErrors.VirtualServiceConflict, DeployErrorCategory.ResourceUnavailable,
                    $"VirtualService {ns}/{canary.VirtualService} changed under every one of {Attempts} attempts to set its weights. Find what keeps writing it (a GitOps controller?) and try again.",
                    canary.VirtualService, e);
            }
            catch (HttpOperationException e)
            {
                throw KubeFailures.Translate(cluster, ClusterPermissions.UpdateVirtualService, $"update VirtualService {ns}/{canary.VirtualService}", e);
            }
        }
    }
}
