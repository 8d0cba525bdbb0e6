using System.Collections;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Orchestration.Canary;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Identity;

namespace Skillancer.Deploy.Engine.Tests.Orchestration.Canary;

public class CanaryRequestTests
{
    private static readonly DeployConfig Config = ConfigLoader.Parse("""
        environments:
          staging:
            prometheus: { url: http://127.0.0.1:9090 }
            services:
              - name: web
                tier: frontend
                canary: { virtualService: web, analysis: { steps: [5, 50, 100], minRequests: 100 } }
              - name: api
                tier: gateway
        """, Path.Join(Path.GetTempPath(), "skdeploy.yml"));

    [Fact]
    public void Parameters_and_analysis_override_the_configured_analysis_key_by_key()
    {
        var (tag, analysis) = Request() with { StepDuration = TimeSpan.FromMinutes(5), Analysis = new Hashtable { ["MinRequests"] = 20, ["maxLatencyIncrease"] = "0.1" } } is var request
            ? request.Validate()
            : default;

        Assert.Equal("v1.2.3", tag);
        Assert.Equal([5, 50, 100], analysis.Steps);
        Assert.Equal(TimeSpan.FromMinutes(5), analysis.StepDuration);
        Assert.Equal(20, analysis.MinRequests);
        Assert.Equal(0.1, analysis.MaxLatencyIncrease, 9);
    }

    [Fact]
    public void A_resumed_canary_carries_on_with_the_analysis_its_record_keeps()
    {
        var (_, started) = (Request() with { Steps = [10, 25, 100], Interval = TimeSpan.FromSeconds(3), StepDuration = TimeSpan.FromSeconds(6) }).Validate();
        var record = new DeploymentRecord
        {
            Id = "r1", Kind = RecordKind.Canary, Environment = "staging", Version = "v1.2.3", Action = "Invoke-SkCanary",
            Who = new DeployerIdentity { UserName = "someone", Verified = true }, StartedAt = DateTimeOffset.UnixEpoch,
            Parameters = CanaryRequest.Parameters(started),
        };

        var (tag, resumed) = (Request("") with { Resume = true }).Resuming(record).Validate();

        Assert.Equal("v1.2.3", tag);
        Assert.Equal(started, resumed with { Steps = started.Steps });
        Assert.Equal(started.Steps, resumed.Steps);
    }

    [Theory]
    [InlineData("nope", 1, "'nope' is not a canary.analysis key")]
    [InlineData("failureLimit", "many", "is not a number")]
    [InlineData("interval", "soon", "is not a duration")]
    [InlineData("confidence", 1.5, "out of range")]
    public void A_bad_analysis_is_refused_with_InvalidCanaryAnalysis(string key, object value, string problem)
    {
        var error = Assert.Throws<DeployException>(() => (Request() with { Analysis = new Hashtable { [key] = value } }).Validate());

        Assert.Equal(CanaryErrors.InvalidAnalysis, error.ErrorId);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_service_without_a_canary_section_is_CanaryNotConfigured()
    {
        var error = Assert.Throws<DeployException>(() => new CanaryRequest(Config, Config.Environment("staging"), Config.Environment("staging").Service("api"), "1.2.3").Validate());

        Assert.Equal("CanaryNotConfigured", error.ErrorId);
    }

    private static CanaryRequest Request(string version = "1.2.3") =>
        new(Config, Config.Environment("staging"), Config.Environment("staging").Service("web"), version);
}
