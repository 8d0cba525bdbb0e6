using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>
/// Promotion: a version reaches an environment with <c>promotesFrom: staging</c> only after a Succeeded run of the same
/// version there, as staging's journal records it.
/// </summary>
public static class PromotionCheck
{
    /// <summary>
    /// The Succeeded run in the environment <paramref name="environment"/> is promoted from, or null when it is promoted
    /// from nowhere. Throws PromotionRequired, naming the command that would satisfy it, when there is none.
    /// </summary>
    public static async Task<DeploymentRecord?> RequireAsync(
        DeployConfig config, EnvironmentConfig environment, string tag, OperationHost host, CancellationToken cancellationToken)
    {
        if (environment.PromotesFrom is not { } from)
        {
            return null;
        }

        var source = config.Environment(from);
        if (!source.Kubernetes.Configured)
        {
            throw Required(environment, from, tag, $"{from} keeps no journal (skdeploy.yml gives it no kubernetes section), so no run of it can be found");
        }

        using var cluster = ClusterConnection.Open(source.Kubernetes, null, null, host);
        var runs = await DeploymentJournal.FindAsync(cluster, source, new JournalQuery { Kinds = [RecordKind.Deploy], Version = tag }, cancellationToken).ConfigureAwait(false);
        var succeeded = runs.FirstOrDefault(r => r.Status == RecordStatus.Succeeded);
        if (succeeded is null)
        {
            throw Required(environment, from, tag,
                runs.Count == 0 ? $"{from} has no deployment of it" : $"{from}'s last deployment of it ({runs[0].Id}) ended {runs[0].Status}");
        }

        host.Verbose($"Promotion: {tag} succeeded in {from} (record {succeeded.Id}, by {succeeded.Who.UserName}).");
        return succeeded;
    }

    private static DeployException Required(EnvironmentConfig environment, string from, string tag, string why) =>
        new(DeploymentErrors.PromotionRequired, DeployErrorCategory.InvalidOperation,
            $"{tag} reaches {environment.Name} from {from} (promotesFrom: {from}), but {why}. " +
            $"Deploy it there first: Invoke-SkDeployment -Environment {from} -Version {tag}. Nothing was changed.",
            tag);
}
