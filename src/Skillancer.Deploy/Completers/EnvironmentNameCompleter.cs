using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Skillancer.Deploy.Completers;

/// <summary>Completes -Environment from the environments of the configuration the command would read.</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var config = ConfigurationCompletion.TryLoad(fakeBoundParameters);
        return config is null
            ? []
            : ConfigurationCompletion.Offer(config.Environments.Select(e => (e.Name, $"{e.Name}: {e.Services.Count} services{(e.RequireApproval ? ", requires approval" : string.Empty)}")), wordToComplete);
    }
}
