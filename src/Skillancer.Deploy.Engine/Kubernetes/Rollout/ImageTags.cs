using System.Globalization;
using System.Text.RegularExpressions;
using Semver;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>Image references: the tag a version becomes, the image a service runs at a tag, and the tag of an image.</summary>
public static partial class ImageTags
{
    /// <summary>
    /// The one rule for what Start-SkRollout, Start-SkCanary and Publish-SkFrontend deploy: a -Version
    /// must be a full SemVer 2.0 version (with or without 'v'; pre-releases included) and becomes the
    /// runbook's tag <c>v1.2.3</c>; anything else is InvalidVersion, naming the nearest valid version.
    /// An arbitrary tag (latest, sha-1a2b3c) is deployed only when asked for by <paramref name="imageTag"/>,
    /// which is used as given once it is a valid image tag. Exactly one of the two is given.
    /// </summary>
    public static string Choose(string? version, string? imageTag) => (version, imageTag) switch
    {
        ({ } v, null) => FromVersion(v),
        (null, { } t) => FromImageTag(t),
        (null, null) => throw new DeployException(KubernetesErrors.VersionRequired, DeployErrorCategory.InvalidArgument,
            "Nothing says what to deploy: pass -Version (a SemVer version such as 1.2.3), pipe in a release, or pass -ImageTag for any other tag.", null),
        _ => throw new DeployException(KubernetesErrors.InvalidVersion, DeployErrorCategory.InvalidArgument,
            $"Pass either -Version ('{version}') or -ImageTag ('{imageTag}'), not both.", version),
    };

    /// <summary>
    /// The tag for <paramref name="version"/>, which must be a full SemVer 2.0 version: 1.2.3, v1.2.3 and
    /// 1.2.3-rc.1 become <c>v1.2.3</c>, <c>v1.2.3</c> and <c>v1.2.3-rc.1</c>, as the runbook tags images.
    /// </summary>
    public static string FromVersion(string version)
    {
        var text = version.Trim();
        if (SemVersion.TryParse(text, SemVersionStyles.AllowV, out var semver) && semver.Metadata.Length == 0)
        {
            return "v" + semver;
        }

        var nearest = Nearest(text);
        var why = LooksLikeVersion(text)
            ? $"it is not a full SemVer 2.0 version (major.minor.patch, no leading zeros, no build metadata, since '+' cannot be part of an image tag){(nearest is null ? "" : $"; the nearest valid version is {nearest}")}"
            : "it is not a version";
        var suggestion = nearest is null ? "Pass a version such as 1.2.3 or v1.2.3" : $"Pass -Version {nearest}";
        throw new DeployException(KubernetesErrors.InvalidVersion, DeployErrorCategory.InvalidArgument,
            $"'{version}' cannot be deployed as a version: {why}. {suggestion}, or pass -ImageTag for a tag that is not a version (latest, sha-1a2b3c).", version);
    }

    /// <summary>An explicit image tag, used as given once it is a valid one (letters, digits, '_', '.', '-'; at most 128).</summary>
    public static string FromImageTag(string tag)
    {
        var text = tag.Trim();
        return IsValidTag(text)
            ? text
            : throw new DeployException(KubernetesErrors.InvalidVersion, DeployErrorCategory.InvalidArgument,
                $"'{tag}' cannot be used as an image tag: a tag is letters, digits, '_', '.' and '-', at most 128, and does not start with '.' or '-'. Pass a valid -ImageTag, or a version with -Version.", tag);
    }

    /// <summary>Whether <paramref name="tag"/> is a valid image tag.</summary>
    public static bool IsValidTag(string tag) => ValidTag().IsMatch(tag);

    /// <summary>Whether <paramref name="text"/> looks like a version: it starts with a digit, or with 'v' and a digit.</summary>
    public static bool LooksLikeVersion(string text) => LooksLike().IsMatch(text);

    /// <summary>
    /// The full version nearest to <paramref name="text"/> (1.2 -> 1.2.0, v1.2.3.4 -> v1.2.3, 01.2.3 -> 1.2.3,
    /// 1.2.3+build.5 -> 1.2.3), keeping its 'v' and a valid pre-release; null when it does not look like a version.
    /// </summary>
    public static string? Nearest(string text)
    {
        var match = Parts().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var numbers = match.Groups["n"].Captures.Select(c => BigIntegerText(c.Value)).Concat(["0", "0"]).Take(3);
        var nearest = match.Groups["v"].Value.ToLowerInvariant() + string.Join('.', numbers);
        var pre = match.Groups["pre"].Value;
        return pre.Length > 0 && SemVersion.TryParse(nearest + "-" + pre, SemVersionStyles.AllowV, out _) ? $"{nearest}-{pre}" : nearest;
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

    // 007 -> 7, 0 -> 0.
    private static string BigIntegerText(string digits) => System.Numerics.BigInteger.Parse(digits, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidTag();

    [GeneratedRegex("^[vV]?[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex LooksLike();

    [GeneratedRegex(@"^(?<v>[vV]?)(?<n>[0-9]+)(?:\.(?<n>[0-9]+))*(?:-(?<pre>[0-9A-Za-z.-]+))?(?:\+.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Parts();
}
