using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>The error ids of the pre-deployment checklist.</summary>
public static class PreflightErrors
{
    /// <summary>The checklist failed: one or more items Failed.</summary>
    public const string PreflightFailed = "PreflightFailed";

    /// <summary>-Attest or -Emergency without -Reason.</summary>
    public const string ReasonRequired = "PreflightReasonRequired";

    /// <summary>-Attest of an item that its system of record answers.</summary>
    public const string NotAttestable = "PreflightNotAttestable";

    /// <summary>-Commit that is not a commit id.</summary>
    public const string InvalidCommit = "InvalidCommit";

    /// <summary>The gate's error for these results; null when no item Failed.</summary>
    public static DeployException? Failure(IReadOnlyList<PreflightResult> results)
    {
        var failed = results.Where(r => !r.Ok).ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        var first = results[0];
        return new DeployException(PreflightFailed, DeployErrorCategory.InvalidResult,
            $"The pre-deployment checklist of {first.Version} for {first.Environment} failed on {failed.Count} of {results.Count} items: " +
            $"{string.Join("; ", failed.Select(f => $"{f.Item}: {f.Detail}"))} Fix them, or attest what no system can answer (-Attest <item> -Reason '...'), then run Test-SkPreflight again.",
            failed.Select(f => f.Item.ToString()).ToList());
    }
}
