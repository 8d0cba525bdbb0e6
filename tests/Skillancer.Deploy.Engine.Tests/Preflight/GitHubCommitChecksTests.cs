using Skillancer.Deploy.Engine.Preflight.Checks;

namespace Skillancer.Deploy.Engine.Tests.Preflight;

/// <summary>Where the CI item asks GitHub: github.com's API, or a GitHub Enterprise server's /api/v3/, however ci.url spells it.</summary>
public class GitHubCommitChecksTests
{
    [Theory]
    [InlineData(null, "https://api.github.com/")]
    [InlineData("https://github.com", "https://api.github.com/")]
    [InlineData("https://github.skillancer.com", "https://github.skillancer.com/api/v3/")]
    [InlineData("https://github.skillancer.com/api/v3", "https://github.skillancer.com/api/v3/")]
    [InlineData("https://github.skillancer.com/api/v3/", "https://github.skillancer.com/api/v3/")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/api/v3/")]
    public void The_api_base_is_githubs_or_the_enterprise_servers(string? url, string expected)
    {
        Assert.Equal(expected, GitHubCommitChecks.ApiBase(url is null ? null : new Uri(url)).AbsoluteUri);
    }
}
