namespace Skillancer.Deploy.Engine.Kubernetes;

/// <summary>The error ids of the rollout and canary cmdlets, one per failure a user can act on.</summary>
public static class KubernetesErrors
{
    /// <summary>No kubeconfig was found, and the module is not running inside a cluster.</summary>
    public const string KubeconfigNotFound = "KubeconfigNotFound";
    /// <summary>The kubeconfig cannot be read, or names no such context.</summary>
    public const string KubeconfigInvalid = "KubeconfigInvalid";
    /// <summary>The API server cannot be reached.</summary>
    public const string ClusterUnreachable = "ClusterUnreachable";
    /// <summary>The API server refused the credentials (401) or the action (403).</summary>
    public const string ClusterAccessDenied = "ClusterAccessDenied";
    /// <summary>The API server answered with an error the cmdlet cannot act on.</summary>
    public const string ClusterRequestFailed = "ClusterRequestFailed";
    /// <summary>The service's deployment does not exist in the namespace.</summary>
    public const string DeploymentNotFound = "DeploymentNotFound";
    /// <summary>The deployment has no container of the configured name.</summary>
    public const string ContainerNotFound = "ContainerNotFound";
    /// <summary>-Version is not a full SemVer 2.0 version, or -ImageTag is not a valid image tag.</summary>
    public const string InvalidVersion = "InvalidVersion";
    /// <summary>Neither -Version nor -ImageTag says what to deploy.</summary>
    public const string VersionRequired = "VersionRequired";
    /// <summary>A timeout that is zero, negative, or shorter than one poll.</summary>
    public const string InvalidTimeout = Primitives.TimeoutCheck.InvalidTimeout;
    /// <summary>Parameters that cannot be used together, such as -UndoOnFailure with -NoWait.</summary>
    public const string InvalidParameterCombination = "InvalidParameterCombination";
    /// <summary>A rollout request that names no service.</summary>
    public const string NoServices = "NoServices";
    /// <summary>The rollout exceeded its progress deadline.</summary>
    public const string RolloutFailed = "RolloutFailed";
    /// <summary>The rollout did not finish within the timeout.</summary>
    public const string RolloutTimeout = "RolloutTimeout";
    /// <summary>The deployment was deleted while the rollout was watched.</summary>
    public const string DeploymentDeleted = "DeploymentDeleted";
    /// <summary>Undo was asked for a paused deployment.</summary>
    public const string DeploymentPaused = "DeploymentPaused";
    /// <summary>The deployment has no revision to go back to.</summary>
    public const string NoRolloutHistory = "NoRolloutHistory";
    /// <summary>-ToRevision names a revision the deployment does not have.</summary>
    public const string RevisionNotFound = "RevisionNotFound";
    /// <summary>The service has no canary section in skdeploy.yml.</summary>
    public const string CanaryNotConfigured = "CanaryNotConfigured";
    /// <summary>The VirtualService does not exist.</summary>
    public const string VirtualServiceNotFound = "VirtualServiceNotFound";
    /// <summary>The VirtualService has no route that sends traffic to both subsets.</summary>
    public const string CanaryRouteNotFound = "CanaryRouteNotFound";
    /// <summary>A canary with fewer than one pod.</summary>
    public const string InvalidReplicas = "InvalidReplicas";
    /// <summary>A weight outside 0..100.</summary>
    public const string InvalidWeight = "InvalidWeight";
    /// <summary>There is no canary deployment to change, promote or stop.</summary>
    public const string CanaryNotRunning = "CanaryNotRunning";
    /// <summary>The VirtualService kept changing under us (409 after every retry).</summary>
    public const string VirtualServiceConflict = "VirtualServiceConflict";
}
