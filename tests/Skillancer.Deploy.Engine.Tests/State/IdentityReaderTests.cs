using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Identity;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.State;

/// <summary>Who acts, as the sandbox's API authenticates each of its users (SelfSubjectReview, as <c>kubectl auth whoami</c>).</summary>
[Collection(ClusterScopedRequests.Name)]
public class IdentityReaderTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    [Theory]
    [InlineData("deployer", "deployer@skillancer.test", "skillancer-deployers")]
    [InlineData("approver", "lead@skillancer.test", "eng-leads")]
    [InlineData("viewer", "viewer@skillancer.test", "skillancer-viewers")]
    public async Task Each_user_is_who_the_API_server_says(string user, string name, string group)
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.ConnectAs(environment, user);

        var identity = await IdentityReader.WhoAmIAsync(cluster, CancellationToken.None);

        Assert.Equal(name, identity.UserName);
        Assert.True(identity.Verified);
        Assert.Equal([group, "system:authenticated"], identity.Groups);
        Assert.Equal(System.Environment.UserName, identity.OsUser);
        Assert.Equal(System.Environment.MachineName, identity.HostName);
        Assert.DoesNotContain("unverified", identity.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_SelfSubjectReview_gives_the_kubeconfig_user_marked_unverified()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var fault = await sandbox.AddFaultAsync(new { method = "POST", path = "/apis/authentication.k8s.io/v1/selfsubjectreviews", status = 404, times = 1 });
        try
        {
            var identity = await IdentityReader.WhoAmIAsync(cluster, CancellationToken.None);

            Assert.False(identity.Verified);
            Assert.Equal(cluster.KubeconfigUser, identity.UserName);
            Assert.Contains("(unverified)", identity.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }

    [Fact]
    public async Task Refused_credentials_are_an_error_not_an_unverified_identity()
    {
        var environment = await sandbox.NewEnvironmentAsync();
        using var cluster = sandbox.Connect(environment);
        var fault = await sandbox.AddFaultAsync(new { method = "POST", path = "/apis/authentication.k8s.io/v1/selfsubjectreviews", status = 401, times = 1 });
        try
        {
            var failure = await Assert.ThrowsAsync<DeployException>(() => IdentityReader.WhoAmIAsync(cluster, CancellationToken.None));

            Assert.Equal(KubernetesErrors.ClusterAccessDenied, failure.ErrorId);
        }
        finally
        {
            await sandbox.RemoveFaultAsync(fault);
        }
    }
}
