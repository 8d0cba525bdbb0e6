using k8s;
using k8s.Exceptions;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using YamlDotNet.Core;

namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>
/// A client for one environment's cluster, built from the standard chain: the kubeconfig named by
/// -Kubeconfig or the environment's <c>kubernetes.kubeconfig</c>, else $KUBECONFIG, else
/// ~/.kube/config, else the in-cluster service account. The context is -Context, the environment's
/// <c>kubernetes.context</c>, or the kubeconfig's current one. TLS is verified as the kubeconfig says.
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    private ClusterConnection(IKubernetes client, string server, string? context, string source, string? contextNamespace, string? kubeconfigUser)
    {
        KubeconfigUser = kubeconfigUser;
        Client = client;
        Server = server;
        Context = context;
        Source = source;
        ContextNamespace = contextNamespace;
    }

    /// <summary>The official client, with transient failures retried (see <see cref="TransientFailureHandler"/>).</summary>
    public IKubernetes Client { get; }

    /// <summary>The API server's URL.</summary>
    public string Server { get; }

    /// <summary>The kubeconfig context in use, or null in-cluster.</summary>
    public string? Context { get; }

    /// <summary>Where the credentials came from: a kubeconfig path or "in-cluster".</summary>
    public string Source { get; }

    /// <summary>The namespace the kubeconfig context names (or the pod's, in-cluster); null when it names none.</summary>
    public string? ContextNamespace { get; }

    /// <summary>
    /// The name of the kubeconfig's user entry the context uses (in-cluster: null). Only a label: who the
    /// server authenticates is what SelfSubjectReview says (State/Identity).
    /// </summary>
    public string? KubeconfigUser { get; }

    /// <summary>Connects to the environment's cluster; <paramref name="kubeconfig"/> and <paramref name="context"/> override its settings.</summary>
    public static ClusterConnection Open(KubernetesSettings settings, string? kubeconfig, string? context, OperationHost host)
    {
        var path = kubeconfig ?? settings.Kubeconfig ?? DefaultKubeconfig();
        var wantedContext = context ?? settings.Context;
        KubernetesClientConfiguration configuration;
        string source;
        string? user = null;
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new DeployException(KubernetesErrors.KubeconfigNotFound, DeployErrorCategory.ObjectNotFound,
                    $"The kubeconfig '{path}' does not exist. Check kubernetes.kubeconfig in skdeploy.yml, $env:KUBECONFIG or -Kubeconfig.", path);
            }

            user = KubeconfigFile.Check(path, wantedContext);
            try
            {
                configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, wantedContext);
            }
            catch (Exception e) when (e is KubeConfigException or YamlException or IOException or FormatException or InvalidCastException or ArgumentException
                or System.Security.Cryptography.CryptographicException)
            {
                throw KubeconfigFile.Unusable(path, wantedContext, e);
            }

            source = path;
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
            source = "in-cluster";
        }
        else
        {
            throw new DeployException(KubernetesErrors.KubeconfigNotFound, DeployErrorCategory.ObjectNotFound,
                "No kubeconfig was found: kubernetes.kubeconfig is not set, $env:KUBECONFIG is empty and ~/.kube/config does not exist, and this is not a pod. " +
                "Set kubernetes.kubeconfig in skdeploy.yml or pass -Kubeconfig.", null);
        }

        Secret.RegisterForRedaction(configuration.AccessToken);

        host.Verbose($"Kubernetes: {configuration.Host} (context {configuration.CurrentContext ?? "in-cluster"}, from {source})");
        var client = new k8s.Kubernetes(configuration, new TransientFailureHandler(host));
        return new ClusterConnection(client, configuration.Host, configuration.CurrentContext, source, configuration.Namespace, user);
    }

    // $KUBECONFIG (its first existing file), then ~/.kube/config; null when neither exists.
    private static string? DefaultKubeconfig()
    {
        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            return variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists)
                ?? variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        var home = Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? home : null;
    }

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();
}
