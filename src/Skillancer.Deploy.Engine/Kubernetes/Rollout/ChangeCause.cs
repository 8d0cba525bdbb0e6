namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>The kubernetes.io/change-cause annotation: why a revision was rolled out, as `kubectl rollout history` shows it.</summary>
public static class ChangeCause
{
    /// <summary>The annotation's key.</summary>
    public const string Annotation = "kubernetes.io/change-cause";

    /// <summary>"Skillancer.Deploy: v1.2.3 by alice", with an optional word before the tag ("canary").</summary>
    public static string For(string tag, string? what = null) =>
        $"Skillancer.Deploy: {(what is null ? "" : what + " ")}{tag} by {User()}";

    private static string User() => Environment.UserName is { Length: > 0 } user ? user : "unknown";
}
