using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net;
using System.Security;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Migrations.Schema;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Completers;

/// <summary>
/// Completes Get-SkDatabaseSchema -Table from the tables of the database the command would read
/// (-ConnectionString, else the environment's, else $env:DATABASE_URL). A database that cannot answer
/// within 2 s gives no suggestions: completion never hangs and never shows an error.
/// </summary>
public sealed class DatabaseTableCompleter : IArgumentCompleter
{
    /// <summary>How long completion waits for the database.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(2);

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

            var given = fakeBoundParameters["ConnectionString"] is SecureString secure
                ? new Secret(new NetworkCredential(string.Empty, secure).Password, "-ConnectionString")
                : null;
            var target = DatabaseLocator.Locate(given, environment);
            var include = fakeBoundParameters["IncludeMigrationsTable"] is true or SwitchParameter { IsPresent: true };
            var tables = Read(target, include);
            return tables is null
                ? []
                : ConfigurationCompletion.Offer(tables.Select(t => (t.Name, t.Rows < 0 ? t.Name : $"{t.Name}: about {t.Rows} rows")), wordToComplete).ToList();
        }
        catch (Exception)
        {
            // No variable, an unreachable or refusing server, a bad connection string: no suggestions.
            return [];
        }
    }

    // The wait is capped here, not only by the token: a driver that ignores cancellation still cannot hold the prompt.
    private static IReadOnlyList<(string Name, long Rows)>? Read(DatabaseTarget target, bool includeMigrationsTable)
    {
        var cancellation = new CancellationTokenSource(Cap);
        var read = Task.Run(() => SchemaReader.TableNamesAsync(target, includeMigrationsTable, cancellation.Token));
        read.ContinueWith(
            finished =>
            {
                _ = finished.Exception; // observed: a late failure after giving up is expected
                cancellation.Dispose();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return read.Wait(Cap) ? read.Result : null;
    }
}
