using System.Globalization;
using k8s.Models;

namespace Skillancer.Deploy.Engine.State.Lock;

/// <summary>Who holds (or last held) an environment's lock, what they are doing and since when, as its Lease records it.</summary>
public sealed record LockHolder
{
    internal const string ActionAnnotation = "skillancer.com/action";
    internal const string VersionAnnotation = "skillancer.com/version";
    internal const string UserAnnotation = "skillancer.com/user";
    internal const string RecordAnnotation = "skillancer.com/record";

    /// <summary>The Lease's holderIdentity: user, host, process and a random part, unique to one acquisition.</summary>
    public required string Holder { get; init; }

    /// <summary>The user the cluster authenticated for the holder.</summary>
    public required string User { get; init; }

    /// <summary>What the holder is doing, e.g. <c>Start-SkRollout v1.2.3</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The version the holder is deploying, when it said.</summary>
    public string? Version { get; init; }

    /// <summary>The id of the holder's journal record, when it wrote one.</summary>
    public string? RecordId { get; init; }

    /// <summary>When the holder took the lock.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>When the holder last renewed it.</summary>
    public required DateTimeOffset RenewedAt { get; init; }

    /// <summary>How long the lock outlives its last renewal.</summary>
    public required TimeSpan LeaseDuration { get; init; }

    /// <summary>When the lock frees itself unless renewed.</summary>
    public DateTimeOffset ExpiresAt => RenewedAt + LeaseDuration;

    /// <summary>"deployer@x (Start-SkRollout v1.2.3, since 14:02:11 UTC)".</summary>
    public override string ToString() =>
        $"{User} ({Action}, since {Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";

    /// <summary>The holder a Lease records, or null when nobody holds it.</summary>
    internal static LockHolder? Of(V1Lease lease)
    {
        var spec = lease.Spec;
        if (string.IsNullOrEmpty(spec?.HolderIdentity))
        {
            return null;
        }

        var annotations = lease.Metadata?.Annotations ?? new Dictionary<string, string>();
        var since = Utc(spec.AcquireTime) ?? Utc(spec.RenewTime) ?? DateTimeOffset.MinValue;
        return new LockHolder
        {
            Holder = spec.HolderIdentity,
            User = annotations.TryGetValue(UserAnnotation, out var user) ? user : spec.HolderIdentity,
            Action = annotations.TryGetValue(ActionAnnotation, out var action) ? action : "an unknown action",
            Version = annotations.TryGetValue(VersionAnnotation, out var version) && version.Length > 0 ? version : null,
            RecordId = annotations.TryGetValue(RecordAnnotation, out var record) && record.Length > 0 ? record : null,
            Since = since,
            RenewedAt = Utc(spec.RenewTime) ?? since,
            LeaseDuration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0),
        };
    }

    /// <summary>"14:02:11 UTC": how the lock's messages say a time.</summary>
    internal static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind)).ToUniversalTime() : null;
}
