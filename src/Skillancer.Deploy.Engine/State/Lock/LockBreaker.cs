using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.State.Lock;

/// <summary>What Unlock-SkEnvironment did: the holder whose lock it broke, and the holder's record it marked abandoned.</summary>
public sealed record UnlockResult : IRecordedResult
{
    /// <summary>The environment unlocked.</summary>
    public required string Environment { get; init; }

    /// <summary>The holder whose lock was broken; null when nobody held it.</summary>
    public LockHolder? BrokenHolder { get; init; }

    /// <summary>The id of the holder's journal record, marked Abandoned when it still said Running.</summary>
    public string? AbandonedRecord { get; init; }

    /// <summary>One step: the lock broken, naming its holder.</summary>
    public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps(BrokenHolder is { } holder
        ? [new RecordStep { Name = "break lock", Status = "Broken", Detail = $"held by {holder} (lease holder {holder.Holder}, record {holder.RecordId ?? "none"})" }]
        : [new RecordStep { Name = "break lock", Status = "Free", Detail = "nobody held it any more" }]);
}

/// <summary>
/// Unlock-SkEnvironment's entry point: breaks an environment's lock whoever holds it, as a journaled recovery
/// action. A live holder is broken only with -Force (its next renewal finds the lock lost and it stops); its
/// record is marked Abandoned.
/// </summary>
public static class LockBreaker
{
    /// <summary>
    /// Breaks the lock as <paramref name="request"/> asks; the result names the broken holder (none when the lock was
    /// free: nothing is written then). Null when the user declined. Throws UnlockRequiresForce for a live holder
    /// without <paramref name="force"/>.
    /// </summary>
    public static async Task<UnlockResult?> BreakAsync(ClusterConnection cluster, ChangeRequest request, bool force, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        request.Admission.Require(environment, request.Admission.Kind);
        var holder = await EnvironmentLock.ReadHolderAsync(cluster, environment, cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            host.Verbose($"{environment.Name} is not locked: nothing to break.");
            return new UnlockResult { Environment = environment.Name };
        }

        var live = holder.ExpiresAt > DateTimeOffset.UtcNow;
        if (live && !force)
        {
            throw new DeployException(StateErrors.UnlockRequiresForce, DeployErrorCategory.ResourceBusy,
                $"{environment.Name} is locked by {holder}, renewed at {LockHolder.Clock(holder.RenewedAt)}: that action still runs. " +
                $"Breaking the lock stops it at its next renewal, midway. If it is really gone, run Unlock-SkEnvironment -Environment {environment.Name} -Force; " +
                "otherwise wait for it (Start-SkRollout ... -LockTimeout 5m).",
                environment.Name);
        }

        switch (host.ShouldProcess($"the lock of {environment.Name} (Lease {EnvironmentLock.LeaseName(environment)})", $"Break the lock held by {holder}{(live ? "" : ", expired")}"))
        {
            case Approval.WhatIf or Approval.Declined:
                return null;
        }

        return await EnvironmentChange.RunUnlockedAsync(cluster, request, host, async token =>
        {
            var broken = await EnvironmentLock.BreakAsync(cluster, environment, token).ConfigureAwait(false);
            if (broken is null)
            {
                return new UnlockResult { Environment = environment.Name };
            }

            host.Warning($"The lock of {environment.Name} held by {broken} is broken; if that action still runs, it stops at its next renewal.");
            var abandoned = await EnvironmentChange.AbandonAsync(cluster, request, broken, "its lock was broken with Unlock-SkEnvironment -Force", host, token).ConfigureAwait(false);
            return new UnlockResult { Environment = environment.Name, BrokenHolder = broken, AbandonedRecord = abandoned is { Status: RecordStatus.Abandoned } ? abandoned.Id : null };
        }, cancellationToken).ConfigureAwait(false);
    }
}
