using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;
using Skillancer.Deploy.Engine.Verification.Smoke;

namespace Skillancer.Deploy.Engine.Tests.Verification;

/// <summary>The configured smoke checks against the sandbox's web app, whose pages follow what the cluster runs.</summary>
public class SmokeRunnerTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Fact]
    public async Task The_runbook_checklist_passes_in_order_against_a_healthy_environment()
    {
        var environment = await sandbox.NewEnvironmentAsync();

        var results = await SmokeRunner.RunAsync(new SmokeRequest(environment, environment.Smoke), OperationHost.Silent, CancellationToken.None);

        Assert.Equal(["Homepage loads", "User can log in", "Job listing works", "Proposal submission works", "Payment flow accessible"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Passed, r.Detail));
        Assert.All(results, r => Assert.Equal(SmokeKind.Http, r.Kind));
        Assert.Equal("201", results[3].Detail.Split(' ')[0]);
    }

    [Fact]
    public async Task A_faulty_version_fails_the_checks_of_the_pages_it_serves_and_says_why()
    {
        var environment = await sandbox.NewEnvironmentAsync();

        await sandbox.RollOutAsync(environment, "market-svc", "v1.2.3-faulty");
        var results = (await SmokeRunner.RunAsync(new SmokeRequest(environment, environment.Smoke), OperationHost.Silent, CancellationToken.None)).ToDictionary(r => r.Name);

        Assert.True(results["Homepage loads"].Passed);
        Assert.False(results["Job listing works"].Passed);
        Assert.Contains("market-svc failed the request", results["Job listing works"].Detail, StringComparison.Ordinal);
        Assert.False(results["Proposal submission works"].Passed);
        Assert.Contains("expected status 201, got 500", results["Proposal submission works"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_text_and_JSON_values_that_do_not_hold_fail_the_check()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        SmokeCheck[] checks =
        [
            new("Wrong text", "GET", "/", 200) { ExpectBodyContains = ["Skillancer", "Nowhere to be seen"] },
            new("Wrong value", "GET", "/api/jobs", 200) { ExpectJson = [KeyValuePair.Create("total", "4"), KeyValuePair.Create("jobs[1].title", "Translate a product page")] },
            new("Missing path", "GET", "/api/jobs", 200) { ExpectJson = [KeyValuePair.Create("jobs[9].id", "1")] },
            new("Not JSON", "GET", "/", 200) { ExpectJson = [KeyValuePair.Create("total", "3")] },
        ];

        var results = await SmokeRunner.RunAsync(new SmokeRequest(environment, checks), OperationHost.Silent, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(SmokeOutcome.Failed, r.Outcome));
        Assert.EndsWith("the body does not contain 'Nowhere to be seen'", results[0].Detail, StringComparison.Ordinal);
        Assert.EndsWith("total is '3', expected '4'", results[1].Detail, StringComparison.Ordinal);
        Assert.Contains("the JSON has no 'jobs[9].id'", results[2].Detail, StringComparison.Ordinal);
        Assert.Contains("expected JSON", results[3].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_endpoint_fails_at_its_timeout_while_the_other_checks_finish()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var ns = environment.Kubernetes.Namespace;
        var fault = await sandbox.AddFaultAsync(new { method = "GET", path = $"/svc/{ns}/web/api/payments/checkout", latencyMs = 30_000 });
        try
        {
            var checks = environment.Smoke.Select(c => c.Name == "Payment flow accessible" ? c with { Timeout = TimeSpan.FromMilliseconds(300) } : c).ToList();

            var results = await SmokeRunner.RunAsync(new SmokeRequest(environment, checks), OperationHost.Silent, CancellationToken.None);

            Assert.Equal("no answer within 0.3 s (timeout)", results.Single(r => r.Name == "Payment flow accessible").Detail);
            Assert.Equal(4, results.Count(r => r.Passed));
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task A_secret_header_comes_from_its_variable_and_never_appears_in_a_result()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        var token = Environment.GetEnvironmentVariable("SKDEPLOY_SANDBOX_SMOKE_AUTHORIZATION")!;
        var verbose = new List<string>();
        SmokeCheck[] checks =
        [
            new("Signed in", "GET", "/api/me", 200) { Headers = [new SmokeHeader("Authorization", null, "SKDEPLOY_SANDBOX_SMOKE_AUTHORIZATION")], ExpectBodyContains = [token] },
        ];

        var results = await SmokeRunner.RunAsync(new SmokeRequest(environment, checks), new OperationHost(verbose.Add, _ => { }, _ => { }), CancellationToken.None);

        Assert.False(results[0].Passed); // the body never holds the token, and the detail must not either
        Assert.DoesNotContain(token.Split(' ')[1], results[0].Detail, StringComparison.Ordinal);
        Assert.All(verbose, v => Assert.DoesNotContain(token.Split(' ')[1], v, StringComparison.Ordinal));
        Assert.StartsWith("200", results[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secret_stops_before_any_request()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        SmokeCheck[] checks =
        [
            new("Plain", "GET", "/", 200),
            new("Signed in", "GET", "/api/me", 200) { Headers = [new SmokeHeader("Authorization", null, "SKDEPLOY_TEST_UNSET_SMOKE_TOKEN")] },
        ];
        var before = (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count;

        var failure = await Assert.ThrowsAsync<DeployException>(() => SmokeRunner.RunAsync(new SmokeRequest(environment, checks), OperationHost.Silent, CancellationToken.None));

        Assert.Equal("SecretNotSet", failure.ErrorId);
        Assert.Contains("SKDEPLOY_TEST_UNSET_SMOKE_TOKEN", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await sandbox.RequestsAsync(environment.Kubernetes.Namespace)).Count);
    }

    [Fact]
    public async Task Nothing_to_run_and_no_url_are_clear_errors()
    {
        var environment = await sandbox.NewEnvironmentAsync();

        var nothing = await Assert.ThrowsAsync<DeployException>(() => SmokeRunner.RunAsync(new SmokeRequest(environment, []), OperationHost.Silent, CancellationToken.None));
        var noUrl = await Assert.ThrowsAsync<DeployException>(() => SmokeRunner.RunAsync(new SmokeRequest(environment with { Url = null }, environment.Smoke), OperationHost.Silent, CancellationToken.None));

        Assert.Equal(SmokeRunner.NoSmokeChecks, nothing.ErrorId);
        Assert.Equal(SmokeRunner.UrlNotSet, noUrl.ErrorId);
    }
}
