using System.Net;
using System.Text.Json;
using k8s.Autorest;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>Turns what the client library throws into failures that say what happened and what to do.</summary>
public static class KubeFailures
{
    /// <summary>
    /// Runs a call to the API server, translating its failures; <paramref name="permission"/> is what the
    /// call needs (from <see cref="ClusterPermissions"/>), <paramref name="what"/> names the call in messages.
    /// </summary>
    public static async Task<T> CallAsync<T>(ClusterConnection cluster, ApiAccess permission, string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw Translate(cluster, permission, what, e);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(cluster, e);
        }
    }

    /// <summary>
    /// <see cref="CallAsync{T}"/> for a read (or delete) of an object that may not exist: null on 404 Not Found,
    /// every other failure translated.
    /// </summary>
    public static async Task<T?> FindAsync<T>(ClusterConnection cluster, ApiAccess permission, string what, Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await CallAsync(cluster, permission, what, call).ConfigureAwait(false);
        }
        catch (DeployException e) when (e.InnerException is not null && StatusOf(e.InnerException) == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The status code of a failed call, when the server answered.</summary>
    public static HttpStatusCode? StatusOf(Exception e) => (e as HttpOperationException)?.Response?.StatusCode;

    /// <summary>A failure for a call (needing <paramref name="permission"/>) the server answered with an error.</summary>
    public static DeployException Translate(ClusterConnection cluster, ApiAccess permission, string what, HttpOperationException e)
    {
        var status = e.Response.StatusCode;
        var message = ServerMessage(e) ?? e.Response.ReasonPhrase ?? status.ToString();
        return status switch
        {
            HttpStatusCode.Unauthorized => new DeployException(KubernetesErrors.ClusterAccessDenied, DeployErrorCategory.PermissionDenied,
                $"The API server {cluster.Server} refused the credentials from {cluster.Source} while trying to {what} (401 Unauthorized). " +
                "Refresh them (log in again, or fix the token in the kubeconfig).", cluster.Server, e),
            HttpStatusCode.Forbidden => new DeployException(KubernetesErrors.ClusterAccessDenied, DeployErrorCategory.PermissionDenied,
                $"The API server does not allow this user to {what} (403 Forbidden): {message.TrimEnd('.')}. " +
                $"Ask for the RBAC permission '{permission}' (README.md, \"Connect to real systems\", has the whole Role), or use a context that has it.", cluster.Server, e),
            _ => new DeployException(KubernetesErrors.ClusterRequestFailed, DeployErrorCategory.InvalidOperation,
                $"The API server could not {what} ({(int)status} {status}): {message}", cluster.Server, e),
        };
    }

    /// <summary>A failure for an API server that did not answer.</summary>
    public static DeployException Unreachable(ClusterConnection cluster, Exception e) =>
        new(KubernetesErrors.ClusterUnreachable, DeployErrorCategory.ConnectionError,
            Sentences.Join($"The API server {cluster.Server} could not be reached ({e.Message})", $"Check the network, the VPN and the kubeconfig ({cluster.Source})."), cluster.Server, e);

    // The message of the Status object the server sent, if it sent one.
    private static string? ServerMessage(HttpOperationException e)
    {
        try
        {
            using var json = JsonDocument.Parse(e.Response.Content ?? "");
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
