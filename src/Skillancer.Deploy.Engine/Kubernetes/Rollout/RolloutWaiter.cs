using k8s;
using k8s.Autorest;
using k8s.Models;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Kubernetes.Rollout;

/// <summary>
/// Waits for a rollout as `kubectl rollout status` does, on the watch API: it lists the deployment,
/// then watches it from that resourceVersion. A watch that ends or drops resumes from the last
/// version seen (bookmarks included); one that has expired (410 Gone) lists again.
/// </summary>
public static class RolloutWaiter
{
    private static readonly TimeSpan LongestWatch = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Waits until the deployment's rollout is done or failed, or <paramref name="timeout"/> passes
    /// (TimedOut). Every state seen goes to <paramref name="report"/>.
    /// </summary>
    public static async Task<RolloutWait> WaitAsync(
        ClusterConnection cluster, string ns, string name, TimeSpan timeout, Action<RolloutProgress> report, OperationHost host, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var started = DateTimeOffset.UtcNow;
        string? version = null;
        V1Deployment? last = null;
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                if (version is null)
                {
                    var list = await KubeFailures.CallAsync(cluster, ClusterPermissions.ListDeployments, $"list deployment {ns}/{name}", () => cluster.Client.AppsV1.ListNamespacedDeploymentAsync(
                        ns, fieldSelector: $"metadata.name={name}", cancellationToken: deadline.Token)).ConfigureAwait(false);
                    last = list.Items.FirstOrDefault() ?? throw (last is null ? Deployments.NotFound(cluster, ns, name) : Deleted(ns, name));
                    version = list.Metadata.ResourceVersion;
                    if (Judge(last, report) is { } finished)
                    {
                        return finished;
                    }
                }

                var remaining = timeout - (DateTimeOffset.UtcNow - started);
                var seconds = (int)Math.Ceiling(Math.Clamp(remaining.TotalSeconds, 1, LongestWatch.TotalSeconds));
                Exception? streamError = null;
                var events = 0;
                await foreach (var (type, item) in cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync(
                    ns, allowWatchBookmarks: true, fieldSelector: $"metadata.name={name}", resourceVersion: version, timeoutSeconds: seconds,
                    onError: e => streamError = e, cancellationToken: deadline.Token).ConfigureAwait(false))
                {
                    events++;
                    version = item.Metadata?.ResourceVersion ?? version;
                    if (type == WatchEventType.Deleted)
                    {
                        throw Deleted(ns, name);
                    }

                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        last = item;
                        if (Judge(item, report) is { } finished)
                        {
                            return finished;
                        }
                    }
                }

                // The server sends an ERROR event with a Status when the version has expired; the client reports it here.
                if (streamError is KubernetesException { Status.Code: 410 } expired)
                {
                    throw expired;
                }

                if (streamError is not null)
                {
                    throw new IOException(streamError.Message, streamError);
                }

                if (events == 0)
                {
                    // A watch that ends at once with nothing in it is no progress: list again after a pause.
                    host.Verbose($"Kubernetes: the watch on deployment {ns}/{name} ended without events; listing it again");
                    if (!await PauseAsync(pause, deadline.Token, cancellationToken).ConfigureAwait(false))
                    {
                        return TimedOut(last);
                    }

                    pause = Longer(pause);
                    version = null;
                    continue;
                }

                pause = TimeSpan.FromMilliseconds(100);
                host.Verbose($"Kubernetes: the watch on deployment {ns}/{name} ended; resuming from resourceVersion {version}");
            }
            catch (KubernetesException e) when (e.Status?.Code == 410)
            {
                host.Verbose($"Kubernetes: resourceVersion {version} has expired (410 Gone); listing deployment {ns}/{name} again");
                version = null;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return TimedOut(last);
            }
            catch (Exception e) when (IsTransient(e) && !deadline.IsCancellationRequested)
            {
                // The watch dropped (or could not be opened after the client's retries): resume shortly.
                host.Verbose($"Kubernetes: the watch on deployment {ns}/{name} failed ({e.Message}); resuming from resourceVersion {version}");
                if (!await PauseAsync(pause, deadline.Token, cancellationToken).ConfigureAwait(false))
                {
                    return TimedOut(last);
                }

                pause = Longer(pause);
            }
            catch (HttpOperationException e)
            {
                // The list before it succeeded, so this is the watch itself refused: 403 names the missing permission.
                throw KubeFailures.Translate(cluster, ClusterPermissions.WatchDeployments, $"watch deployment {ns}/{name}", e);
            }
        }
    }

    private static RolloutWait TimedOut(V1Deployment? last) => new(last, last is null ? null : RolloutProgress.Of(last), TimedOut: true);

    /// <summary>
    /// Waits before trying again. False when the wait's deadline came first; the caller's own cancellation
    /// is thrown. (A pause inside a catch block is outside that try's handlers, so it cannot just throw.)
    /// </summary>
    private static async Task<bool> PauseAsync(TimeSpan pause, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, deadline).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static TimeSpan Longer(TimeSpan pause) => pause * 2 > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : pause * 2;

    private static bool IsTransient(Exception e) =>
        e is IOException or HttpRequestException || (e is HttpOperationException failed && (int)failed.Response.StatusCode is 429 or >= 500);

    private static RolloutWait? Judge(V1Deployment deployment, Action<RolloutProgress> report)
    {
        var progress = RolloutProgress.Of(deployment);
        report(progress);
        return progress.Done || progress.Failed ? new RolloutWait(deployment, progress, TimedOut: false) : null;
    }

    private static DeployException Deleted(string ns, string name) =>
        new(KubernetesErrors.DeploymentDeleted, DeployErrorCategory.ObjectNotFound,
            $"Deployment {ns}/{name} was deleted while its rollout was being watched. Find out who deleted it before deploying again.", name);
}

/// <summary>How a wait ended: the deployment as last seen, where its rollout stood, and whether time ran out first.</summary>
public sealed record RolloutWait(V1Deployment? Deployment, RolloutProgress? Progress, bool TimedOut)
{
    /// <summary>True when the rollout completed.</summary>
    public bool Done => !TimedOut && Progress?.Done == true;
}
