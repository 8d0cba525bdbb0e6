using System.Management.Automation;
using System.Net;
using System.Security;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Notifications;

/// <summary>
/// <para type="synopsis">Posts deployment notices to a Slack-compatible incoming webhook.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "SkNotification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NotificationResult))]
public sealed class SendSkNotificationCommand : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The notices, from New-SkDeploymentNotice. Other objects fail with NotANotice.</para>
    /// </summary>
    // PSObject, not Notice: parameter types are read at import, before the engine can be resolved.
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>
    /// <para type="description">The environment whose notifications.webhookUrlEnv names the webhook's variable.</para>
    /// </summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">The webhook URL instead of the environment's, as a SecureString.</para>
    /// </summary>
    [Parameter]
    public SecureString? WebhookUrl { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var webhook = Webhook();
        foreach (var item in InputObject)
        {
            if (item.BaseObject is not Notice notice)
            {
                WriteError(new DeployException("NotANotice", DeployErrorCategory.InvalidArgument,
                    $"Send-SkNotification sends notices from New-SkDeploymentNotice; it got a {item.BaseObject.GetType().Name}.", item));
                continue;
            }

            if (!ShouldProcess($"webhook at {new Uri(webhook.Reveal()).Host}", $"Post \"{notice.Title}\""))
            {
                continue;
            }

            WriteObject(Await(async (host, token) =>
            {
                using var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
                return await WebhookSender.SendAsync(client, webhook, notice, host, token).ConfigureAwait(false);
            }));
        }
    }

    private Secret Webhook()
    {
        if (WebhookUrl is not null)
        {
            return Valid(new Secret(new NetworkCredential(string.Empty, WebhookUrl).Password, "-WebhookUrl"), "-WebhookUrl");
        }

        if (Environment is null)
        {
            throw new DeployException("WebhookNotConfigured", DeployErrorCategory.InvalidArgument,
                "Say where to send: -Environment (its notifications.webhookUrlEnv names the webhook's variable) or -WebhookUrl.", null);
        }

        var environment = Config.Environment(Environment);
        var settings = environment.Notifications ?? throw new DeployException("WebhookNotConfigured", DeployErrorCategory.NotSpecified,
            $"Environment '{environment.Name}' has no notifications: section. Add notifications.webhookUrlEnv to {environment.ConfigPath}, or pass -WebhookUrl.", environment.Name);
        return Valid(SecretSource.FromEnvironment(settings.WebhookUrlEnv, "notifications.webhookUrlEnv"), $"${settings.WebhookUrlEnv}");
    }

    private static Secret Valid(Secret webhook, string source) =>
        Uri.TryCreate(webhook.Reveal(), UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? webhook
            : throw new DeployException("WebhookNotConfigured", DeployErrorCategory.InvalidArgument,
                $"{source} does not hold an http(s) URL. Set it to the incoming webhook's URL.", source);
}
