using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>One notice and the webhook it goes to, checked before anything is sent.</summary>
public sealed record NotificationDelivery(Notice Notice, Secret Webhook)
{
    /// <summary>The environment the notice is about, when it names one: its journal records the notice.</summary>
    public EnvironmentConfig? Environment { get; init; }

    /// <summary>
    /// Checks one input of Send-SkNotification and finds its webhook: the object must be a notice (NotANotice), its
    /// environment must agree with <paramref name="environment"/> (TargetMismatch), and the webhook (-WebhookUrl, else
    /// the environment's notifications.webhookUrlEnv) must hold an http(s) URL (WebhookNotConfigured).
    /// </summary>
    public static NotificationDelivery For(object input, string? environment, Func<string, EnvironmentConfig> environments, string? webhookUrl)
    {
        var notice = input as Notice ?? throw new DeployException(NotificationErrors.NotANotice, DeployErrorCategory.InvalidArgument,
            $"Send-SkNotification sends notices from New-SkDeploymentNotice; it got a {input.GetType().Name}. Pipe New-SkDeploymentNotice into it.", input);
        var target = NoticeTarget.Resolve(notice, environment);
        if (webhookUrl is not null)
        {
            return new(notice, Valid(new Secret(webhookUrl, "-WebhookUrl"), "-WebhookUrl")) { Environment = target is null ? null : environments(target) };
        }

        if (target is null)
        {
            throw new DeployException(NotificationErrors.WebhookNotConfigured, DeployErrorCategory.InvalidArgument,
                $"The notice \"{notice.Title}\" names no environment. Say where to send it: -Environment (its notifications.webhookUrlEnv names the webhook's variable) or -WebhookUrl.", null);
        }

        var config = environments(target);
        var settings = config.Notifications ?? throw new DeployException(NotificationErrors.WebhookNotConfigured, DeployErrorCategory.NotSpecified,
            $"Environment '{config.Name}' has no notifications: section. Add notifications.webhookUrlEnv to {config.ConfigPath}, or pass -WebhookUrl.", config.Name);
        return new(notice, Valid(SecretSource.FromEnvironment(settings.WebhookUrlEnv, "notifications.webhookUrlEnv"), $"${settings.WebhookUrlEnv}")) { Environment = config };
    }

    /// <summary>
    /// The emergency notice of an environment, for on-call and the engineering lead: to notifications.emergency.webhookUrlEnv,
    /// or to the main webhook when there is no emergency destination. WebhookNotConfigured without a notifications section.
    /// </summary>
    public static NotificationDelivery ForEmergency(Notice notice, EnvironmentConfig environment)
    {
        var settings = environment.Notifications ?? throw new DeployException(NotificationErrors.WebhookNotConfigured, DeployErrorCategory.NotSpecified,
            $"Environment '{environment.Name}' has no notifications: section, so nobody can be told of the emergency. Add notifications.webhookUrlEnv (and emergency.webhookUrlEnv) to {environment.ConfigPath}.", environment.Name);
        var (variable, key) = settings.EmergencyWebhookUrlEnv is { } emergency
            ? (emergency, "notifications.emergency.webhookUrlEnv")
            : (settings.WebhookUrlEnv, "notifications.webhookUrlEnv");
        return new(notice, Valid(SecretSource.FromEnvironment(variable, key), $"${variable}")) { Environment = environment };
    }

    /// <summary>
    /// Posts each notice whose post the host approves, in order; a result per notice sent. The notices about an
    /// environment that keeps its state in its cluster are recorded in its journal (a Notice record, as
    /// <paramref name="step"/>), which the pre-deployment checklist reads ("stakeholders notified"); -WhatIf records nothing.
    /// A caller already connected to an environment's cluster (a deployment run, the checklist, perhaps with -Kubeconfig)
    /// passes its connection as <paramref name="connected"/>, so that the record names the same identity as its own;
    /// every other environment's record is written with that environment's kubeconfig.
    /// </summary>
    public static async Task<IReadOnlyList<NotificationResult>> SendAllAsync(
        IReadOnlyList<NotificationDelivery> deliveries, string step, OperationHost host, CancellationToken cancellationToken,
        (EnvironmentConfig Environment, ClusterConnection Cluster)? connected = null)
    {
        var results = new List<NotificationResult>();
        foreach (var group in deliveries.GroupBy(d => d.Environment))
        {
            if (group.Key is not { Kubernetes.Configured: true } environment || host.DescribeOnly)
            {
                results.AddRange(await SendAsync([.. group], host, cancellationToken).ConfigureAwait(false));
                continue;
            }

            var own = connected is { } caller && caller.Environment.Name == environment.Name ? caller.Cluster : null;
            using var opened = own is null ? ClusterConnection.Open(environment.Kubernetes, null, null, host) : null;
            var cluster = own ?? opened!;
            var version = group.Select(d => d.Notice.Fields.GetValueOrDefault("Version") ?? d.Notice.Fields.GetValueOrDefault("To Version")).FirstOrDefault(v => v is not null);
            var request = new ChangeRequest(environment, EnvironmentPolicy.Bookkeeping(environment, step), new RecordSubject(RecordKind.Notice, version, []));
            results.AddRange(await EnvironmentChange.RunUnlockedAsync(cluster, request, host, token => SendAsync([.. group], host, token), cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static async Task<IReadOnlyList<NotificationResult>> SendAsync(
        IReadOnlyList<NotificationDelivery> deliveries, OperationHost host, CancellationToken cancellationToken)
    {
        var results = new List<NotificationResult>();
        using var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
        foreach (var (notice, webhook) in deliveries)
        {
            // A notice the user declines (or -WhatIf describes) is skipped; the next one is asked about in turn.
            if (host.ShouldProcess($"webhook at {new Uri(webhook.Reveal()).Host}", $"Post \"{notice.Title}\"") == Approval.Approved)
            {
                results.Add(await WebhookSender.SendAsync(client, webhook, notice, host, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    private static Secret Valid(Secret webhook, string source) =>
        Uri.TryCreate(webhook.Reveal(), UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? webhook
            : throw new DeployException(NotificationErrors.WebhookNotConfigured, DeployErrorCategory.InvalidArgument,
                $"{source} does not hold an http(s) URL. Set it to the incoming webhook's URL.", source);
}
