using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

/// <summary>
/// A service with a canary serves what its stable pods would, split by its VirtualService's weights;
/// other services serve with every ready pod. Exact counts, on a manual clock.
/// </summary>
public class TrafficSplitTests
{
    private const string Requests = "http_requests_total";

    [Fact]
    public void A_canary_at_weight_5_gets_5_percent_of_what_the_stable_pods_would_serve_alone()
    {
        var rig = new TrafficRig();
        rig.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web"), 1), ("auth-svc", TrafficRig.Image("auth-svc"), 2));
        rig.Route(5);
        var before = rig.Metrics();

        var after = rig.Step(10);

        var stable = Growth(before, after, "web", "stable");
        var canary = Growth(before, after, "web", "canary");
        Assert.Equal(0.05, canary / (stable + canary), 9);
        Assert.Equal(2 * 20 * 10, stable + canary, 6); // the stable pods' demand: the canary's pod adds none
        Assert.Equal(Growth(before, after, "auth-svc", "stable"), stable + canary, 6);
    }

    [Fact]
    public void At_weight_0_or_without_a_ready_canary_pod_the_stable_track_serves_everything()
    {
        var rig = new TrafficRig();
        rig.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web"), 1));
        var before = rig.Metrics();
        var atZero = rig.Step(5);
        rig.Route(50);
        rig.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web"), 0));
        var notReady = rig.Step(5);

        Assert.Equal(0, Growth(before, atZero, "web", "canary"));
        Assert.Equal(2 * 20 * 5, Growth(before, atZero, "web", "stable"), 6);
        Assert.Equal(0, Growth(atZero, notReady, "web", "canary"));
        Assert.Equal(2 * 20 * 5, Growth(atZero, notReady, "web", "stable"), 6);
    }

    [Fact]
    public void A_weight_change_counts_the_traffic_served_so_far_at_the_old_weights()
    {
        var rig = new TrafficRig();
        rig.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web"), 1));
        rig.Route(10);
        var before = rig.Metrics();

        rig.Clock.Advance(TimeSpan.FromSeconds(4));
        rig.Route(50);
        var after = rig.Step(6);

        // 4 s at 10% and 6 s at 50% of 40 requests per second.
        Assert.Equal((4 * 40 * 0.10) + (6 * 40 * 0.50), Growth(before, after, "web", "canary"), 6);
    }

    [Fact]
    public void A_change_older_than_the_one_taken_does_not_undo_it()
    {
        var rig = new TrafficRig();
        rig.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web"), 1));
        rig.Route(20, resourceVersion: 50);
        rig.Route(90, resourceVersion: 49); // raised late: another writer's earlier change
        var before = rig.Metrics();

        var after = rig.Step(5);

        Assert.Equal(5 * 40 * 0.20, Growth(before, after, "web", "canary"), 6);
    }

    [Fact]
    public void A_service_without_a_canary_serves_with_the_ready_pods_of_both_tracks()
    {
        var rig = new TrafficRig();
        rig.Run(("auth-svc", TrafficRig.Image("auth-svc"), 2), ("auth-svc-canary", TrafficRig.Image("auth-svc"), 1));
        var before = rig.Metrics();

        var after = rig.Step(5);

        Assert.Equal(2 * 20 * 5, Growth(before, after, "auth-svc", "stable"), 6);
        Assert.Equal(1 * 20 * 5, Growth(before, after, "auth-svc", "canary"), 6);
    }

    [Fact]
    public void A_namespace_s_rate_changes_its_traffic_from_the_moment_it_is_set()
    {
        var rig = new TrafficRig(requestsPerPodPerSecond: 5);
        rig.Run(("auth-svc", TrafficRig.Image("auth-svc"), 2));
        var before = rig.Metrics();

        rig.Clock.Advance(TimeSpan.FromSeconds(2));
        var known = rig.Traffic.SetRate("staging", 200);
        var unknown = rig.Traffic.SetRate("no-such-namespace", 200);
        var after = rig.Step(3);

        Assert.True(known);
        Assert.False(unknown);
        Assert.Equal(200, rig.Traffic.Rate("staging"));
        Assert.Equal(5, rig.Traffic.Rate("production"));
        Assert.Equal((2 * 5 * 2) + (2 * 200 * 3), Growth(before, after, "auth-svc", "stable"), 6);
    }

    private static double Growth(MetricsText before, MetricsText after, string service, string track) =>
        (after.Value(Requests, "staging", service, track) ?? 0) - (before.Value(Requests, "staging", service, track) ?? 0);
}
