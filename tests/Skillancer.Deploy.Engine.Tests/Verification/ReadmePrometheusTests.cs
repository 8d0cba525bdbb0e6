using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Tests.Verification;

/// <summary>
/// README's Prometheus recording rule and the queries that read it: promtool loads and evaluates the
/// rule, the queries (as the module fills them in) give the error ratio, and a real Prometheus parses them.
/// </summary>
public class ReadmePrometheusTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private const string Section = "Prometheus: the metrics the default queries read";

    [Fact]
    public void Promtool_accepts_the_recording_rule_and_the_queries_read_5_errors_in_100_requests_as_0_05()
    {
        var (rules, environment) = Documented();
        using var folder = new TempFolder();
        folder.Write("skillancer-deploy.rules.yml", rules);
        var web = environment.Service("web");
        // Every 15 s, web in production serves 95 good and 5 failed requests; another namespace fails more, and must not count.
        var test = $$"""
            rule_files: [skillancer-deploy.rules.yml]
            evaluation_interval: 15s
            tests:
              - interval: 15s
                input_series:
                  - series: 'http_requests_total{code="200",namespace="production",service="web"}'
                    values: '0+95x40'
                  - series: 'http_requests_total{code="503",namespace="production",service="web"}'
                    values: '0+5x40'
                  - series: 'http_requests_total{code="500",namespace="staging",service="web"}'
                    values: '0+50x40'
                promql_expr_test:
                  - expr: '{{Quoted(ErrorRateQueries.For(environment, null, null))}}'
                    eval_time: 5m
                    exp_samples: [{ labels: '{}', value: 0.05 }]
                  - expr: '{{Quoted(ErrorRateQueries.For(environment, web, null))}}'
                    eval_time: 5m
                    exp_samples: [{ labels: '{}', value: 0.05 }]
            """;
        folder.Write("readme.test.yml", test);

        ExternalProgram.Run("promtool", folder.Path, ["check", "rules", "skillancer-deploy.rules.yml"]);
        var output = ExternalProgram.Run("promtool", folder.Path, ["test", "rules", "readme.test.yml"]);

        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_Prometheus_parses_both_queries_as_the_module_fills_them_in()
    {
        var (_, documented) = Documented();
        var server = sandbox.Config.Environment("staging").Prometheus?.Url;
        Assert.True(server is not null, "the sandbox runs no Prometheus; install it (apt-get install prometheus)");
        using var client = new HttpClient();

        foreach (var query in new[] { ErrorRateQueries.For(documented, null, null), ErrorRateQueries.For(documented, documented.Service("web"), null) })
        {
            // No recording rule runs there, so the answer is empty (Unknown); a query Prometheus cannot parse would throw ErrorRateQueryInvalid.
            var reading = await PrometheusQuery.ReadAsync(client, server, query, TimeSpan.FromSeconds(10), OperationHost.Silent, CancellationToken.None);

            Assert.Null(reading.Value);
            Assert.Contains("namespace=\"production\"", query, StringComparison.Ordinal);
        }
    }

    // The rule file, and a production environment with the documented prometheus section.
    private static (string Rules, EnvironmentConfig Environment) Documented()
    {
        var blocks = ReadmeBlocks.In(Section, "yaml");
        Assert.Equal(2, blocks.Count);
        var section = string.Join('\n', blocks[1].Split('\n').Select(line => line.Length == 0 ? line : "    " + line));
        var yaml = "environments:\n  production:\n    services: [{ name: web, tier: frontend }]\n" + section;
        var config = ConfigLoader.Parse(yaml, Path.Join(Path.GetTempPath(), "skdeploy.yml"));
        Assert.Empty(config.Warnings);
        Assert.NotEqual(PrometheusSettings.DefaultErrorRateQuery, config.Environment("production").Prometheus!.ErrorRateQuery);
        return (blocks[0], config.Environment("production"));
    }

    private static string Quoted(string query) => query.Replace("'", "''", StringComparison.Ordinal);
}
