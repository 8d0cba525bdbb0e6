using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Orchestration.Canary;

/// <summary>
/// The runbook's Rollback notice for an aborted canary: built as New-SkDeploymentNotice builds it, sent and journaled
/// as Send-SkNotification does, with the caller's connection. A notice that cannot be sent is a warning, never a
/// reason to hide the abort.
/// </summary>
internal static class CanaryRollbackNotice
{
    /// <summary>Sends it; null when it was sent, else the note that says why it was not.</summary>
    public static async Task<string?> SendAsync(
        ClusterConnection cluster, CanaryRequest request, string tag, string stableVersion, string reason, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        if (environment.Notifications is null)
        {
            return $"{environment.Name} has no notifications section: nobody was told of the abort.";
        }

        try
        {
            var notice = await NoticeBuilder.BuildAsync(new NoticeRequest(NoticeKind.Rollback)
            {
                Version = tag,
                Environment = environment.Name,
                Service = request.Service.Name,
                FromVersion = tag,
                ToVersion = stableVersion,
                Reason = $"canary aborted: {reason}",
                Folder = request.CurrentDirectory,
            }, host, cancellationToken).ConfigureAwait(false);
            var delivery = NotificationDelivery.For(notice, environment.Name, request.Config.Environment, null);
            await NotificationDelivery.SendAllAsync([delivery], "Invoke-SkCanary", host, cancellationToken, (environment, cluster)).ConfigureAwait(false);
            return null;
        }
        catch (DeployException e)
        {
            host.Warning($"The Rollback notice of the canary could not be sent ({e.Message}); tell the team yourself.");
            return $"The Rollback notice was not sent: {e.Message}";
        }
    }
}
