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
    [InlineData("v1.2.3-broken", "v1.2.3-broken")]
    public void A_full_version_with_or_without_v_becomes_the_runbooks_tag(string version, string tag) =>
        Assert.Equal(tag, ImageTags.FromVersion(version));

    [Theory]
    [InlineData("1.2", "1.2.0")]
    [InlineData("v1.2", "v1.2.0")]
    [InlineData("v1.2.3.4", "v1.2.3")]
    [InlineData("01.2.3", "1.2.3")]
    [InlineData("1.02.3-rc.1", "1.2.3-rc.1")]
    [InlineData("1", "1.0.0")]
    [InlineData("1.2.3+build.5", "1.2.3")]
    public void A_version_that_is_not_full_SemVer_is_InvalidVersion_naming_the_nearest_valid_one(string version, string nearest)
    {
        var failure = Assert.Throws<DeployException>(() => ImageTags.FromVersion(version));

        Assert.Equal(KubernetesErrors.InvalidVersion, failure.ErrorId);
        Assert.Contains($"the nearest valid version is {nearest}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Pass -Version {nearest}", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("sha-1a2b3c4")]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    public void A_version_that_is_not_a_version_at_all_points_to_ImageTag(string version)
    {
        var failure = Assert.Throws<DeployException>(() => ImageTags.FromVersion(version));

        Assert.Equal(KubernetesErrors.InvalidVersion, failure.ErrorId);
        Assert.Contains("-ImageTag", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latest", "latest")]
    [InlineData("sha-1a2b3c4", "sha-1a2b3c4")]
    [InlineData("1.2", "1.2")]
    public void An_explicit_image_tag_is_used_as_given(string tag, string expected) => Assert.Equal(expected, ImageTags.Choose(null, tag));

    [Theory]
    [InlineData("a/b")]
    [InlineData("-dash")]
    [InlineData("1.2.3+build")]
    public void An_image_tag_that_no_registry_accepts_is_InvalidVersion(string tag) =>
        Assert.Equal(KubernetesErrors.InvalidVersion, Assert.Throws<DeployException>(() => ImageTags.Choose(null, tag)).ErrorId);

    [Fact]
    public void Choose_needs_exactly_one_of_version_and_tag()
    {
        Assert.Equal("v1.2.3", ImageTags.Choose("1.2.3", null));
        Assert.Equal(KubernetesErrors.VersionRequired, Assert.Throws<DeployException>(() => ImageTags.Choose(null, null)).ErrorId);
        Assert.Equal(KubernetesErrors.InvalidVersion, Assert.Throws<DeployException>(() => ImageTags.Choose("1.2.3", "latest")).ErrorId);
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
