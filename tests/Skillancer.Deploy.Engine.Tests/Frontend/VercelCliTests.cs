using System.Text.Json;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Frontend;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Frontend;

/// <summary>
/// Publish-SkFrontend's Vercel path. What can run offline runs against the real vercel CLI (build.ps1
/// installs it, $SKDEPLOY_VERCEL); the deploy itself, which needs Vercel's API, runs against the
/// recorded-contract stand-in in tests/fixtures/vercel-standin.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public class VercelCliTests
{
    private static readonly EnvironmentConfig Environment = new()
    {
        Name = "production", Registry = "r", Services = [], Thresholds = ErrorRateThresholds.Runbook, Monitor = MonitorSettings.Runbook,
        Kubernetes = new KubernetesSettings(null, null, "production"), ConfigPath = "/tmp/skdeploy.yml",
    };

    [Fact]
    public async Task The_real_vercel_CLI_reports_its_version_offline()
    {
        var vercel = System.Environment.GetEnvironmentVariable("SKDEPLOY_VERCEL");
        Assert.True(File.Exists(vercel), "the vercel CLI is not installed here; build.ps1 -Task Test installs it and sets $SKDEPLOY_VERCEL");

        var version = await VercelCli.VersionAsync(vercel!, CancellationToken.None);

        Assert.Equal("58.10.0", version);
    }

    [Fact]
    public async Task A_deploy_passes_the_token_only_in_the_environment_and_returns_the_URL_the_CLI_printed()
    {
        using var project = new TempFolder();
        var record = Path.Join(project.Path, "record.json");
        System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_RECORD", record);
        try
        {
            var deployment = await DeployAsync(RepositoryFiles.VercelStandIn, project.Path, "vca_test_token_7d1f");
            var seen = JsonDocument.Parse(await File.ReadAllTextAsync(record)).RootElement;

            Assert.Equal(new Uri("https://skillancer-web-prod-a1b2c3.vercel.app"), deployment.Url);
            Assert.True(deployment.Production);
            Assert.Equal(["deploy", "--prod", "--yes", "--cwd", project.Path], seen.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
            Assert.True(seen.GetProperty("tokenInEnvironment").GetBoolean());
            Assert.False(seen.GetProperty("tokenInArguments").GetBoolean());
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_RECORD", null);
        }
    }

    [Fact]
    public async Task A_refused_token_fails_with_the_CLIs_words_but_never_the_token()
    {
        using var project = new TempFolder();
        System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_FAIL", "1");
        try
        {
            var failure = await Assert.ThrowsAsync<DeployException>(() => DeployAsync(RepositoryFiles.VercelStandIn, project.Path, "vca_refused_token_93ac"));

            Assert.Equal(VercelCli.DeployFailed, failure.ErrorId);
            Assert.Contains("exit code 1", failure.Message, StringComparison.Ordinal);
            Assert.Contains("The specified token is not valid", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("vca_refused_token_93ac", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("VERCEL_STANDIN_FAIL", null);
        }
    }

    [Fact]
    public async Task A_missing_CLI_says_how_to_install_it_or_to_use_Kubernetes()
    {
        using var project = new TempFolder();

        var failure = await Assert.ThrowsAsync<DeployException>(() => DeployAsync(Path.Join(project.Path, "no-vercel-here"), project.Path, "vca_x_token"));

        Assert.Equal(VercelCli.NotInstalled, failure.ErrorId);
        Assert.Contains("npm install --global vercel", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-Target Kubernetes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preview_deploy_has_no_prod_flag_and_no_argument_ever_carries_a_token()
    {
        Assert.Equal(["deploy", "--yes", "--cwd", "/app"], VercelCli.DeployArguments("/app", false));
        Assert.DoesNotContain(VercelCli.DeployArguments("/app", true), a => a.StartsWith("--token", StringComparison.Ordinal));
    }

    private static async Task<VercelDeployment> DeployAsync(string program, string path, string token) =>
        (await VercelCli.DeployAsync(new VercelDeployRequest(Environment, path, true, program, new Secret(token, "test"), TimeSpan.FromMinutes(1)), Admissions.For(Environment), OperationHost.Silent, CancellationToken.None))!;
}
