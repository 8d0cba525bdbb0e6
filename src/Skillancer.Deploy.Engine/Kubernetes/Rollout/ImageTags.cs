using System.Text.RegularExpressions;
using Semver;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>Image references: the tag a version becomes, the image a service runs at a tag, and the tag of an image.</summary>
public static partial class ImageTags
{
    /// <summary>
    /// The tag for <paramref name="version"/>: a SemVer version (with or without 'v', pre-releases
    /// included) becomes <c>v1.2.3</c>, as the runbook tags images; any other valid image tag is used as given.
    /// </summary>
    public static string FromVersion(string version)
    {
        var text = version.Trim();
        if (SemVersion.TryParse(text, SemVersionStyles.AllowV, out var semver))
        {
            if (semver.Metadata.Length > 0)
            {
                throw Invalid(version, "build metadata ('+...') cannot be part of an image tag");
            }

            return "v" + semver;
        }

        return ValidTag().IsMatch(text) ? text : throw Invalid(version, "it is neither a version (1.2.3, v1.2.3-rc.1) nor an image tag (letters, digits, '_', '.', '-'; at most 128)");
    }

    /// <summary>{registry}/{image}:{tag}, or {image}:{tag} without a registry.</summary>
    public static string Compose(string registry, string image, string tag) =>
        string.IsNullOrEmpty(registry) ? $"{image}:{tag}" : $"{registry.TrimEnd('/')}/{image}:{tag}";

    /// <summary>The tag of an image reference (after the last ':' that follows the last '/'), "latest" when it has none, or its digest.</summary>
    public static string Tag(string? image)
    {
        if (string.IsNullOrEmpty(image)) return string.Empty;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) return image[(at + 1)..];
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[(colon + 1)..] : "latest";
    }

    private static DeployException Invalid(string version, string why) =>
        new(KubernetesErrors.InvalidVersion, DeployErrorCategory.InvalidArgument,
            $"'{version}' cannot be used as an image tag: {why}. Pass a version such as 1.2.3 or v1.2.3.", version);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidTag();
}
