using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "All tests passing in CI": the release commit (the head of release/{tag}, or -Commit) has every required check
/// concluded success on GitHub, check runs and statuses alike. A check still running fails the item, unless -WaitForCi
/// gives it time: then the checks are asked again, less and less often, until they conclude or the time is up.
/// </summary>
public sealed class CiCheck : PreflightCheck
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(15);

    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.CiPassing;

    /// <inheritdoc/>
    public override string Checklist => "All tests passing in CI";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.Ci is not { } settings)
        {
            return PreflightVerdict.NotConfigured($"{environment.Name} has no ci section (ci: {{ provider: github, repository, tokenEnv }}): nothing says where the release's tests run.");
        }

        var request = context.Request;
        var github = new GitHubCommitChecks(settings, request.Timeout, context.Host);
        var branch = ReleaseVersion.BranchName(ReleaseVersion.Parse(context.Tag));
        var commit = request.Commit ?? await github.BranchHeadAsync(branch, cancellationToken).ConfigureAwait(false);
        var where = $"{settings.FullName}@{GitHubCommitChecks.Short(commit)}{(request.Commit is null ? $" ({branch})" : "")}";
        var waitUntil = DateTimeOffset.UtcNow + (request.WaitForCi ?? TimeSpan.Zero);
        var poll = FirstPoll;
        while (true)
        {
            var checks = Required(await github.ChecksAsync(commit, cancellationToken).ConfigureAwait(false), settings.RequiredChecks);
            var failed = checks.Where(c => c.Outcome == CiOutcome.Failed).ToList();
            if (failed.Count > 0)
            {
                return PreflightVerdict.Failed(
                    $"CI failed on {where}: {string.Join(", ", failed.Select(Describe))}. Fix the failure and release a new version; a failed check is not waited for.",
                    commit);
            }

            var pending = checks.Where(c => c.Outcome == CiOutcome.Pending).ToList();
            if (checks.Count > 0 && pending.Count == 0)
            {
                return PreflightVerdict.Passed($"All {checks.Count} CI checks passed on {where}.", commit);
            }

            var now = DateTimeOffset.UtcNow;
            if (now + poll > waitUntil)
            {
                var still = pending.Count == 0 ? "no CI check has reported yet" : $"{pending.Count} of {checks.Count} CI checks have not concluded ({string.Join(", ", pending.Select(Describe))})";
                return PreflightVerdict.Failed(
                    $"On {where}, {still}{(request.WaitForCi is { } waited ? $" after waiting {DurationParser.Format(waited)}" : "")}. " +
                    "Wait for CI to finish, or let the checklist wait for it: Test-SkPreflight ... -WaitForCi 10m.",
                    commit);
            }

            context.Host.Progress(new ProgressUpdate("CI checks", $"{where}: waiting for {(pending.Count == 0 ? "the first check" : string.Join(", ", pending.Select(p => p.Name)))}"));
            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
        }
    }

    // The checks that count: every one reported, or those ci.requiredChecks names (one not reported yet is pending).
    private static IReadOnlyList<CiCheckState> Required(IReadOnlyList<CiCheckState> reported, IReadOnlyList<string> required) =>
        required.Count == 0
            ? reported
            : [.. required.Select(name => reported.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? new CiCheckState(name, CiOutcome.Pending, "not reported", null))];

    private static string Describe(CiCheckState check) => $"{check.Name} ({check.State}{(check.Url is { } url ? $", {url}" : "")})";
}
