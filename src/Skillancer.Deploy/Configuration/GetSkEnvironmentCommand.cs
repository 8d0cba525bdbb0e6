using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Configuration;

/// <summary>
/// <para type="synopsis">Gets the environments that skdeploy.yml describes, with their services in rollout order.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SkEnvironment")]
[OutputType(typeof(EnvironmentConfig))]
public sealed class GetSkEnvironmentCommand : ConfiguredCmdlet
{
    /// <summary>
    /// <para type="description">The environments to get. Wildcards are allowed. When omitted, every environment is
    /// returned. A name without wildcards that the configuration does not define is an EnvironmentNotFound error. Tab
    /// completes the names from the configuration.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Environment")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var config = Config;
        if (Name is null)
        {
            WriteObjects(config.Environments);
            return;
        }

        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                WriteObjects(config.Environments.Where(e => pattern.IsMatch(e.Name)));
                continue;
            }

            try
            {
                WriteObject(config.Environment(name));
            }
            catch (DeployException e)
            {
                WriteError(e);
            }
        }
    }
}
