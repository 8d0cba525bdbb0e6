namespace Skillancer.Deploy.Sandbox.Scenario;

/// <summary>How a version behaves once deployed.</summary>
internal enum ImageBehaviour
{
    /// <summary>Becomes ready, answers its health check, fails well under 1% of requests.</summary>
    Good,

    /// <summary>Becomes ready and answers its health check, yet fails 15% of requests: only the error-rate watch sees it.</summary>
    Erroring,

    /// <summary>Never becomes ready: the rollout stalls until its progress deadline.</summary>
    Broken,

    /// <summary>Becomes ready but is unhealthy: its health check answers 5xx and over 10% of requests fail.</summary>
    Faulty,
}

/// <summary>
/// The scenario's rules for images, by tag suffix: <c>-broken</c> never becomes ready, <c>-faulty</c> becomes
/// ready but is unhealthy, <c>-erroring</c> is healthy but fails requests, and every other tag is good.
/// </summary>
internal static class ImageRules
{
    /// <summary>The fraction of requests a ready pod fails, by behaviour.</summary>
    public static double ErrorRatio(ImageBehaviour behaviour) => behaviour is ImageBehaviour.Faulty or ImageBehaviour.Erroring ? 0.15 : 0.005;

    public static ImageBehaviour Classify(string? image)
    {
        var tag = Tag(image);
        return tag.EndsWith("-broken", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Broken
            : tag.EndsWith("-faulty", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Faulty
            : tag.EndsWith("-erroring", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Erroring
            : ImageBehaviour.Good;
    }

    /// <summary>The tag of an image reference (after the last ':' that follows the last '/'), or "latest".</summary>
    public static string Tag(string? image)
    {
        if (string.IsNullOrEmpty(image)) return "latest";
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : "latest";
    }

    /// <summary>The worst behaviour among a pod's containers.</summary>
    public static ImageBehaviour Worst(IEnumerable<string?> images) =>
        images.Select(Classify).DefaultIfEmpty(ImageBehaviour.Good).Max();
}
