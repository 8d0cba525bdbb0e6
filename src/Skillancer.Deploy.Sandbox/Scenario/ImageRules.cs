namespace Skillancer.Deploy.Sandbox.Scenario;

/// <summary>
/// The scenario's rules for images, by tag suffix: <c>-broken</c> never becomes ready, <c>-faulty</c> becomes
/// ready but is unhealthy, <c>-erroring</c> is healthy but fails requests, <c>-slow</c> is healthy and fails
/// no more than a good version but answers twice as slowly, and every other tag is good.
/// </summary>
internal static class ImageRules
{
    /// <summary>The fraction of requests a ready pod fails, by behaviour.</summary>
    public static double ErrorRatio(ImageBehaviour behaviour) => behaviour is ImageBehaviour.Faulty or ImageBehaviour.Erroring ? 0.15 : 0.005;

    /// <summary>The median time a ready pod takes to answer, in seconds, by behaviour: 80 ms, twice that for a slow version.</summary>
    public static double MedianLatency(ImageBehaviour behaviour) => behaviour == ImageBehaviour.Slow ? 0.16 : 0.08;

    /// <summary>The behaviour of an image, by the suffix of its tag.</summary>
    public static ImageBehaviour Classify(string? image)
    {
        var tag = Tag(image);
        return tag.EndsWith("-broken", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Broken
            : tag.EndsWith("-faulty", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Faulty
            : tag.EndsWith("-erroring", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Erroring
            : tag.EndsWith("-slow", StringComparison.OrdinalIgnoreCase) ? ImageBehaviour.Slow
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
