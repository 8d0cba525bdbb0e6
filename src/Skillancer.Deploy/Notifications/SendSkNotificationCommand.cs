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
    private readonly List<(Notice Notice, Secret Webhook)> _queue = [];
    private readonly Dictionary<string, Secret> _webhooks = new(StringComparer.OrdinalIgnoreCase);
    private int _refused;

    /// <summary>
    /// <para type="description">The notices, from New-SkDeploymentNotice. Other objects fail with NotANotice.</para>
    /// </summary>
    // PSObject, not Notice: parameter types are read at import, before the engine can be resolved.
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>
    /// <para type="description">The environment whose notifications.webhookUrlEnv names the webhook's variable. A notice
    /// that carries its environment needs none; one that differs from the notice's is refused with TargetMismatch.</para>
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
        // Every notice is checked, and its webhook found, before the first one is sent.
        foreach (var item in InputObject)
        {
            try
            {
                var notice = item.BaseObject as Notice ?? throw new DeployException("NotANotice", DeployErrorCategory.InvalidArgument,
                    $"Send-SkNotification sends notices from New-SkDeploymentNotice; it got a {item.BaseObject.GetType().Name}.", item);
                _queue.Add((notice, Webhook(notice)));
            }
            catch (DeployException e)
            {
                _refused++;
                WriteError(e);
            }
        }
    }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        if (_refused > 0)
        {
            if (_queue.Count > 0)
            {
                WriteWarning($"Nothing was sent: {_refused} input(s) were refused, so the other {_queue.Count} notice(s) were held back too. Fix the input and run the command again.");
            }

            return;
        }

        foreach (var (notice, webhook) in _queue)
        {
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

    private Secret Webhook(Notice notice)
    {
        var target = NoticeTarget.Resolve(notice, Environment);
        if (WebhookUrl is not null)
        {
            return Valid(new Secret(new NetworkCredential(string.Empty, WebhookUrl).Password, "-WebhookUrl"), "-WebhookUrl");
        }

        if (target is null)
        {
            throw new DeployException("WebhookNotConfigured", DeployErrorCategory.InvalidArgument,
                $"The notice \"{notice.Title}\" names no environment. Say where to send it: -Environment (its notifications.webhookUrlEnv names the webhook's variable) or -WebhookUrl.", null);
        }

        var environment = Config.Environment(target);
        if (_webhooks.TryGetValue(environment.Name, out var known))
        {
            return known;
        }

        var settings = environment.Notifications ?? throw new DeployException("WebhookNotConfigured", DeployErrorCategory.NotSpecified,
            $"Environment '{environment.Name}' has no notifications: section. Add notifications.webhookUrlEnv to {environment.ConfigPath}, or pass -WebhookUrl.", environment.Name);
        return _webhooks[environment.Name] = Valid(SecretSource.FromEnvironment(settings.WebhookUrlEnv, "notifications.webhookUrlEnv"), $"${settings.WebhookUrlEnv}");
    }

    private static Secret Valid(Secret webhook, string source) =>
        Uri.TryCreate(webhook.Reveal(), UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? webhook
            : throw new DeployException("WebhookNotConfigured", DeployErrorCategory.InvalidArgument,
                $"{source} does not hold an http(s) URL. Set it to the incoming webhook's URL.", source);
}
