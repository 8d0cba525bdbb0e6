using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

public class ReleaseBranchesTests
{
    [Fact]
    public async Task Lists_local_and_remote_release_branches_newest_version_first()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.0.0"));
        foreach (var version in new[] { "1.2.0", "1.10.0", "1.3.0-rc.1" })
        {
            git.Git("branch", $"release/v{version}");
        }

        git.Git("push", "--quiet", "origin", "release/v1.2.0", "release/v1.10.0");
        git.Git("branch", "-D", "release/v1.10.0");
        git.GitIn(git.Origin, "branch", "release/v1.3.0", "master");
        git.Git("fetch", "--quiet", "origin");
        git.Git("branch", "release/not-a-version");

        var branches = await ReleaseBranches.ListAsync(git.Clone, "origin", OperationHost.Silent, CancellationToken.None);

        Assert.Equal(["1.10.0", "1.3.0", "1.3.0-rc.1", "1.2.0"], branches.Select(b => b.Version));
        var v110 = branches[0];
        Assert.False(v110.Local);
        Assert.True(v110.Remote);
        Assert.Null(v110.InSync);
        var v120 = branches[3];
        Assert.True(v120.Local && v120.Remote);
        Assert.True(v120.InSync);
        Assert.Equal("release/v1.2.0", v120.Branch);
        Assert.Equal("v1.2.0", v120.Tag);
        Assert.Equal("chore: initial commit", v120.Subject);
    }

    [Fact]
    public async Task A_repository_without_release_branches_lists_nothing()
    {
        using var git = GitWorkspace.Create(GitWorkspace.NpmProject("1.0.0"));

        Assert.Empty(await ReleaseBranches.ListAsync(git.Clone, "origin", OperationHost.Silent, CancellationToken.None));
    }
}
