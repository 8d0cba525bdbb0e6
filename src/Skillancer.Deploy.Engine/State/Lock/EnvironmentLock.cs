using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Identity;

namespace Skillancer.Deploy.Engine.State.Lock;

/// <summary>
/// One writer per environment: a Lease (coordination.k8s.io/v1) named <c>skdeploy-&lt;environment&gt;</c> in the
/// environment's namespace, the primitive leader election uses. Acquired before an action's first change,
/// renewed in the background at a third of its duration, and released (holder cleared) when disposed, on
/// failure and on Ctrl+C too. Every write names the resourceVersion it read, so of two acquirers racing
/// only one wins. A holder that stopped renewing (its process died) is taken over once its lease
/// expired, with a warning naming it; a lock that cannot be renewed is reported through <see cref="Lost"/>.
/// Expiry is judged by this machine's clock against the holder's renewTime, so clocks must roughly agree
/// (well under the lease duration), as for leader election.
/// </summary>
public sealed class EnvironmentLock : IAsyncDisposable
{
    /// <summary>The label every object of the deployment state carries.</summary>
    public const string ManagedBy = "skillancer-deploy";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);
    private readonly ClusterConnection _cluster;
    private readonly OperationHost _host;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private V1Lease _lease;
    private int _disposed;

    private EnvironmentLock(ClusterConnection cluster, V1Lease lease, LockHolder? tookOverFrom, OperationHost host)
    {
        _cluster = cluster;
        _lease = lease;
        _host = host;
        Holder = LockHolder.Of(lease)!;
        TookOverFrom = tookOverFrom;
        _renewal = Task.Run(RenewAsync);
    }

    /// <summary>This acquisition, as the Lease records it.</summary>
    public LockHolder Holder { get; }

    /// <summary>The holder whose expired lease this acquisition took over (its process died), or null.</summary>
    public LockHolder? TookOverFrom { get; }

    /// <summary>Cancelled when the lock is lost: taken by someone else, or not renewed within its duration. Link it into the action's token.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>The Lease's name for <paramref name="environment"/>.</summary>
    public static string LeaseName(EnvironmentConfig environment) => "skdeploy-" + environment.Name.ToLowerInvariant();

    /// <summary>
    /// Takes the environment's lock: creates its Lease, takes a free or expired one over, or, while
    /// <see cref="LockRequest.Wait"/> lasts, waits for the holder; then DeploymentLocked, naming the holder.
    /// </summary>
    public static async Task<EnvironmentLock> AcquireAsync(ClusterConnection cluster, LockRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        var environment = request.Environment;
        var deadline = DateTimeOffset.UtcNow + request.Wait;
        var holderIdentity = $"{request.Identity.UserName}/{request.Identity.HostName}/{Environment.ProcessId}/{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        var waited = false;
        while (true)
        {
            var existing = await ReadAsync(cluster, environment, cancellationToken).ConfigureAwait(false);
            var now = DateTime.UtcNow;
            if (existing is null)
            {
                var created = await TryWriteAsync(cluster, environment, Claim(NewLease(environment), request, holderIdentity, now), create: true, cancellationToken).ConfigureAwait(false);
                if (created is not null)
                {
                    return new EnvironmentLock(cluster, created, null, host);
                }

                continue;
            }

            var holder = LockHolder.Of(existing);
            if (holder is null || holder.ExpiresAt <= now)
            {
                var taken = await TryWriteAsync(cluster, environment, Claim(existing, request, holderIdentity, now), create: false, cancellationToken).ConfigureAwait(false);
                if (taken is null)
                {
                    continue;
                }

                if (holder is not null)
                {
                    host.Warning($"The lock of {environment.Name} was held by {holder}, which stopped renewing it at {LockHolder.Clock(holder.RenewedAt)} (its process likely died); it expired at {LockHolder.Clock(holder.ExpiresAt)} and is now taken over.");
                }

                return new EnvironmentLock(cluster, taken, holder, host);
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw Locked(environment, holder, waited ? request.Wait : null);
            }

            if (!waited)
            {
                host.Verbose($"{environment.Name} is locked by {holder}; waiting up to {DurationParser.Format(request.Wait)} for it.");
                waited = true;
            }

            var untilExpiry = holder.ExpiresAt - DateTimeOffset.UtcNow;
            var pause = new[] { PollInterval, left, untilExpiry }.Where(t => t > TimeSpan.Zero).DefaultIfEmpty(TimeSpan.FromMilliseconds(50)).Min();
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The error for an action whose lock was lost while it ran (<see cref="Lost"/>).</summary>
    public DeployException LostError() =>
        new(StateErrors.LockLost, DeployErrorCategory.ResourceBusy,
            $"{Holder.Action} stopped: it lost the lock of {EnvironmentOf(_lease).Name} while it ran (see the warning before this error). Check what it changed (Get-SkDeployment), then run it again.",
            EnvironmentOf(_lease).Name);

    /// <summary>Who holds the environment's lock now, or null when nobody does (or it expired: the holder is then returned with <see cref="LockHolder.ExpiresAt"/> past).</summary>
    public static async Task<LockHolder?> ReadHolderAsync(ClusterConnection cluster, EnvironmentConfig environment, CancellationToken cancellationToken) =>
        await ReadAsync(cluster, environment, cancellationToken).ConfigureAwait(false) is { } lease ? LockHolder.Of(lease) : null;

    /// <summary>
    /// Breaks the environment's lock whoever holds it (Unlock-SkEnvironment -Force): clears the holder and
    /// returns who held it, or null when nobody did. The holder's next renewal finds the lock lost.
    /// </summary>
    public static async Task<LockHolder?> BreakAsync(ClusterConnection cluster, EnvironmentConfig environment, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lease = await ReadAsync(cluster, environment, cancellationToken).ConfigureAwait(false);
            if (lease is null || LockHolder.Of(lease) is not { } holder)
            {
                return null;
            }

            if (await TryWriteAsync(cluster, environment, Cleared(lease), create: false, cancellationToken).ConfigureAwait(false) is not null)
            {
                return holder;
            }
        }
    }

    /// <summary>Stops renewing and releases the lock (when it is still this acquisition's); a release that fails is a warning, and the lease then expires by itself.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            try
            {
                await ReleaseAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DeployException or OperationCanceledException)
            {
                _host.Warning($"The lock of {Holder.Action} could not be released ({e.Message}); it frees itself at {LockHolder.Clock(DateTimeOffset.UtcNow + Holder.LeaseDuration)}.");
            }
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var environment = EnvironmentOf(_lease);
        var lease = _lease;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (LockHolder.Of(lease)?.Holder != Holder.Holder)
            {
                return;
            }

            if (await TryWriteAsync(_cluster, environment, Cleared(lease), create: false, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            lease = await ReadAsync(_cluster, environment, cancellationToken).ConfigureAwait(false) ?? throw new OperationCanceledException("the Lease was deleted");
        }
    }

    private async Task RenewAsync()
    {
        var environment = EnvironmentOf(_lease);
        var every = Holder.LeaseDuration / 3;
        var renewed = DateTimeOffset.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var renewal = Renewed(_lease, DateTime.UtcNow);
                if (await TryWriteAsync(_cluster, environment, renewal, create: false, _stop.Token).ConfigureAwait(false) is { } written)
                {
                    _lease = written;
                    renewed = DateTimeOffset.UtcNow;
                    continue;
                }

                // Someone wrote the Lease since: it is still ours only if its holder is.
                var current = await ReadAsync(_cluster, environment, _stop.Token).ConfigureAwait(false);
                if (current is not null && LockHolder.Of(current)?.Holder == Holder.Holder)
                {
                    _lease = current;
                    continue;
                }

                await LoseAsync(current is null ? "its Lease was deleted" : $"it is now held by {LockHolder.Of(current)?.ToString() ?? "nobody (it was broken with Unlock-SkEnvironment -Force)"}").ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (DeployException e)
            {
                _host.Verbose($"Renewing the lock of {environment.Name} failed: {e.Message}");
                if (DateTimeOffset.UtcNow - renewed >= Holder.LeaseDuration)
                {
                    await LoseAsync($"it could not be renewed for {DurationParser.Format(Holder.LeaseDuration)} ({e.Message})").ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task LoseAsync(string why)
    {
        _host.Warning($"The lock of {EnvironmentOf(_lease).Name} was lost: {why}. {Holder.Action} stops; check what it changed before running it again.");
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    // Only the name and namespace matter for reads and writes.
    private static EnvironmentConfig EnvironmentOf(V1Lease lease) => new()
    {
        Name = lease.Metadata.Labels?.TryGetValue(EnvironmentLabel, out var name) == true ? name : lease.Metadata.Name["skdeploy-".Length..],
        Registry = string.Empty,
        Services = [],
        Thresholds = ErrorRateThresholds.Runbook,
        Monitor = MonitorSettings.Runbook,
        Kubernetes = new KubernetesSettings(null, null, lease.Metadata.NamespaceProperty),
        ConfigPath = string.Empty,
    };

    private const string EnvironmentLabel = "skillancer.com/environment";

    private static V1Lease NewLease(EnvironmentConfig environment) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta
        {
            Name = LeaseName(environment),
            NamespaceProperty = environment.Kubernetes.Namespace,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = ManagedBy, [EnvironmentLabel] = environment.Name },
        },
        Spec = new V1LeaseSpec(),
    };

    private static V1Lease Claim(V1Lease lease, LockRequest request, string holderIdentity, DateTime now)
    {
        var annotations = new Dictionary<string, string>(lease.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            [LockHolder.ActionAnnotation] = request.Action,
            [LockHolder.VersionAnnotation] = request.Version ?? string.Empty,
            [LockHolder.UserAnnotation] = request.Identity.UserName,
            [LockHolder.RecordAnnotation] = request.RecordId ?? string.Empty,
        };
        return new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta
            {
                Name = lease.Metadata.Name,
                NamespaceProperty = lease.Metadata.NamespaceProperty,
                ResourceVersion = lease.Metadata.ResourceVersion,
                Labels = lease.Metadata.Labels,
                Annotations = annotations,
            },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = holderIdentity,
                LeaseDurationSeconds = (int)request.Environment.State.LeaseDuration.TotalSeconds,
                AcquireTime = now,
                RenewTime = now,
                // As leader election counts them: a new Lease starts at 0, every change of holder adds one.
                LeaseTransitions = lease.Metadata.ResourceVersion is null ? 0 : (lease.Spec?.LeaseTransitions ?? 0) + 1,
            },
        };
    }

    private static V1Lease Renewed(V1Lease lease, DateTime now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = lease.Metadata,
        Spec = new V1LeaseSpec
        {
            HolderIdentity = lease.Spec.HolderIdentity,
            LeaseDurationSeconds = lease.Spec.LeaseDurationSeconds,
            AcquireTime = lease.Spec.AcquireTime,
            RenewTime = now,
            LeaseTransitions = lease.Spec.LeaseTransitions,
        },
    };

    // A free lock keeps its Lease (and its transitions count), with no holder, as client-go's leader election releases.
    private static V1Lease Cleared(V1Lease lease) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = lease.Metadata,
        Spec = new V1LeaseSpec { LeaseTransitions = lease.Spec?.LeaseTransitions },
    };

    private static Task<V1Lease?> ReadAsync(ClusterConnection cluster, EnvironmentConfig environment, CancellationToken cancellationToken) =>
        KubeFailures.FindAsync(cluster, ClusterPermissions.GetLease, $"read the lock of {environment.Name} (Lease {LeaseName(environment)})", () =>
            cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName(environment), environment.Kubernetes.Namespace, cancellationToken: cancellationToken));

    // The Lease as written, or null when someone else wrote it first (409 Conflict; or 404 / 409 AlreadyExists for a create race).
    private static async Task<V1Lease?> TryWriteAsync(ClusterConnection cluster, EnvironmentConfig environment, V1Lease lease, bool create, CancellationToken cancellationToken)
    {
        var ns = environment.Kubernetes.Namespace;
        try
        {
            return create
                ? await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(lease, ns, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict || (!create && e.Response.StatusCode == HttpStatusCode.NotFound))
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw KubeFailures.Translate(cluster, create ? ClusterPermissions.CreateLease : ClusterPermissions.UpdateLease, $"write the lock of {environment.Name} (Lease {LeaseName(environment)})", e);
        }
        catch (HttpRequestException e)
        {
            throw KubeFailures.Unreachable(cluster, e);
        }
    }

    private static DeployException Locked(EnvironmentConfig environment, LockHolder holder, TimeSpan? waited) =>
        new(StateErrors.DeploymentLocked, DeployErrorCategory.ResourceBusy,
            $"{environment.Name} is locked by {holder}{(waited is { } w ? $", still after waiting {DurationParser.Format(w)}" : "")}. " +
            $"Its lease was renewed at {LockHolder.Clock(holder.RenewedAt)} and frees itself at {LockHolder.Clock(holder.ExpiresAt)} unless renewed. " +
            $"Wait for it with -LockTimeout (e.g. -LockTimeout 5m), or, if that holder is gone for good, break the lock with Unlock-SkEnvironment -Environment {environment.Name} -Force.",
            environment.Name);
}
