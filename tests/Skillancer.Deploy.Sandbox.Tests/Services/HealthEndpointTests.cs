using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

public class HealthEndpointTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public HealthEndpointTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public void The_written_configuration_is_valid_and_points_every_service_at_the_sandbox()
    {
        var config = ConfigLoader.Load(_sandbox.Host.ConfigPath);

        Assert.Empty(config.Warnings);
        Assert.Equal(["staging", "production"], config.Environments.Select(e => e.Name));
        var services = config.Environment("staging").Services;
        Assert.Equal(["auth-svc", "market-svc", "skillpod-svc", "api-gateway", "web"], services.Select(s => s.Name));
        Assert.All(services, s => Assert.StartsWith(_sandbox.Host.BaseUrl.ToString(), s.Health!.ToString(), StringComparison.Ordinal));
        Assert.EndsWith("/web/api/health", services.Single(s => s.Name == "web").Health!.ToString(), StringComparison.Ordinal);
        Assert.True(config.Environment("production").RequireApproval);
    }

    [Fact]
    public void It_writes_its_address_and_configuration_path_for_scripts()
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Join(Path.GetDirectoryName(_sandbox.Host.ConfigPath), "sandbox.json")));

        Assert.Equal(_sandbox.Host.BaseUrl.ToString(), json.RootElement.GetProperty("baseUrl").GetString());
        Assert.Equal(_sandbox.Host.ConfigPath, json.RootElement.GetProperty("configPath").GetString());
    }

    [Fact]
    public async Task A_health_endpoint_answers_200_with_a_healthy_body()
    {
        using var response = await _sandbox.Client.GetAsync(Url("svc/staging/api-gateway/health"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("api-gateway", body.GetProperty("service").GetString());
    }

    [Fact]
    public async Task Only_health_paths_are_served()
    {
        using var response = await _sandbox.Client.GetAsync(Url("svc/staging/api-gateway/admin"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_control_API_makes_a_service_fail_a_number_of_times_and_then_recover()
    {
        var service = "market-" + Guid.NewGuid().ToString("N")[..6];
        using var put = await _sandbox.Client.PutAsJsonAsync(Url($"sandbox/health/staging/{service}"), new { statusCode = 503, failures = 2 });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _sandbox.Client.GetAsync(Url($"svc/staging/{service}/health"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task Environments_are_independent()
    {
        var service = "auth-" + Guid.NewGuid().ToString("N")[..6];
        using var put = await _sandbox.Client.PutAsJsonAsync(Url($"sandbox/health/production/{service}"), new { statusCode = 500 });

        using var production = await _sandbox.Client.GetAsync(Url($"svc/production/{service}/health"));
        using var staging = await _sandbox.Client.GetAsync(Url($"svc/staging/{service}/health"));

        Assert.Equal(HttpStatusCode.InternalServerError, production.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staging.StatusCode);
    }

    [Fact]
    public async Task The_engine_health_checker_sees_the_sandbox_services_as_healthy()
    {
        var staging = ConfigLoader.Load(_sandbox.Host.ConfigPath).Environment("staging");

        var results = await HealthChecker.CheckAsync(
            staging.Services.Select(HealthTargets.For).ToList(), HealthCheckOptions.Default, OperationHost.Silent, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Healthy, r.Error));
        Assert.Equal(5, results.Count);
    }

    private Uri Url(string relative) => new(_sandbox.Host.BaseUrl, relative);
}
