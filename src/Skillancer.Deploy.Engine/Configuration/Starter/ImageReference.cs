namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// A running image split the way skdeploy.yml composes one ({registry}/{image}:{version}):
/// <c>ghcr.io/skillancer/web:v1.2.2</c> is repository <c>ghcr.io/skillancer</c> and name <c>web</c>.
/// </summary>
internal sealed record ImageReference(string Repository, string Name)
{
    public static ImageReference Parse(string image)
    {
        var reference = image.Split('@', 2)[0];
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        if (colon > slash)
        {
            reference = reference[..colon];
        }

        return slash < 0 ? new ImageReference(string.Empty, reference) : new ImageReference(reference[..slash], reference[(slash + 1)..]);
    }

    /// <summary>The longest registry path (whole segments) that every image starts with: the environment's registry.</summary>
    public static string CommonRegistry(IReadOnlyList<ImageReference> images)
    {
        if (images.Count == 0) return string.Empty;
        var common = images[0].Repository.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var image in images.Skip(1))
        {
            var segments = image.Repository.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var same = 0;
            while (same < common.Length && same < segments.Length && common[same] == segments[same]) same++;
            common = common[..same];
        }

        return string.Join('/', common);
    }

    /// <summary>The image's name below <paramref name="registry"/> (e.g. <c>tools/web</c> under <c>ghcr.io/skillancer</c>).</summary>
    public string Below(string registry)
    {
        var full = Repository.Length == 0 ? Name : $"{Repository}/{Name}";
        return registry.Length == 0 ? full : full[(registry.Length + 1)..];
    }
}
