using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Configuration;

public class CanaryAnalysisConfigTests
{
    [Fact]
    public void A_canary_without_analysis_gets_the_runbook_canary()
    {
        var web = Parse("canary: { virtualService: web }").Canary!;

        Assert.Equal([5, 25, 50, 100], web.Analysis.Steps);
        Assert.Equal(TimeSpan.FromHours(1), web.Analysis.StepDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), web.Analysis.Interval);
        Assert.Equal((2, 200, 2), (web.Analysis.FailureLimit, web.Analysis.MinRequests, web.Analysis.MaxStepExtensions));
        Assert.Equal((0.005, 0.2, 0.95), (web.Analysis.MaxErrorRatioIncrease, web.Analysis.MaxLatencyIncrease, web.Analysis.Confidence));
    }

    [Fact]
    public void Every_analysis_key_of_the_contract_is_read_without_a_warning()
    {
        var config = ConfigLoader.Parse(Yaml("""
            canary:
              virtualService: web
              analysis:
                steps: [10, 50, 100]
                stepDuration: 10m
                interval: 30s
                failureLimit: 3
                minRequests: 500
                maxStepExtensions: 1
                maxErrorRatioIncrease: 1%
                maxLatencyIncrease: 150%
                confidence: 0.99
            """), ConfigPath);

        var analysis = config.Environment("staging").Service("web").Canary!.Analysis;
        Assert.Empty(config.Warnings);
        Assert.Equal([10, 50, 100], analysis.Steps);
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30)), (analysis.StepDuration, analysis.Interval));
        Assert.Equal((3, 500, 1), (analysis.FailureLimit, analysis.MinRequests, analysis.MaxStepExtensions));
        Assert.Equal(0.01, analysis.MaxErrorRatioIncrease, 9);
        Assert.Equal(1.5, analysis.MaxLatencyIncrease, 9);
        Assert.Equal(0.99, analysis.Confidence, 9);
    }

    [Fact]
    public void The_per_track_queries_default_to_the_traffic_metrics_and_are_read_from_the_prometheus_section()
    {
        var defaults = ConfigLoader.Parse(Yaml("", prometheus: "prometheus: { url: http://127.0.0.1:9090 }"), ConfigPath).Environment("staging").Prometheus!;
        var custom = ConfigLoader.Parse(Yaml("", prometheus: "prometheus: { url: http://127.0.0.1:9090, latencyQuery: 'lat{track=\"{track}\"}', trackErrorRateQuery: 'err{track=\"{track}\"}', trackRequestsQuery: 'req[{window}]' }"), ConfigPath);

        Assert.Contains("http_request_duration_seconds_bucket", defaults.LatencyQuery);
        Assert.Contains("track=\"{track}\"", defaults.TrackErrorRateQuery);
        Assert.Contains("[{window}]", defaults.TrackRequestsQuery);
        Assert.Empty(custom.Warnings);
        var prometheus = custom.Environment("staging").Prometheus!;
        Assert.Equal(("lat{track=\"{track}\"}", "err{track=\"{track}\"}", "req[{window}]"), (prometheus.LatencyQuery, prometheus.TrackErrorRateQuery, prometheus.TrackRequestsQuery));
    }

    [Theory]
    [InlineData("steps: [25, 5, 100]", "do not rise")]
    [InlineData("steps: [5, 50]", "do not rise")]
    [InlineData("steps: [0, 100]", "not a share of traffic")]
    [InlineData("{ stepDuration: 10s, interval: 1m }", "does not fit")]
    [InlineData("confidence: 1.5", "not a rate")]
    [InlineData("maxLatencyIncrease: fast", "not a relative increase")]
    public void An_analysis_that_cannot_work_is_a_config_error_at_its_line(string analysis, string problem)
    {
        var error = Assert.ThrowsAny<DeployException>(() => Parse($"canary: {{ virtualService: web, analysis: {(analysis.StartsWith('{') ? analysis : "{ " + analysis + " }")} }}"));

        Assert.StartsWith("ConfigInvalid", error.ErrorId);
        Assert.Contains(problem, error.Message);
        Assert.Contains("skdeploy.yml:", error.Message);
    }

    private static readonly string ConfigPath = Path.Join(Path.GetTempPath(), "skdeploy.yml");

    private static ServiceConfig Parse(string canary) => ConfigLoader.Parse(Yaml(canary), ConfigPath).Environment("staging").Service("web");

    private static string Yaml(string canary, string prometheus = "") => $"""
        environments:
          staging:
            {prometheus}
            services:
              - name: web
                tier: frontend
                {canary.Replace("\n", "\n        ", StringComparison.Ordinal)}
        """;
}
