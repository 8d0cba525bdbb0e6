using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Canary;

/// <summary>
/// The &lt;deployment&gt;-canary Deployment: the stable one's pod template with the new image, its pods
/// labelled as the DestinationRule's canary subset selects them, under its own name and selector.
/// </summary>
public static class CanaryDeployment
{
    /// <summary>The label that marks a canary deployment and names the stable one it belongs to.</summary>
    public const string CanaryOfLabel = "skillancer.io/canary-of";

    /// <summary>The pod labels of the canary subset, from the DestinationRule that defines both subsets; track=&lt;subset&gt; when none does.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SubsetLabelsAsync(
        ClusterConnection cluster, string ns, CanarySettings canary, OperationHost host, CancellationToken cancellationToken)
    {
        var list = await KubeFailures.CallAsync(cluster, ClusterPermissions.ListDestinationRules, $"list the DestinationRules in {ns}",
            () => cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(VirtualServices.Group, VirtualServices.Version, ns, "destinationrules", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rules = JsonNode.Parse(((JsonElement)list).GetRawText())?["items"] as JsonArray ?? [];
        foreach (var rule in rules)
        {
            var subsets = rule?["spec"]?["subsets"] as JsonArray ?? [];
            var stable = subsets.FirstOrDefault(s => s?["name"]?.GetValue<string>() == canary.StableSubset);
            var canarySubset = subsets.FirstOrDefault(s => s?["name"]?.GetValue<string>() == canary.CanarySubset);
            if (stable is not null && canarySubset?["labels"] is JsonObject labels)
            {
                return labels.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
            }
        }

        host.Warning($"No DestinationRule in {ns} defines subsets '{canary.StableSubset}' and '{canary.CanarySubset}'; labelling the canary's pods track={canary.CanarySubset}.");
        return new Dictionary<string, string> { ["track"] = canary.CanarySubset };
    }

    /// <summary>The stable deployment's template with the new image and the canary subset's labels, under its own name and selector.</summary>
    public static V1Deployment Build(V1Deployment stable, ServiceConfig service, string image, IReadOnlyDictionary<string, string> labels, int replicas, string changeCause)
    {
        var template = RevisionHistory.WithoutHash(stable.Spec.Template);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels ??= new Dictionary<string, string>();
        var selector = new Dictionary<string, string>(stable.Spec.Selector.MatchLabels ?? new Dictionary<string, string>());
        foreach (var (key, value) in labels)
        {
            template.Metadata.Labels[key] = value;
            selector[key] = value;
        }

        template.Spec.Containers.First(c => c.Name == service.Container).Image = image;
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = stable.Metadata.Name + CanaryManager.Suffix,
                NamespaceProperty = stable.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(stable.Metadata.Labels ?? new Dictionary<string, string>()) { [CanaryOfLabel] = stable.Metadata.Name },
                Annotations = new Dictionary<string, string> { [ChangeCause.Annotation] = changeCause },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = template,
                Strategy = stable.Spec.Strategy,
                ProgressDeadlineSeconds = stable.Spec.ProgressDeadlineSeconds,
                MinReadySeconds = stable.Spec.MinReadySeconds,
            },
        };
    }

    /// <summary>Creates the canary deployment, or replaces the existing one's template and replicas.</summary>
    public static async Task ApplyAsync(ClusterConnection cluster, V1Deployment desired, CancellationToken cancellationToken)
    {
        var ns = desired.Metadata.NamespaceProperty;
        var name = desired.Metadata.Name;
        try
        {
            await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(desired, ns, fieldManager: RolloutStarter.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // It exists: replace what the canary is made of, keeping its identity.
        }
        catch (HttpOperationException e)
        {
            throw KubeFailures.Translate(cluster, ClusterPermissions.CreateDeployment, $"create deployment {ns}/{name}", e);
        }

        var existing = await Deployments.ReadAsync(cluster, ns, name, cancellationToken).ConfigureAwait(false);
        existing.Spec.Template = desired.Spec.Template;
        existing.Spec.Replicas = desired.Spec.Replicas;
        existing.Metadata.Annotations ??= new Dictionary<string, string>();
        existing.Metadata.Annotations[ChangeCause.Annotation] = desired.Metadata.Annotations[ChangeCause.Annotation];
        await KubeFailures.CallAsync(cluster, ClusterPermissions.UpdateDeployment, $"update deployment {ns}/{name}",
            () => cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(existing, name, ns, fieldManager: RolloutStarter.FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
