using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Minimal = """
        environments:
          staging:
            services:
              - name: web
                tier: frontend
                health: http://127.0.0.1:1/api/health
        """;

    [Fact]
    public void The_example_configuration_describes_the_runbook_services_in_rollout_order()
    {
        var config = ConfigLoader.Load(RepositoryFiles.ExampleConfig);

        Assert.Empty(config.Warnings);
        Assert.Equal(["staging", "production"], config.Environments.Select(e => e.Name));
        var staging = config.Environment("staging");
        Assert.Equal(["auth-svc", "market-svc", "skillpod-svc", "api-gateway", "web"], staging.Services.Select(s => s.Name));
        Assert.Equal("/api/health", staging.Service("web").Health!.AbsolutePath);
        Assert.All(staging.Services.Where(s => s.Name != "web"), s => Assert.Equal("/health", s.Health!.AbsolutePath));
        Assert.Equal("API Gateway", staging.Service("api-gateway").DisplayName);
    }

    [Fact]
    public void Defaults_are_merged_under_every_environment_and_the_environment_wins()
    {
        var config = Parse("""
            defaults:
              registry: ghcr.io/skillancer
              thresholds: { investigate: 0.02 }
              monitor: { duration: 10m }
            environments:
              staging:
                monitor: { interval: 1s }
                services: []
              production:
                registry: registry.skillancer.com
                services: []
            """);

        var staging = config.Environment("staging");
        var production = config.Environment("production");
        Assert.Equal("ghcr.io/skillancer", staging.Registry);
        Assert.Equal("registry.skillancer.com", production.Registry);
        Assert.Equal(0.02, staging.Thresholds.Investigate);
        Assert.Equal(0.05, staging.Thresholds.ConsiderRollback);
        Assert.Equal(TimeSpan.FromMinutes(10), staging.Monitor.Duration);
        Assert.Equal(TimeSpan.FromSeconds(1), staging.Monitor.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), production.Monitor.Interval);
    }

    [Fact]
    public void Names_default_to_the_service_name_and_the_namespace_to_the_environment_name()
    {
        var service = Parse(Minimal).Environment("STAGING").Service("Web");

        Assert.Equal("web", service.Deployment);
        Assert.Equal("web", service.Container);
        Assert.Equal("web", service.Image);
        Assert.Equal("staging", service.Environment);
        Assert.Equal("staging", Parse(Minimal).Environment("staging").Kubernetes.Namespace);
    }

    [Fact]
    public void Relative_paths_are_resolved_against_the_config_folder_and_tilde_against_home()
    {
        using var folder = new TempFolder();
        var path = folder.Write("deploy/skdeploy.yml", """
            environments:
              staging:
                kubernetes: { kubeconfig: ~/.kube/config }
                database: { connectionStringEnv: DATABASE_URL, migrations: prisma/migrations }
                services: []
            """);

        var staging = ConfigLoader.Load(path).Environment("staging");

        Assert.Equal(Path.Join(folder.Path, "deploy", "prisma", "migrations"), staging.Database!.Migrations);
        Assert.Equal(Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config"), staging.Kubernetes.Kubeconfig);
    }

    [Fact]
    public void Unknown_keys_are_warnings_with_their_location_not_failures()
    {
        var config = Parse("""
            environments:
              staging:
                servces: []
                services:
                  - name: web
                    tier: frontend
                    helth: http://x/health
            """);

        Assert.Equal(2, config.Warnings.Count);
        Assert.Contains(config.Warnings, w => w.Location.Key == "environments.staging.servces" && w.Location.Line == 3);
        Assert.Contains(config.Warnings, w => w.Location.Key == "environments.staging.services[0].helth" && w.Location.Line == 7 && w.Location.Column == 9);
    }

    [Fact]
    public void An_unknown_tier_names_file_line_column_key_and_the_tiers_expected()
    {
        var error = ParseFails("""
            environments:
              staging:
                services:
                  - name: web
                    tier: fronted
            """);

        Assert.Equal(ConfigErrors.InvalidTier, error.ErrorId);
        Assert.Contains("skdeploy.yml:5:15: environments.staging.services[0].tier", error.Message);
        Assert.Contains("shared, backend, gateway, frontend", error.Message);
    }

    [Fact]
    public void A_URL_that_is_not_absolute_http_fails_with_its_location()
    {
        var error = ParseFails("""
            environments:
              staging:
                url: staging.skillancer.com
                services: []
            """);

        Assert.Equal(ConfigErrors.InvalidUrl, error.ErrorId);
        Assert.Contains(":3:10: environments.staging.url", error.Message);
    }

    [Theory]
    [InlineData("thirty")]
    [InlineData("0s")]
    [InlineData("30")]
    public void A_bad_duration_fails_with_its_location_and_the_accepted_forms(string duration)
    {
        var error = ParseFails($"""
            defaults:
              monitor:
                duration: {duration}
            environments:
              staging:
                services: []
            """);

        Assert.Equal(ConfigErrors.InvalidDuration, error.ErrorId);
        Assert.Contains(":3:15: defaults.monitor.duration", error.Message);
        Assert.Contains("30m, 5s, 1h30m", error.Message);
    }

    [Fact]
    public void The_lock_and_journal_keys_come_from_defaults_an_environment_overrides_them_and_they_default_to_60s_and_100()
    {
        var config = Parse("""
            defaults:
              lock:
                leaseDuration: 30s
              journal:
                keep: 20
            environments:
              staging:
                services: []
              production:
                lock:
                  leaseDuration: 2m
                services: []
            """);
        var bare = Parse("environments:\n  staging:\n    services: []\n");

        Assert.Equal(new StateSettings(TimeSpan.FromSeconds(30), 20), config.Environment("staging").State);
        Assert.Equal(new StateSettings(TimeSpan.FromMinutes(2), 20), config.Environment("production").State);
        Assert.Equal(new StateSettings(TimeSpan.FromSeconds(60), 100), bare.Environment("staging").State);
        Assert.Empty(config.Warnings);
    }

    [Theory]
    [InlineData("lock:\n    leaseDuration: 1500ms", ConfigErrors.Invalid, "defaults.lock.leaseDuration")]
    [InlineData("lock:\n    leaseDuration: soon", ConfigErrors.InvalidDuration, "defaults.lock.leaseDuration")]
    [InlineData("journal:\n    keep: 0", ConfigErrors.Invalid, "defaults.journal.keep")]
    public void A_bad_lock_or_journal_key_fails_naming_it(string yaml, string errorId, string key)
    {
        var error = ParseFails($"defaults:\n  {yaml}\nenvironments:\n  staging:\n    services: []\n");

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_is_a_syntax_error_with_a_location()
    {
        var error = ParseFails("""
            environments:
              staging:
                url: "https://staging
                services: []
            """);

        Assert.Equal(ConfigErrors.Syntax, error.ErrorId);
        Assert.Matches(@"skdeploy\.yml:\d+:\d+: the file is not valid YAML", error.Message);
    }

    [Theory]
    [InlineData("environments:\n  staging:\n    services: [web\n  production: {}\n")]
    [InlineData("environments:\n  staging: {\n")]
    [InlineData("environments:\n\tstaging: {}\n")]
    [InlineData("environments:\n  staging: {}\n  staging: {}\n")]
    public void Every_kind_of_broken_yaml_is_a_syntax_error_not_a_crash(string yaml)
    {
        var error = ParseFails(yaml);

        Assert.Equal(ConfigErrors.Syntax, error.ErrorId);
        Assert.Contains("skdeploy.yml:", error.Message);
    }

    [Fact]
    public void A_missing_required_key_says_which_key_was_expected()
    {
        var error = ParseFails("""
            environments:
              staging:
                services:
                  - tier: backend
            """);

        Assert.Equal(ConfigErrors.Invalid, error.ErrorId);
        Assert.Contains("environments.staging.services[0].name", error.Message);
        Assert.Contains("required key 'name' is missing", error.Message);
    }

    [Fact]
    public void The_ci_section_names_a_github_repository_its_token_variable_and_the_checks_that_count()
    {
        var config = Parse("""
            defaults:
              ci: { provider: github, repository: skillancer/skillancer, tokenEnv: GITHUB_TOKEN, requiredChecks: [build, test] }
            environments:
              staging: { services: [] }
              production:
                ci: { repository: skillancer/skillancer, tokenEnv: GHE_TOKEN, url: https://github.skillancer.com }
                services: []
            """);

        var staging = config.Environment("staging").Ci!;
        var production = config.Environment("production").Ci!;
        Assert.Equal(("skillancer", "skillancer", "GITHUB_TOKEN", null, "build,test"), (staging.Owner, staging.Repository, staging.TokenEnv, staging.Url, string.Join(",", staging.RequiredChecks)));
        Assert.Equal(("GHE_TOKEN", "https://github.skillancer.com/"), (production.TokenEnv, production.Url!.AbsoluteUri));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void A_smoke_entry_with_a_command_is_a_suite_beside_the_http_checks()
    {
        var config = Parse("""
            environments:
              production:
                url: https://skillancer.com
                smoke:
                  - { name: Homepage loads, request: GET / }
                  - { name: Production smoke suite, command: "pnpm test:smoke:production" }
                services: []
            """);

        var production = config.Environment("production");
        Assert.Equal("Homepage loads", Assert.Single(production.Smoke).Name);
        Assert.Equal(new SmokeSuite("Production smoke suite", "pnpm test:smoke:production"), Assert.Single(production.SmokeSuites));
        Assert.Contains("required key 'name' is missing", ParseFails("environments: { production: { smoke: [ { command: pnpm test } ], services: [] } }").Message);
    }

    [Fact]
    public void An_emergency_watches_longer_and_tells_on_call_where_configured()
    {
        var config = Parse("""
            defaults:
              emergency: { monitorFactor: 3 }
            environments:
              staging: { services: [], notifications: { webhookUrlEnv: SLACK } }
              production:
                notifications: { webhookUrlEnv: SLACK, emergency: { webhookUrlEnv: ONCALL } }
                services: []
            """);

        Assert.Equal(3, config.Environment("production").EmergencyMonitorFactor);
        Assert.Null(config.Environment("staging").Notifications!.EmergencyWebhookUrlEnv);
        Assert.Equal("ONCALL", config.Environment("production").Notifications!.EmergencyWebhookUrlEnv);
        Assert.Equal(2, Parse(Minimal).Environment("staging").EmergencyMonitorFactor);
        Assert.Empty(config.Warnings);
    }

    [Theory]
    [InlineData("{ provider: gitlab, repository: a/b, tokenEnv: T }", "'gitlab' is not a CI provider")]
    [InlineData("{ repository: skillancer, tokenEnv: T }", "'skillancer' is not a GitHub repository")]
    [InlineData("{ repository: a/b }", "required key 'tokenEnv' is missing")]
    [InlineData("{ tokenEnv: T }", "required key 'repository' is missing")]
    public void A_ci_section_the_checklist_cannot_use_is_invalid_with_its_location(string ci, string problem)
    {
        var error = ParseFails($$"""
            environments:
              production:
                ci: {{ci}}
                services: []
            """);

        Assert.Equal(ConfigErrors.Invalid, error.ErrorId);
        Assert.Contains(problem, error.Message);
        Assert.Contains("environments.production.ci", error.Message);
    }

    [Fact]
    public void A_file_without_environments_is_invalid()
    {
        Assert.Equal(ConfigErrors.Invalid, ParseFails("defaults: { registry: x }").ErrorId);
    }

    [Fact]
    public void Thresholds_must_rise_from_investigate_to_immediate_rollback()
    {
        var error = ParseFails("""
            environments:
              staging:
                thresholds: { investigate: 0.2, considerRollback: 0.05, immediateRollback: 0.10 }
                services: []
            """);

        Assert.Equal(ConfigErrors.Invalid, error.ErrorId);
        Assert.Contains("investigate <= considerRollback <= immediateRollback", error.Message);
    }

    [Fact]
    public void A_service_listed_twice_is_invalid()
    {
        var error = ParseFails("""
            environments:
              staging:
                services:
                  - { name: web, tier: frontend }
                  - { name: WEB, tier: frontend }
            """);

        Assert.Contains("listed more than once", error.Message);
    }

    [Fact]
    public void Smoke_checks_parse_method_path_and_expected_status()
    {
        var smoke = Parse("""
            environments:
              staging:
                services: []
                smoke:
                  - { name: Homepage loads, request: GET / }
                  - { name: Jobs, request: POST /api/jobs, expectStatus: 201 }
            """).Environment("staging").Smoke;

        Assert.Equal(("Homepage loads", "GET", "/", 200), (smoke[0].Name, smoke[0].Method, smoke[0].Path, smoke[0].ExpectStatus));
        Assert.Equal(("Jobs", "POST", "/api/jobs", 201), (smoke[1].Name, smoke[1].Method, smoke[1].Path, smoke[1].ExpectStatus));
        Assert.Equal(SmokeCheck.DefaultTimeout, smoke[0].Timeout);
        Assert.Empty(smoke[0].Headers);
    }

    [Fact]
    public void Smoke_checks_read_headers_secret_headers_bodies_and_expectations()
    {
        var smoke = Parse("""
            environments:
              staging:
                services: []
                smoke:
                  - name: Proposal
                    request: POST /api/proposals
                    headers:
                      X-Client: smoke
                      AuthorizationEnv: SMOKE_AUTH
                    body: { jobId: 101, draft: false, note: "42", tags: [a, b] }
                    expectBodyContains: [submitted, "101"]
                    expectJson:
                      status: submitted
                      jobs[0].id: 7
                    timeout: 2s
                  - { name: Text, request: PUT /notes, body: plain words, expectBodyContains: ok }
            """).Environment("staging").Smoke;

        Assert.Equal([new SmokeHeader("X-Client", "smoke", null), new SmokeHeader("Authorization", null, "SMOKE_AUTH")], smoke[0].Headers);
        Assert.Equal("""{"jobId":101,"draft":false,"note":"42","tags":["a","b"]}""", smoke[0].Body);
        Assert.True(smoke[0].BodyIsJson);
        Assert.Equal(["submitted", "101"], smoke[0].ExpectBodyContains);
        Assert.Equal([KeyValuePair.Create("status", "submitted"), KeyValuePair.Create("jobs[0].id", "7")], smoke[0].ExpectJson);
        Assert.Equal(TimeSpan.FromSeconds(2), smoke[0].Timeout);
        Assert.Equal("plain words", smoke[1].Body);
        Assert.False(smoke[1].BodyIsJson);
        Assert.Equal(["ok"], smoke[1].ExpectBodyContains);
    }

    [Fact]
    public void Asking_for_an_unknown_environment_or_service_lists_the_known_ones()
    {
        var config = Parse(Minimal);

        var environment = Assert.Throws<DeployException>(() => config.Environment("prod"));
        var service = Assert.Throws<DeployException>(() => config.Environment("staging").Service("api"));

        Assert.Equal(ConfigErrors.EnvironmentNotFound, environment.ErrorId);
        Assert.Contains("Known environments: staging", environment.Message);
        Assert.Equal(ConfigErrors.ServiceNotFound, service.ErrorId);
        Assert.Contains("Known services: web", service.Message);
    }

    [Fact]
    public void A_schedule_section_replaces_only_what_it_names()
    {
        var schedule = Parse("""
            environments: { staging: { services: [] } }
            schedule:
              timeZone: Europe/London
              windows:
                - { day: Wed, start: "09:00", end: "11:30" }
            """).Schedule;

        Assert.Equal("Europe/London", schedule.TimeZone.Id);
        Assert.Equal([new DeploymentWindow(DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(11, 30))], schedule.Windows);
        Assert.Equal([DayOfWeek.Friday, DayOfWeek.Monday], schedule.AvoidDays);
        Assert.Equal("US", schedule.HolidayCountry);
    }

    [Theory]
    [InlineData("timeZone: Mars/Olympus", "not a known time zone")]
    [InlineData("windows: [{ day: Funday, start: \"09:00\", end: \"10:00\" }]", "not a day of the week")]
    [InlineData("windows: [{ day: Tuesday, start: \"18:00\", end: \"14:00\" }]", "ends (14:00) before it starts (18:00)")]
    [InlineData("avoid: { holidays: { country: XX } }", "not a country with a known holiday calendar")]
    public void Bad_schedule_values_fail_with_a_location(string line, string problem)
    {
        var error = ParseFails($"""
            environments: {"{"} staging: {"{"} services: [] {"}"} {"}"}
            schedule:
              {line}
            """);

        Assert.Equal(ConfigErrors.Invalid, error.ErrorId);
        Assert.Contains(problem, error.Message);
        Assert.Contains("skdeploy.yml:3:", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing here yet\n")]
    [InlineData("---\n")]
    public void An_empty_file_says_to_write_a_starter_into_it_with_New_SkConfiguration(string yaml)
    {
        var error = ParseFails(yaml);

        Assert.Equal(ConfigErrors.Invalid, error.ErrorId);
        Assert.Contains("the file is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains($"New-SkConfiguration -Path '{Path.Join(Path.GetTempPath(), "skdeploy.yml")}' -Force", error.Message, StringComparison.Ordinal);
    }

    private static DeployConfig Parse(string yaml) => ConfigLoader.Parse(yaml, Path.Join(Path.GetTempPath(), "skdeploy.yml"));

    private static DeployException ParseFails(string yaml) => Assert.ThrowsAny<DeployException>(() => Parse(yaml));
}
