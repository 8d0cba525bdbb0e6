using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release.Git;

/// <summary>
/// What a failed push leaves behind and how to go on, in the same words for every step that pushes
/// (New-SkRelease's release commit, Update-SkChangelog's changelog commit).
/// </summary>
internal static class PushFailure
{
    /// <summary>"The release commit abc1234 is on the local branch ...; nothing was pushed. To resume: git push --set-upstream ..."</summary>
    public static string Resume(string what, string? commit, string remote, string branch) =>
        $"The {what}{(commit is null ? string.Empty : " " + commit[..Math.Min(7, commit.Length)])} is on the local branch {branch}; nothing was pushed. " +
        $"To resume: git push --set-upstream {remote} {branch}.";

    /// <summary>
    /// The failure of a step, keeping the ids a user acts on differently (a refused push, an unreachable
    /// remote, no git) and naming everything else <c>ReleaseStepFailed</c>; <paramref name="state"/> says what is left.
    /// </summary>
    public static DeployException Wrap(string action, DeployException cause, string state, object? target) =>
        new(cause.ErrorId is ReleaseErrors.PushRejected or ReleaseErrors.RemoteUnreachable or ReleaseErrors.GitNotInstalled ? cause.ErrorId : ReleaseErrors.ReleaseStepFailed,
            cause.Category, Sentences.Join($"The step \"{action}\" failed: {cause.Message}", state), target, cause);
}
