using System.Numerics;
using Semver;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release;

/// <summary>Release versions: SemVer 2 (via the Semver library), written with a 'v' in tags and branch names.</summary>
public static class ReleaseVersion
{
    /// <summary>Parses 1.2.3, v1.2.3 or 1.3.0-rc.1; build metadata is refused, as npm drops it.</summary>
    public static SemVersion Parse(string text)
    {
        if (SemVersion.TryParse(text?.Trim() ?? string.Empty, SemVersionStyles.AllowV, out var version) && version.Metadata.Length == 0)
        {
            return version;
        }

        throw new DeployException(ReleaseErrors.InvalidVersion, DeployErrorCategory.InvalidArgument,
            $"'{text}' is not a release version. Use SemVer 2 without build metadata, for example 1.2.3, v1.2.3 or 1.3.0-rc.1.", text);
    }

    /// <summary>Parses a version found in a file; an unparseable one counts as 0.0.0, as npm treats a missing one.</summary>
    public static SemVersion ParseCurrent(string? text) =>
        text is not null && SemVersion.TryParse(text.Trim(), SemVersionStyles.AllowV | SemVersionStyles.AllowWhitespace, out var version)
            ? version.WithoutMetadata()
            : new SemVersion(0, 0, 0);

    /// <summary>Raises <paramref name="current"/> the way <c>npm version</c> (node-semver's inc) does.</summary>
    public static SemVersion Bump(SemVersion current, VersionBump bump, string? preId = null) => bump switch
    {
        VersionBump.Major => current.IsPrerelease && current.Minor == 0 && current.Patch == 0
            ? current.WithoutPrereleaseOrMetadata()
            : new SemVersion(current.Major + 1, 0, 0),
        VersionBump.Minor => current.IsPrerelease && current.Patch == 0
            ? current.WithoutPrereleaseOrMetadata()
            : new SemVersion(current.Major, current.Minor + 1, 0),
        VersionBump.Patch => current.IsPrerelease
            ? current.WithoutPrereleaseOrMetadata()
            : new SemVersion(current.Major, current.Minor, current.Patch + 1),
        VersionBump.Prerelease => BumpPrerelease(current, preId),
        _ => throw new ArgumentOutOfRangeException(nameof(bump)),
    };

    /// <summary>The tag and branch spelling of a version: v1.2.3.</summary>
    public static string Tag(SemVersion version) => $"v{version}";

    /// <summary>The runbook's release branch: release/v1.2.3.</summary>
    public static string BranchName(SemVersion version) => $"release/{Tag(version)}";

    private static SemVersion BumpPrerelease(SemVersion current, string? preId)
    {
        if (!current.IsPrerelease)
        {
            var next = new SemVersion(current.Major, current.Minor, current.Patch + 1);
            return string.IsNullOrEmpty(preId) ? next.WithPrerelease("0") : next.WithPrerelease(preId, "0");
        }

        var identifiers = current.PrereleaseIdentifiers.Select(i => i.Value).ToList();
        if (!string.IsNullOrEmpty(preId) && identifiers[0] != preId)
        {
            return current.WithPrerelease(preId, "0");
        }

        var lastNumber = identifiers.FindLastIndex(i => BigInteger.TryParse(i, out _));
        if (lastNumber < 0)
        {
            identifiers.Add("0");
        }
        else
        {
            identifiers[lastNumber] = (BigInteger.Parse(identifiers[lastNumber], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return current.WithPrerelease(identifiers);
    }
}
