using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Sandbox.Ci;

/// <summary>
/// GitHub's REST API as far as the checklist asks it, served where a GitHub Enterprise server serves it (<c>/api/v3/</c>):
/// <list type="bullet">
/// <item><c>GET repos/{owner}/{repo}/branches/{branch}</c>: the branch's head. Every published version has its
/// release branch (release/v1.2.3), at a commit id derived from its name; any other branch is 404.</item>
/// <item><c>GET repos/{owner}/{repo}/commits/{ref}/check-runs</c>: the commit's check runs, paginated by per_page and
/// page with a Link header, as GitHub does. A commit nobody set has build, test and lint, all success.</item>
/// <item><c>GET repos/{owner}/{repo}/commits/{ref}/status</c>: the combined status (one context, deploy/preview, success, unless set).</item>
/// </list>
/// Every request needs <c>Authorization: Bearer {token}</c> (401 otherwise) and gets GitHub's x-ratelimit-* headers.
/// The scenario: <c>PUT /sandbox/github/repos/{owner}/{repo}/checks?ref=</c> (a branch or commit) sets its check runs
/// and statuses, a run may conclude only after some reads (<c>completesAfterReads</c>); <c>PUT /sandbox/github/ratelimit</c>
/// spends the rate limit for some seconds, so every request gets 403 with x-ratelimit-remaining: 0 until the reset.
/// </summary>
internal sealed class GitHubApi(string token, IReadOnlyCollection<string> publishedVersions)
{
    private const int Limit = 5000;
    private readonly ConcurrentDictionary<string, CommitChecks> _checks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _releaseBranches = publishedVersions.Select(v => $"release/{v}").ToHashSet(StringComparer.Ordinal);
    private DateTimeOffset _spentUntil = DateTimeOffset.MinValue;
    private int _used;

    /// <summary>The commit id of a branch of the sandbox's repository: stable, derived from its name.</summary>
    public static string CommitOf(string repository, string branch) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{repository}:{branch}")))[..40].ToLowerInvariant();

    public void Map(WebApplication app)
    {
        app.MapGet("/api/v3/repos/{owner}/{repo}/branches/{**branch}", (HttpContext context, string owner, string repo, string branch) =>
            Answer(context, () =>
            {
                branch = Uri.UnescapeDataString(branch);
                if (!_releaseBranches.Contains(branch))
                {
                    return NotFound("Branch not found");
                }

                var sha = CommitOf($"{owner}/{repo}", branch);
                return Results.Json(new { name = branch, commit = new { sha, url = $"{Api(context)}repos/{owner}/{repo}/commits/{sha}" }, @protected = false });
            }));
        app.MapGet("/api/v3/repos/{owner}/{repo}/commits/{reference}/check-runs", (HttpContext context, string owner, string repo, string reference, int? per_page, int? page) =>
            Answer(context, () =>
            {
                var sha = Resolve(owner, repo, reference);
                var size = Math.Clamp(per_page ?? 30, 1, 100);
                var number = Math.Max(page ?? 1, 1);
                var reads = number == 1 ? _reads.AddOrUpdate(sha, 1, (_, n) => n + 1) : _reads.GetValueOrDefault(sha);
                var runs = Checks(sha).CheckRuns;
                var last = Math.Max((runs.Length + size - 1) / size, 1);
                if (number < last)
                {
                    var next = $"{Api(context)}repos/{owner}/{repo}/commits/{reference}/check-runs?per_page={size}&page=";
                    context.Response.Headers.Append("Link", $"<{next}{number + 1}>; rel=\"next\", <{next}{last}>; rel=\"last\"");
                }

                return Results.Json(new
                {
                    total_count = runs.Length,
                    check_runs = runs.Skip((number - 1) * size).Take(size).Select((run, i) => run.ToJson(Api(context), sha, ((number - 1) * size) + i + 1, reads)),
                });
            }));
        app.MapGet("/api/v3/repos/{owner}/{repo}/commits/{reference}/status", (HttpContext context, string owner, string repo, string reference) =>
            Answer(context, () =>
            {
                var sha = Resolve(owner, repo, reference);
                var statuses = Checks(sha).Statuses;
                var state = statuses.Length == 0 ? "pending"
                    : statuses.Any(s => s.State is "failure" or "error") ? "failure"
                    : statuses.Any(s => s.State == "pending") ? "pending"
                    : "success";
                return Results.Json(new
                {
                    state,
                    sha,
                    total_count = statuses.Length,
                    statuses = statuses.Select((s, i) => new
                    {
                        id = i + 1,
                        node_id = $"SC_{i + 1}",
                        state = s.State,
                        context = s.Context,
                        description = s.State,
                        target_url = $"{Api(context)}statuses/{sha}",
                        created_at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                        updated_at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    }),
                    repository = new { id = 1, name = repo, full_name = $"{owner}/{repo}" },
                });
            }));
        app.MapPut("/sandbox/github/repos/{owner}/{repo}/checks", (string owner, string repo, string @ref, CommitChecks checks) =>
        {
            var sha = Resolve(owner, repo, @ref);
            _checks[sha] = checks;
            _reads.TryRemove(sha, out _);
            return Results.Json(new { sha });
        });
        app.MapPut("/sandbox/github/ratelimit", (RateLimitSpent spent) =>
        {
            _spentUntil = DateTimeOffset.UtcNow.AddSeconds(spent.ResetAfterSeconds);
            return Results.NoContent();
        });
    }

    // A branch name (a release branch) or a commit id, as GitHub takes either.
    private string Resolve(string owner, string repo, string reference)
    {
        reference = Uri.UnescapeDataString(reference);
        return _releaseBranches.Contains(reference) ? CommitOf($"{owner}/{repo}", reference) : reference;
    }

    private CommitChecks Checks(string sha) => _checks.GetValueOrDefault(sha) ?? CommitChecks.AllGreen;

    // Authentication and the rate limit, as GitHub answers them, around every API request.
    private IResult Answer(HttpContext context, Func<IResult> respond)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header != $"Bearer {token}" && header != $"token {token}")
        {
            return Results.Json(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
        }

        var spent = DateTimeOffset.UtcNow < _spentUntil;
        var used = spent ? Limit : Interlocked.Increment(ref _used);
        var reset = spent ? _spentUntil : DateTimeOffset.UtcNow.AddHours(1);
        var headers = context.Response.Headers;
        headers["x-ratelimit-limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = Math.Max(Limit - used, 0).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-used"] = used.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-resource"] = "core";
        return spent
            ? Results.Json(new { message = "API rate limit exceeded for installation. Check out the documentation for more details.", documentation_url = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, statusCode: 403)
            : respond();
    }

    private static IResult NotFound(string message) => Results.Json(new { message, documentation_url = "https://docs.github.com/rest" }, statusCode: 404);

    private static string Api(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/api/v3/";

    /// <summary>A commit's checks, as the scenario sets them.</summary>
    internal sealed record CommitChecks(CheckRunState[] CheckRuns, StatusState[] Statuses)
    {
        public static CommitChecks AllGreen { get; } = new(
            [new("build", "completed", "success"), new("test", "completed", "success"), new("lint", "completed", "success")],
            [new("deploy/preview", "success")]);
    }

    /// <summary>One check run: its status and conclusion; with CompletesAfterReads, in_progress until the commit's runs were read that often.</summary>
    internal sealed record CheckRunState(string Name, string Status, string? Conclusion, int? CompletesAfterReads = null)
    {
        public object ToJson(string api, string sha, int id, int reads)
        {
            var completed = Status == "completed" && (CompletesAfterReads is not { } after || reads > after);
            var started = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture);
            return new
            {
                id,
                node_id = $"CR_{id}",
                head_sha = sha,
                external_id = Name,
                name = Name,
                status = completed ? "completed" : Status == "completed" ? "in_progress" : Status,
                conclusion = completed ? Conclusion : null,
                started_at = started,
                completed_at = completed ? DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) : null,
                url = $"{api}check-runs/{id}",
                html_url = $"{api}check-runs/{id}",
                details_url = $"{api}check-runs/{id}",
                output = new { title = Name, summary = Conclusion ?? Status, text = (string?)null, annotations_count = 0, annotations_url = "" },
                check_suite = new { id = 1 },
                app = new { id = 1, slug = "github-actions", name = "GitHub Actions" },
                pull_requests = Array.Empty<object>(),
            };
        }
    }

    /// <summary>One commit status: its context and state (success, failure, error or pending).</summary>
    internal sealed record StatusState(string Context, string State);

    /// <summary>The rate limit, spent for this many seconds.</summary>
    internal sealed record RateLimitSpent(int ResetAfterSeconds);
}
