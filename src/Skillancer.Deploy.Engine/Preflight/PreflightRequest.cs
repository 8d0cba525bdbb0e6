using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>Test-SkPreflight: which environment, which version, which items, and what a person attests.</summary>
/// <param name="Config">The whole configuration (the environment a version is promoted from is in it).</param>
/// <param name="Environment">The environment about to be deployed to.</param>
/// <param name="Version">The version about to be deployed: 1.2.3 or v1.2.3.</param>
/// <param name="CurrentDirectory">Where a migrations folder that is not configured is looked for (./prisma/migrations).</param>
public sealed partial record PreflightRequest(DeployConfig Config, EnvironmentConfig Environment, string Version, string CurrentDirectory)
{
    /// <summary>Only these items (-Item); null for all.</summary>
    public IReadOnlyList<PreflightItem>? Items { get; init; }

    /// <summary>Items a person attests (-Attest), with <see cref="Reason"/>.</summary>
    public IReadOnlyList<PreflightItem> Attest { get; init; } = [];

    /// <summary>Why the attested items hold (-Reason): recorded in the journal with the attester's identity.</summary>
    public string? Reason { get; init; }

    /// <summary>Check the window as an emergency would be (-Emergency, with <see cref="Reason"/>).</summary>
    public bool Emergency { get; init; }

    /// <summary>The flags expected (-FlagsFile), instead of the environment's featureFlags.expected; null for those.</summary>
    public IReadOnlyDictionary<string, ExpectedFlag>? ExpectedFlags { get; init; }

    /// <summary>-Notify: send the runbook's "Deployment Started" notice now, which passes "stakeholders notified".</summary>
    public bool Notify { get; init; }

    /// <summary>The record of the deployment run that asks (Invoke-SkDeployment): the lock that run holds is no reason to stop it.</summary>
    public string? RunRecordId { get; init; }

    /// <summary>The commit whose CI is checked (-Commit); null for the head of the version's release branch.</summary>
    public string? Commit { get; init; }

    /// <summary>How long to wait for CI checks still running (-WaitForCi); null: a running check fails the item at once.</summary>
    public TimeSpan? WaitForCi { get; init; }

    /// <summary>The longest an item waits when its system asks it to (GitHub's rate limit until its reset; -Timeout).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>-Timeout's default: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The version as its tag, and the items to check; InvalidVersion, or PreflightReasonRequired for -Attest or
    /// -Emergency without -Reason. Checked before anything is asked.
    /// </summary>
    public (string Tag, IReadOnlyList<PreflightItem> Items) Validate()
    {
        var tag = ImageTags.FromVersion(Version);
        if ((Attest.Count > 0 || Emergency) && string.IsNullOrWhiteSpace(Reason))
        {
            throw new DeployException(PreflightErrors.ReasonRequired, DeployErrorCategory.InvalidArgument,
                $"{(Attest.Count > 0 ? $"-Attest {string.Join(",", Attest)}" : "-Emergency")} needs -Reason '<why it holds>': the journal records it with your identity. Nothing was checked.",
                "Reason");
        }

        if (Commit is not null && !CommitPattern().IsMatch(Commit))
        {
            throw new DeployException(PreflightErrors.InvalidCommit, DeployErrorCategory.InvalidArgument,
                $"-Commit '{Commit}' is not a commit id: pass 7 to 40 hexadecimal digits (git rev-parse HEAD), or leave -Commit out to check the head of release/{tag}. Nothing was checked.",
                Commit);
        }

        if (WaitForCi is { } wait)
        {
            TimeoutCheck.Require(wait, TimeSpan.FromSeconds(1), "WaitForCi", "the CI checks");
        }

        TimeoutCheck.Require(Timeout, TimeSpan.FromSeconds(1), "Timeout", "a system of record that asks to wait");

        return (tag, Items ?? Enum.GetValues<PreflightItem>());
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial System.Text.RegularExpressions.Regex CommitPattern();
}
