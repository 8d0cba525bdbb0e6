namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>What New-SkConfiguration is asked to write.</summary>
/// <param name="Path">The file to write (an existing file, or a name ending in .yml or .yaml), or else a folder to write skdeploy.yml in.</param>
/// <param name="Environments">The environments to describe, in order (e.g. staging, production).</param>
/// <param name="Force">Overwrite an existing file.</param>
public sealed record StarterRequest(string Path, IReadOnlyList<string> Environments, bool Force)
{
    /// <summary>Propose the services from the deployments of the current kubeconfig context.</summary>
    public bool FromCluster { get; init; }

    /// <summary>With <see cref="FromCluster"/>: the kubeconfig to read (default: $KUBECONFIG, then ~/.kube/config).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>With <see cref="FromCluster"/>: the context to use (default: the kubeconfig's current one).</summary>
    public string? Context { get; init; }

    /// <summary>With <see cref="FromCluster"/>: the namespace of each environment, where it is not to be guessed.</summary>
    public IReadOnlyDictionary<string, string> Namespaces { get; init; } = new Dictionary<string, string>();
}
