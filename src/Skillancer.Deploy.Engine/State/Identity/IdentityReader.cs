using System.Net;
using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;

namespace Skillancer.Deploy.Engine.State.Identity;

/// <summary>Asks the cluster who the connection's credentials belong to, as <c>kubectl auth whoami</c> does.</summary>
public static class IdentityReader
{
    // Every authenticated user may create it, through the built-in system:basic-user ClusterRole, so README's
    // Role does not list it (and ClusterPermissions, which README's Role is held to, does not either).
    private static readonly ApiAccess Review = new("authentication.k8s.io", "selfsubjectreviews", "create", ClusterScoped: true);
    private static readonly ApiAccess AccessReview = new("authorization.k8s.io", "selfsubjectaccessreviews", "create", ClusterScoped: true);

    /// <summary>
    /// Whether the connection's credentials may do <paramref name="access"/> in namespace <paramref name="ns"/>, as
    /// <c>kubectl auth can-i</c> asks (SelfSubjectAccessReview): so that a refusal is known before anything is written.
    /// </summary>
    public static async Task<bool> CanAsync(ClusterConnection cluster, ApiAccess access, string ns, CancellationToken cancellationToken)
    {
        var review = new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { Group = access.Group, Resource = access.Resource, Verb = access.Verb, NamespaceProperty = ns },
            },
        };
        var answer = await KubeFailures.CallAsync(cluster, AccessReview, $"ask whether the credentials may {access}", () =>
            cluster.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return answer.Status?.Allowed == true;
    }

    /// <summary>
    /// The identity SelfSubjectReview (authentication.k8s.io/v1) reports. A server that does not serve it
    /// (404) gives the kubeconfig user's name, marked unverified; every other failure is an error.
    /// </summary>
    public static async Task<DeployerIdentity> WhoAmIAsync(ClusterConnection cluster, CancellationToken cancellationToken)
    {
        V1SelfSubjectReview review;
        try
        {
            review = await cluster.Client.AuthenticationV1.CreateSelfSubjectReviewAsync(
                new V1SelfSubjectReview { ApiVersion = "authentication.k8s.io/v1", Kind = "SelfSubjectReview" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return new DeployerIdentity { UserName = cluster.KubeconfigUser ?? "unknown", Verified = false };
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            throw KubeFailures.Translate(cluster, Review, "ask who the credentials belong to (SelfSubjectReview)", e);
        }
        catch (HttpRequestException e)
        {
            throw KubeFailures.Unreachable(cluster, e);
        }

        var user = review.Status?.UserInfo;
        return string.IsNullOrEmpty(user?.Username)
            ? new DeployerIdentity { UserName = cluster.KubeconfigUser ?? "unknown", Verified = false }
            : new DeployerIdentity { UserName = user.Username, Groups = user.Groups?.ToList() ?? [], Verified = true };
    }
}
