using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Skillancer.Deploy.Engine.FeatureFlags;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Completers;

/// <summary>Completes a flag -Name from the feature-flag API of the environment already typed; offers nothing when the API cannot answer within 2 s.</summary>
public sealed class FeatureFlagNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var config = ConfigurationCompletion.TryLoad(fakeBoundParameters);
        if (config is null || fakeBoundParameters["Environment"] is not string name
            || config.Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) is not { FeatureFlags: not null } environment)
        {
            return [];
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var api = FeatureFlagApi.Open(environment, skipCertificateCheck: false, OperationHost.Silent);
            var flags = api.ListAsync(timeout.Token).GetAwaiter().GetResult();
            return ConfigurationCompletion.Offer(flags.Select(f => (f.Name, $"{(f.Enabled ? "on" : "off")}, {f.RolloutPercentage}%")), wordToComplete);
        }
        catch (Exception e) when (e is DeployException or OperationCanceledException or HttpRequestException)
        {
            return [];
        }
    }
}
