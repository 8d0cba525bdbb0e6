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
    private readonly List<NotificationDelivery> _queue = [];
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
        var url = WebhookUrl is null ? null : new NetworkCredential(string.Empty, WebhookUrl).Password;
        foreach (var item in InputObject)
        {
            try
            {
                _queue.Add(NotificationDelivery.For(item.BaseObject, Environment, name => Config.Environment(name), url));
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

        var step = MyInvocation.MyCommand.Name;
        WriteObjects(Await((host, token) => NotificationDelivery.SendAllAsync(_queue, step, host, token)));
    }
}
