using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>
/// The CallerReference of one clear: <c>skdeploy-{environment}-{version}-{digest}-{slot}</c>. The digest
/// (of the environment, the version and the paths in any order) names the clear; the slot is the UTC
/// time rounded down to a multiple of the dedupe window. A rerun is matched by the <see cref="Prefix"/>
/// (CloudFront's own list), and two runs at the same moment share the slot, so CloudFront itself
/// returns the first invalidation to the second.
/// </summary>
public sealed class InvalidationReference
{
    private InvalidationReference(string prefix) => Prefix = prefix;

    /// <summary>Everything up to the slot: what every reference of this clear starts with.</summary>
    public string Prefix { get; }

    /// <summary>The clear of these paths of this version (or of no version) in this environment.</summary>
    public static InvalidationReference For(string environment, string? version, IReadOnlyList<string> paths)
    {
        // The environment and version go into the digest too, so "a-b"/"c" and "a"/"b-c" cannot share a prefix.
        var named = string.Join('\n', new[] { environment, version ?? string.Empty }.Concat(paths.Order(StringComparer.Ordinal)));
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(named))).ToLowerInvariant()[..16];
        return new InvalidationReference(version is null ? $"skdeploy-{environment}-{digest}-" : $"skdeploy-{environment}-{version}-{digest}-");
    }

    /// <summary>The reference for a clear made at <paramref name="now"/>: the prefix and the start of the window's slot.</summary>
    public string At(DateTimeOffset now, TimeSpan window)
    {
        var ticks = now.UtcTicks - (now.UtcTicks % Math.Max(window.Ticks, TimeSpan.TicksPerSecond));
        return Prefix + new DateTime(ticks, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="callerReference"/> is a reference of this clear (of any slot).</summary>
    public bool Matches(string? callerReference) => callerReference?.StartsWith(Prefix, StringComparison.Ordinal) == true;
}
