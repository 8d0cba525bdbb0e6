using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Skillancer.Deploy.Engine.Migrations.Folder;

namespace Skillancer.Deploy.Completers;

/// <summary>
/// Completes a migration's name from the migrations folder the command would use: -Path, else the
/// environment's database.migrations, else ./prisma/migrations. What is typed matches the start of the
/// name or of the words after its timestamp (add_pay completes 20261120150000_add_payment_status).
/// </summary>
public sealed class MigrationNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if (!MigrationCompletion.TryEnvironment(fakeBoundParameters, out var environment))
            {
                return [];
            }

            var current = ConfigurationCompletion.CurrentFileSystemLocation();
            var given = fakeBoundParameters["Path"] is string path ? MigrationCompletion.ProviderPath(path, current) : null;
            var folder = MigrationFolder.Locate(given, environment?.Database, current);
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var names = MigrationFolder.Names(folder)
                .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || Words(n).StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(n => (n, Path.Join(folder, n, "migration.sql")));
            return ConfigurationCompletion.Offer(names, string.Empty).ToList();
        }
        catch (Exception)
        {
            // Completion must never throw at the user; an unreadable folder simply means no suggestions.
            return [];
        }
    }

    private static string Words(string name) => name.IndexOf('_', StringComparison.Ordinal) is var at and >= 0 ? name[(at + 1)..] : name;
}
