using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Primitives;

public class SecretTests
{
    [Fact]
    public void A_secret_prints_as_stars_and_is_scrubbed_from_any_text()
    {
        var value = "tok-" + Guid.NewGuid().ToString("N");
        var secret = new Secret(value, "test");

        Assert.Equal("***", secret.ToString());
        Assert.Equal("***", $"{secret}");
        Assert.Equal("server said: bad token *** (401)", Secret.Redact($"server said: bad token {value} (401)"));
        Assert.Equal(value, secret.Reveal());
    }

    [Fact]
    public void A_value_registered_without_a_wrapper_is_scrubbed_and_a_too_short_one_is_not()
    {
        var token = "kube-" + Guid.NewGuid().ToString("N");

        Secret.RegisterForRedaction(token);
        Secret.RegisterForRedaction("ab1");
        Secret.RegisterForRedaction(null);

        Assert.Equal("Authorization: Bearer *** (ab1)", Secret.Redact($"Authorization: Bearer {token} (ab1)"));
    }

    [Fact]
    public void A_variable_that_is_not_set_fails_with_SecretNotSet_naming_the_variable_and_key()
    {
        var name = "SKDEPLOY_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

        var error = Assert.Throws<DeployException>(() => SecretSource.FromEnvironment(name, "featureFlags.tokenEnv"));

        Assert.Equal("SecretNotSet", error.ErrorId);
        Assert.Contains(name, error.Message);
        Assert.Contains("featureFlags.tokenEnv", error.Message);
    }

    [Fact]
    public void A_variable_that_is_set_becomes_a_secret_that_remembers_its_source_not_its_value()
    {
        var name = "SKDEPLOY_TEST_SET_" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        Environment.SetEnvironmentVariable(name, "s3cr3t-value");
        try
        {
            var secret = SecretSource.FromEnvironment(name, "tokenEnv");

            Assert.Equal("s3cr3t-value", secret.Reveal());
            Assert.Equal($"environment variable {name}", secret.Source);
            Assert.DoesNotContain("s3cr3t", secret.Source);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void The_operation_log_redacts_secrets_before_they_reach_a_sink()
    {
        var secret = new Secret("pw-" + Guid.NewGuid().ToString("N"), "test");
        var seen = new List<string>();
        var log = new OperationHost(seen.Add, seen.Add, update => seen.Add(update.Status));

        log.Verbose($"connecting with {secret.Reveal()}");
        log.Warning($"rejected {secret.Reveal()}");
        log.Progress(new ProgressUpdate("Activity", $"using {secret.Reveal()}"));

        Assert.Equal(["connecting with ***", "rejected ***", "using ***"], seen);
    }
}
