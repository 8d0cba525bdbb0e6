using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Configuration;

[Collection(ProcessEnvironment.Name)]
public class ConfigLocatorTests
{
    [Fact]
    public void Finds_the_nearest_skdeploy_yml_going_up_from_the_current_folder()
    {
        using var folder = new TempFolder();
        var outer = folder.Write("skdeploy.yml", "x");
        var inner = folder.Write("team/skdeploy.yml", "x");
        Directory.CreateDirectory(Path.Join(folder.Path, "team", "service", "src"));

        WithoutEnvironmentVariable(() =>
        {
            Assert.Equal(inner, ConfigLocator.Locate(null, Path.Join(folder.Path, "team", "service", "src")));
            Assert.Equal(outer, ConfigLocator.Locate(null, folder.Path));
        });
    }

    [Fact]
    public void An_explicit_path_wins_over_the_environment_variable_which_wins_over_the_search()
    {
        using var folder = new TempFolder();
        folder.Write("skdeploy.yml", "x");
        var fromVariable = folder.Write("env.yml", "x");
        var explicitPath = folder.Write("explicit.yml", "x");

        Environment.SetEnvironmentVariable(ConfigLocator.EnvironmentVariable, fromVariable);
        try
        {
            Assert.Equal(explicitPath, ConfigLocator.Locate("explicit.yml", folder.Path));
            Assert.Equal(fromVariable, ConfigLocator.Locate(null, folder.Path));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ConfigLocator.EnvironmentVariable, null);
        }
    }

    [Fact]
    public void No_file_anywhere_fails_with_ConfigNotFound_and_says_how_to_point_at_one()
    {
        using var folder = new TempFolder();
        WithoutEnvironmentVariable(() =>
        {
            var missing = Assert.Throws<DeployException>(() => ConfigLocator.Locate(Path.Join(folder.Path, "nope.yml"), folder.Path));
            Assert.Equal(ConfigErrors.NotFound, missing.ErrorId);
            Assert.Contains("-ConfigPath", missing.Message);
        });
    }

    [Fact]
    public void No_file_in_the_folder_or_above_says_to_write_one_with_New_SkConfiguration()
    {
        using var folder = new TempFolder();
        WithoutEnvironmentVariable(() =>
        {
            var missing = Assert.Throws<DeployException>(() => ConfigLocator.Locate(null, folder.Path));
            var named = Assert.Throws<DeployException>(() => ConfigLocator.Locate(Path.Join(folder.Path, "nope.yml"), folder.Path));

            Assert.Equal((ConfigErrors.NotFound, ConfigErrors.NotFound), (missing.ErrorId, named.ErrorId));
            Assert.Contains("Write a starter one with New-SkConfiguration", missing.Message, StringComparison.Ordinal);
            Assert.Contains($"New-SkConfiguration -Path '{Path.Join(folder.Path, "nope.yml")}'", named.Message, StringComparison.Ordinal);
        });
    }

    private static void WithoutEnvironmentVariable(Action action)
    {
        var saved = Environment.GetEnvironmentVariable(ConfigLocator.EnvironmentVariable);
        Environment.SetEnvironmentVariable(ConfigLocator.EnvironmentVariable, null);
        try
        {
            action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(ConfigLocator.EnvironmentVariable, saved);
        }
    }
}
