using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

[Collection(ProcessEnvironment.Name)]
public class GitNotInstalledTests
{
    [Fact]
    public async Task Without_git_on_PATH_the_release_fails_with_GitNotInstalled()
    {
        using var empty = new TempFolder();
        var saved = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", empty.Path);
        try
        {
            var error = await Assert.ThrowsAsync<DeployException>(() =>
                ReleaseCreator.CreateAsync(new ReleaseRequest(empty.Path, "1.0.0", null), OperationHost.Silent, CancellationToken.None));

            Assert.Equal(ReleaseErrors.GitNotInstalled, error.ErrorId);
            Assert.Contains("Install git", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", saved);
        }
    }
}
