using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Configuration.Starter;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Configuration;

/// <summary>The guesses behind New-SkConfiguration -FromCluster: tiers, registries and images, namespaces.</summary>
public class StarterGuessTests
{
    private static readonly string[] Images = ["ghcr.io/skillancer/web:v1", "ghcr.io/skillancer/tools/migrate:v1", "ghcr.io/skillancer/api:v2"];

    [Theory]
    [InlineData("payments", "tier", "frontend", ServiceTier.Frontend, "from the label tier=frontend")]
    [InlineData("checkout", "app.kubernetes.io/component", "api-gateway", ServiceTier.Gateway, "from the label app.kubernetes.io/component=api-gateway")]
    [InlineData("edge-gateway", "app", "edge-gateway", ServiceTier.Gateway, "guessed from the name")]
    [InlineData("admin-web", "app", "admin-web", ServiceTier.Frontend, "guessed from the name")]
    [InlineData("shared-config", "app", "x", ServiceTier.Shared, "guessed from the name")]
    [InlineData("auth-svc", "app", "auth-svc", ServiceTier.Backend, "guessed from the name")]
    [InlineData("billing", "app", "billing", ServiceTier.Backend, "backend is the default")]
    public void A_tier_comes_from_a_label_that_says_it_then_from_the_words_of_the_name(string name, string label, string value, ServiceTier tier, string reason)
    {
        var (guessed, note) = TierGuess.For(name, new Dictionary<string, string> { [label] = value });

        Assert.Equal(tier, guessed);
        Assert.StartsWith("check: ", note, StringComparison.Ordinal);
        Assert.Contains(reason, note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skillancer/web:v1.2.2", "skillancer", "web")]
    [InlineData("ghcr.io/skillancer/api-gateway:v1.2.2", "ghcr.io/skillancer", "api-gateway")]
    [InlineData("localhost:5000/auth-svc", "localhost:5000", "auth-svc")]
    [InlineData("registry.example.com/team/market-svc@sha256:0123abcd", "registry.example.com/team", "market-svc")]
    [InlineData("nginx:1.27", "", "nginx")]
    public void A_running_image_splits_into_the_registry_and_the_image_name(string image, string registry, string name)
    {
        Assert.Equal(new ImageReference(registry, name), ImageReference.Parse(image));
    }

    [Fact]
    public void Images_from_different_registries_share_the_longest_common_registry_and_keep_the_rest_in_their_names()
    {
        var images = Images.Select(ImageReference.Parse).ToList();

        var registry = ImageReference.CommonRegistry(images);

        Assert.Equal("ghcr.io/skillancer", registry);
        Assert.Equal(["web", "tools/migrate", "api"], images.Select(i => i.Below(registry)));
        Assert.Equal("", ImageReference.CommonRegistry([ImageReference.Parse("nginx:1"), ImageReference.Parse("skillancer/web:v1")]));
    }

    [Fact]
    public void A_namespace_named_like_the_environment_wins_then_one_with_its_short_form_marked_check()
    {
        string[] visible = ["kube-system", "old-stage-tools", "production", "skillancer-prod", "skillancer-stg"];

        Assert.Equal(("production", null), NamespaceChoice.For("production", null, visible, null, "ctx"));
        var (staging, note) = NamespaceChoice.For("staging", null, visible, null, "ctx");

        Assert.Equal("skillancer-stg", staging);
        Assert.Equal("check: guessed from the name; also old-stage-tools", note);
    }

    [Fact]
    public void A_user_who_may_not_list_namespaces_gets_the_contexts_namespace_marked_check()
    {
        var (ns, note) = NamespaceChoice.For("staging", null, null, "team-a", "ctx");

        Assert.Equal("team-a", ns);
        Assert.Contains("may not list namespaces", note, StringComparison.Ordinal);
        Assert.Equal(("team-b", null), NamespaceChoice.For("staging", "team-b", null, "team-a", "ctx"));
    }

    [Fact]
    public void No_namespace_like_the_environment_and_none_in_the_context_is_NamespaceNotFound()
    {
        var missing = Assert.Throws<DeployException>(() => NamespaceChoice.For("staging", null, ["default", "kube-system", "tools"], null, "ctx"));

        Assert.Equal(StarterErrors.NamespaceNotFound, missing.ErrorId);
        Assert.Contains("default, kube-system, tools", missing.Message, StringComparison.Ordinal);
    }
}
