using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Skillancer.Deploy.Completers;

/// <summary>Completes -Service from the services of the environment already typed (or of every environment).</summary>
public sealed class ServiceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var config = ConfigurationCompletion.TryLoad(fakeBoundParameters);
        if (config is null)
        {
            return [];
        }

        var environment = fakeBoundParameters["Environment"] as string;
        var services = config.Environments
            .Where(e => environment is null || string.Equals(e.Name, environment, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Services)
            .DistinctBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .Select(s => (s.Name, $"{s.DisplayName} ({s.Tier.ToString().ToLowerInvariant()})"));
        return ConfigurationCompletion.Offer(services, wordToComplete);
    }
}
