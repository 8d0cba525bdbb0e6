using System.Collections;
using System.Management.Automation;
using Skillancer.Deploy.Engine.Configuration.Starter;

namespace Skillancer.Deploy.Configuration;

/// <summary>
/// <para type="synopsis">Writes a commented starter skdeploy.yml: the runbook's services, or the deployments your cluster runs.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SkConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = RunbookSet)]
[OutputType(typeof(StarterConfiguration))]
public sealed class NewSkConfigurationCommand : DeployCmdlet
{
    private const string RunbookSet = "Runbook";
    private const string FromClusterSet = "FromCluster";

    /// <summary>
    /// <para type="description">The environments to describe, in order. Defaults to staging and production.</para>
    /// </summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Environment { get; set; } = ["staging", "production"];

    /// <summary>
    /// <para type="description">The file to write (a name ending in .yml or .yaml), or a folder to write skdeploy.yml in. Defaults to skdeploy.yml in the current folder.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = Engine.Configuration.ConfigLocator.FileName;

    /// <summary>
    /// <para type="description">Propose the services from the deployments the kubeconfig context shows: their tiers (guessed, marked "# check"), containers, registry and images.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = FromClusterSet)]
    public SwitchParameter FromCluster { get; set; }

    /// <summary>
    /// <para type="description">With -FromCluster, the kubeconfig to read, which the file then names. Defaults to $env:KUBECONFIG, then ~/.kube/config.</para>
    /// </summary>
    [Parameter(ParameterSetName = FromClusterSet)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>
    /// <para type="description">With -FromCluster, the kubeconfig context to read. Defaults to the current context.</para>
    /// </summary>
    [Parameter(ParameterSetName = FromClusterSet)]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>
    /// <para type="description">With -FromCluster, each environment's namespace, e.g. @{ staging = 'skillancer-stg' }. Defaults to the namespace named like the environment.</para>
    /// </summary>
    [Parameter(ParameterSetName = FromClusterSet)]
    [ValidateNotNull]
    public Hashtable? Namespace { get; set; }

    /// <summary>
    /// <para type="description">Overwrite the file if it exists.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void AfterInput()
    {
        var request = new StarterRequest(GetUnresolvedProviderPathFromPSPath(Path), Environment, Force)
        {
            FromCluster = FromCluster,
            Kubeconfig = Kubeconfig is null ? null : GetUnresolvedProviderPathFromPSPath(Kubeconfig),
            Context = Context,
            Namespaces = (Namespace ?? []).Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? string.Empty, e => e.Value?.ToString() ?? string.Empty, StringComparer.OrdinalIgnoreCase),
        };
        if (Await((host, token) => StarterConfigurations.WriteAsync(request, host, token)) is { } written)
        {
            WriteObject(written);
        }
    }
}
