using Skillancer.Deploy.Engine.Kubernetes;
using Skillancer.Deploy.Engine.Kubernetes.Rollout;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

public class ImageTagsTests
{
    [Theory]
    [InlineData("1.2.3", "v1.2.3")]
    [InlineData("v1.2.3", "v1.2.3")]
    [InlineData(" 1.2.3-rc.1 ", "v1.2.3-rc.1")]
    [InlineData("V2.0.0", "v2.0.0")]
    [InlineData("latest", "latest")]
    [InlineData("sha-1a2b3c4", "sha-1a2b3c4")]
    [InlineData("v1.2.3-broken", "v1.2.3-broken")]
    public void A_version_becomes_the_runbooks_tag_and_other_tags_stay_as_given(string version, string tag) =>
        Assert.Equal(tag, ImageTags.FromVersion(version));

    [Theory]
    [InlineData("1.2.3+build.5")]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Anything_else_is_InvalidVersion(string version)
    {
        var failure = Assert.Throws<DeployException>(() => ImageTags.FromVersion(version));

        Assert.Equal(KubernetesErrors.InvalidVersion, failure.ErrorId);
        Assert.Contains("Pass a version such as 1.2.3", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skillancer/web:v1.2.3", "v1.2.3")]
    [InlineData("registry:5000/skillancer/web:v1.2.3", "v1.2.3")]
    [InlineData("registry:5000/skillancer/web", "latest")]
    [InlineData("web@sha256:abc", "sha256:abc")]
    public void The_tag_of_an_image_is_read_as_a_registry_reads_it(string image, string tag) => Assert.Equal(tag, ImageTags.Tag(image));

    [Fact]
    public void An_image_is_registry_name_and_tag() =>
        Assert.Equal("skillancer/api-gateway:v1.2.3", ImageTags.Compose("skillancer", "api-gateway", "v1.2.3"));
}
