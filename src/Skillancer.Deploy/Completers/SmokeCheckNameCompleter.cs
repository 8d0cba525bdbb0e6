using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Skillancer.Deploy.Completers;

/// <summary>Completes a smoke check -Name from the smoke: list of the environment already typed (or of every environment).</summary>
public sealed class SmokeCheckNameCompleter : IArgumentCompleter
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
        var checks = config.Environments
            .Where(e => environment is null || string.Equals(e.Name, environment, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Smoke)
            .DistinctBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => (c.Name, $"{c.Method} {c.Path}, expects {c.ExpectStatus}"));
        return ConfigurationCompletion.Offer(checks, wordToComplete);
    }
}
