using System.Globalization;
using Octokit;
using Octokit.Internal;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>How one CI check on a commit stands.</summary>
internal enum CiOutcome
{
    /// <summary>Concluded success (or neutral, or skipped: what GitHub's branch protection counts as passing).</summary>
    Passed,

    /// <summary>Concluded anything else: failure, cancelled, timed out, action required, stale; a status of failure or error.</summary>
    Failed,

    /// <summary>Queued, in progress, waiting; a status still pending; or a required check that has not reported yet.</summary>
    Pending,
}

/// <summary>One CI check on a commit: a check run (GitHub Actions, apps) or a commit status (older integrations).</summary>
internal sealed record CiCheckState(string Name, CiOutcome Outcome, string State, string? Url);

/// <summary>
/// GitHub's view of a repository's CI, through Octokit: the head of a branch, and every check run (all pages) and the
/// combined status of a commit. A spent rate limit (403 with x-ratelimit-remaining: 0) waits for its reset while that
/// comes before the deadline, and otherwise fails saying when to try again.
/// </summary>
internal sealed class GitHubCommitChecks
{
    private readonly GitHubClient _client;
    private readonly CiSettings _settings;
    private readonly DateTimeOffset _deadline;
    private readonly TimeSpan _timeout;
    private readonly OperationHost _host;

    /// <summary>A client for <paramref name="settings"/>' repository, whose rate-limit waits end by <paramref name="timeout"/> from now.</summary>
    public GitHubCommitChecks(CiSettings settings, TimeSpan timeout, OperationHost host)
    {
        var token = SecretSource.FromEnvironment(settings.TokenEnv, "ci.tokenEnv");
        var connection = new Connection(
            new ProductHeaderValue("Skillancer.Deploy"),
            ApiBase(settings.Url),
            new InMemoryCredentialStore(new Credentials(token.Reveal(), AuthenticationType.Bearer)));
        connection.SetRequestTimeout(TimeSpan.FromSeconds(30));
        _client = new GitHubClient(connection);
        _settings = settings;
        _timeout = timeout;
        _deadline = DateTimeOffset.UtcNow + timeout;
        _host = host;
    }

    /// <summary>Where the API answers: api.github.com, or a GitHub Enterprise server's /api/v3/.</summary>
    public static Uri ApiBase(Uri? server) =>
        server is null || server.Host is "github.com" or "api.github.com" ? GitHubClient.GitHubApiUrl
        : server.AbsolutePath.TrimEnd('/').EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase) ? new Uri(server.AbsoluteUri.TrimEnd('/') + "/")
        : new Uri(new Uri(server.AbsoluteUri.TrimEnd('/') + "/"), "api/v3/");

    /// <summary>The commit at the head of <paramref name="branch"/>; CiCommitNotFound when GitHub has no such branch.</summary>
    public async Task<string> BranchHeadAsync(string branch, CancellationToken cancellationToken)
    {
        try
        {
            var found = await CallAsync(() => _client.Repository.Branch.Get(_settings.Owner, _settings.Repository, branch), cancellationToken).ConfigureAwait(false);
            return found.Commit.Sha;
        }
        catch (NotFoundException)
        {
            throw new DeployException("CiCommitNotFound", DeployErrorCategory.ObjectNotFound,
                $"GitHub has no branch {branch} in {_settings.FullName}. Push the release branch (New-SkRelease does), or name the release commit with -Commit <sha>.", branch);
        }
    }

    /// <summary>Every check on <paramref name="commit"/>: the latest run of each check run, then each status context.</summary>
    public async Task<IReadOnlyList<CiCheckState>> ChecksAsync(string commit, CancellationToken cancellationToken)
    {
        try
        {
            var runs = await CallAsync(
                () => _client.Check.Run.GetAllForReference(_settings.Owner, _settings.Repository, commit,
                    new CheckRunRequest { Filter = CheckRunCompletedAtFilter.Latest }, new ApiOptions { PageSize = 100 }),
                cancellationToken).ConfigureAwait(false);
            var combined = await CallAsync(() => _client.Repository.Status.GetCombined(_settings.Owner, _settings.Repository, commit), cancellationToken).ConfigureAwait(false);
            _host.Verbose($"GitHub: {runs.CheckRuns.Count} check runs and {combined.Statuses.Count} statuses on {_settings.FullName}@{Short(commit)}.");
            return [.. runs.CheckRuns.Select(Of), .. combined.Statuses.Select(Of)];
        }
        catch (NotFoundException)
        {
            throw new DeployException("CiCommitNotFound", DeployErrorCategory.ObjectNotFound,
                $"GitHub has no commit {commit} in {_settings.FullName}. Check -Commit, or push the commit first.", commit);
        }
    }

    /// <summary>A commit id as people read it: its first 7 digits.</summary>
    public static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    private static CiCheckState Of(CheckRun run)
    {
        var status = run.Status.StringValue;
        var conclusion = run.Conclusion?.StringValue;
        var outcome = status != "completed" ? CiOutcome.Pending
            : conclusion is "success" or "neutral" or "skipped" ? CiOutcome.Passed
            : CiOutcome.Failed;
        return new CiCheckState(run.Name, outcome, conclusion ?? status, run.HtmlUrl ?? run.DetailsUrl);
    }

    private static CiCheckState Of(CommitStatus status)
    {
        var state = status.State.StringValue;
        var outcome = state switch { "success" => CiOutcome.Passed, "pending" => CiOutcome.Pending, _ => CiOutcome.Failed };
        return new CiCheckState(status.Context, outcome, state, status.TargetUrl);
    }

    // One request, translated: a spent rate limit waits for its reset (up to the deadline); GitHub's refusals say what to fix.
    private async Task<T> CallAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await request().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RateLimitExceededException e)
            {
                await WaitForResetAsync(e.Reset, $"GitHub's rate limit for this token is spent ({e.Limit} requests an hour)", cancellationToken).ConfigureAwait(false);
            }
            catch (SecondaryRateLimitExceededException e)
            {
                var retryAfter = e.HttpResponse.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : TimeSpan.FromMinutes(1);
                await WaitForResetAsync(DateTimeOffset.UtcNow + retryAfter, "GitHub's secondary rate limit asks to slow down", cancellationToken).ConfigureAwait(false);
            }
            catch (AuthorizationException)
            {
                throw Refused(401);
            }
            catch (ForbiddenException)
            {
                throw Refused(403);
            }
            catch (HttpRequestException e)
            {
                throw new DeployException("CiProviderUnavailable", DeployErrorCategory.ConnectionError,
                    $"GitHub at {_client.Connection.BaseAddress.Authority} did not answer ({e.Message}). Check ci.url, or your network, then run Test-SkPreflight again.", _settings.FullName, e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DeployException("CiProviderUnavailable", DeployErrorCategory.OperationTimeout,
                    $"GitHub at {_client.Connection.BaseAddress.Authority} did not answer within 30s. Check ci.url, or try again when GitHub answers.", _settings.FullName, e);
            }
        }
    }

    private async Task WaitForResetAsync(DateTimeOffset reset, string why, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        // The reset is in whole seconds: wait past it, at least a second, so the next request is not refused again.
        var resumeAt = (reset > now ? reset : now) + TimeSpan.FromSeconds(1);
        if (resumeAt > _deadline)
        {
            throw new DeployException("CiRateLimited", DeployErrorCategory.ResourceBusy,
                $"{why} until {reset.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC, after -Timeout ({DurationParser.Format(_timeout)}) runs out. " +
                "Run Test-SkPreflight again after that time, pass a longer -Timeout, or use a token with a higher limit (a GitHub App's).",
                _settings.FullName);
        }

        _host.Warning($"{why}: waiting until {reset.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC, then asking again.");
        _host.Progress(new ProgressUpdate("CI checks", $"Rate limited by GitHub: waiting until {reset.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC"));
        await Task.Delay(resumeAt - now, cancellationToken).ConfigureAwait(false);
    }

    private DeployException Refused(int status) =>
        new("CiProviderRefused", DeployErrorCategory.PermissionDenied,
            $"GitHub answered HTTP {status} for {_settings.FullName}. Check that ci.tokenEnv (${_settings.TokenEnv}) holds a token that can read the repository's checks and statuses (checks:read, statuses:read).",
            _settings.FullName);
}
