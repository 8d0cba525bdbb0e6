using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Frontend;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration;

/// <summary>Where the runbook's "Deploy Frontend Applications" sends the frontend.</summary>
public enum FrontendTarget
{
    /// <summary>The runbook's <c>vercel deploy --prod</c>.</summary>
    Vercel,

    /// <summary>The frontend tier's rollout in the environment's cluster.</summary>
    Kubernetes,
}

/// <summary>
/// One frontend publish, checked whole by <see cref="Validate"/> before the policy is asked and anything runs.
/// Exactly one of <see cref="Vercel"/> and <see cref="Rollout"/> is set, as <see cref="Target"/> says.
/// </summary>
public sealed record FrontendPublishRequest
{
    private FrontendPublishRequest(EnvironmentConfig environment, FrontendTarget target)
    {
        Environment = environment;
        Target = target;
    }

    /// <summary>The environment published to.</summary>
    public EnvironmentConfig Environment { get; }

    /// <summary>Vercel or the cluster.</summary>
    public FrontendTarget Target { get; }

    /// <summary>The vercel deploy, for <see cref="FrontendTarget.Vercel"/>.</summary>
    public VercelDeployRequest? Vercel { get; private init; }

    /// <summary>The frontend tier's rollout, for <see cref="FrontendTarget.Kubernetes"/>.</summary>
    public RolloutRequest? Rollout { get; private init; }

    /// <summary>A deploy to Vercel.</summary>
    public static FrontendPublishRequest ToVercel(VercelDeployRequest deploy) =>
        new(deploy.Environment, FrontendTarget.Vercel) { Vercel = deploy };

    /// <summary>
    /// The rollout of <paramref name="tag"/> to every service of <paramref name="environment"/> with tier: frontend,
    /// waited for; NoFrontendServices when there is none.
    /// </summary>
    public static FrontendPublishRequest ToCluster(EnvironmentConfig environment, string tag, TimeSpan? timeout, bool undoOnFailure)
    {
        var services = environment.Services.Where(s => s.Tier == ServiceTier.Frontend).ToList();
        if (services.Count == 0)
        {
            throw new DeployException(FrontendErrors.NoFrontendServices, DeployErrorCategory.InvalidArgument,
                $"Environment '{environment.Name}' has no service with tier: frontend in {environment.ConfigPath}. Add the frontend's service, or publish with -Target Vercel.", environment.Name);
        }

        var rollout = new RolloutRequest(environment, services, tag, Wait: true, timeout ?? environment.Kubernetes.RolloutTimeout) { UndoOnFailure = undoOnFailure };
        return new FrontendPublishRequest(environment, FrontendTarget.Kubernetes) { Rollout = rollout };
    }

    /// <summary>Checks every part of the publish; throws the first problem, before anything is asked or changed.</summary>
    public FrontendPublishRequest Validate()
    {
        Vercel?.Validate();
        Rollout?.Validate();
        return this;
    }
}

/// <summary>What a frontend publish did: the Vercel deployment, or the frontend tier's rollout (and its undo).</summary>
/// <param name="Vercel">The deployment Vercel reported; null for the cluster.</param>
/// <param name="Rollout">The rollout's results; null for Vercel.</param>
public sealed record FrontendOutcome(VercelDeployment? Vercel, RolloutOutcome? Rollout) : IRecordedResult
{
    /// <summary>The rollout's steps, or one step for the vercel deploy.</summary>
    public RecordOutcome ToRecordOutcome() =>
        Rollout?.ToRecordOutcome()
        ?? RecordOutcome.OfSteps(Vercel is { } v ? [new RecordStep { Name = "vercel deploy", Status = "Deployed", Duration = v.Duration, Detail = v.Url.ToString() }] : []);

    /// <summary>Every error to report: the rollout's and its undo's (a failed Vercel deploy throws instead).</summary>
    public IReadOnlyList<DeployException> Failures => Rollout?.Failures ?? [];
}

/// <summary>
/// Publish-SkFrontend's entry point, the runbook's "Deploy Frontend Applications": a vercel deploy, or
/// the frontend tier's rollout (the same rollout Start-SkRollout makes, undone on failure when asked).
/// </summary>
public static class FrontendPublish
{
    /// <summary>
    /// Publishes as <paramref name="request"/> says. <paramref name="cluster"/> is the environment's cluster, needed
    /// only for the cluster target (a programming error without it): a Vercel publish needs no kubeconfig.
    /// </summary>
    public static async Task<FrontendOutcome> PublishAsync(
        FrontendPublishRequest request, Admission admission, ClusterConnection? cluster, OperationHost host, CancellationToken cancellationToken)
    {
        request.Validate();
        admission.Require(request.Environment);
        if (request.Vercel is { } deploy)
        {
            return new FrontendOutcome(await VercelCli.DeployAsync(deploy, admission, host, cancellationToken).ConfigureAwait(false), null);
        }

        ArgumentNullException.ThrowIfNull(cluster);
        return new FrontendOutcome(null, await RolloutWithUndo.StartAsync(cluster, request.Rollout!, admission, host, cancellationToken).ConfigureAwait(false));
    }
}
