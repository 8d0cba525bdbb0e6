using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Services;

/// <summary>
/// Each series' errors and latency vary from tick to tick around the image's values, so a statistical
/// test over per-scrape samples has something to compare; on average, two good tracks look alike.
/// </summary>
public class TrafficNoiseTests
{
    [Fact]
    public void Per_tick_error_counts_vary_yet_average_out_to_the_image_s_error_ratio()
    {
        var rig = new TrafficRig();
        rig.Run(("auth-svc", TrafficRig.Image("auth-svc"), 2));
        var ticks = Ticks(rig, 60);

        var ratios = ticks.Select(t => Ratio(t.Before, t.After, "auth-svc", "stable")).ToList();
        var total = Ratio(ticks[0].Before, ticks[^1].After, "auth-svc", "stable");

        Assert.True(ratios.Distinct().Count() > 50, $"per-tick error ratios: {string.Join(", ", ratios)}");
        Assert.All(ratios, r => Assert.InRange(r, 0.005 * 0.7, 0.005 * 1.3));
        Assert.InRange(total, 0.0045, 0.0055);
    }

    [Fact]
    public void Per_tick_latency_varies_by_a_few_percent_around_the_image_s_median()
    {
        var rig = new TrafficRig();
        rig.Run(("auth-svc", TrafficRig.Image("auth-svc"), 2));
        var ticks = Ticks(rig, 30);

        var medians = ticks.Select(t => HistogramQuantile.Of(0.5, t.Before.Buckets("staging", "auth-svc", "stable"), t.After.Buckets("staging", "auth-svc", "stable"))).ToList();

        Assert.True(medians.Distinct().Count() > 5, $"per-tick medians: {string.Join(", ", medians)}");
        Assert.All(medians, m => Assert.InRange(m, 0.08 * 0.92, 0.08 * 1.08)); // ±5% noise, and the buckets' interpolation
    }

    [Fact]
    public void A_good_canary_looks_like_its_stable_track_and_an_erroring_one_clearly_worse_in_every_tick()
    {
        var good = new TrafficRig();
        good.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web"), 1));
        good.Route(50);
        var erroring = new TrafficRig();
        erroring.Run(("web", TrafficRig.Image("web"), 2), ("web-canary", TrafficRig.Image("web", "-erroring"), 1));
        erroring.Route(50);
        var goodTicks = Ticks(good, 60);
        var erroringTicks = Ticks(erroring, 60);

        double Whole(IReadOnlyList<(MetricsText Before, MetricsText After)> ticks, string track) => Ratio(ticks[0].Before, ticks[^1].After, "web", track);
        double P95(IReadOnlyList<(MetricsText Before, MetricsText After)> ticks, string track) =>
            HistogramQuantile.Of(0.95, ticks[0].Before.Buckets("staging", "web", track), ticks[^1].After.Buckets("staging", "web", track));

        Assert.InRange(Whole(goodTicks, "canary") / Whole(goodTicks, "stable"), 0.9, 1.1);
        Assert.InRange(P95(goodTicks, "canary") / P95(goodTicks, "stable"), 0.97, 1.03);
        Assert.NotEqual(
            goodTicks.Select(t => Ratio(t.Before, t.After, "web", "canary")),
            goodTicks.Select(t => Ratio(t.Before, t.After, "web", "stable"))); // each series has noise of its own
        Assert.All(erroringTicks, t => Assert.True(Ratio(t.Before, t.After, "web", "canary") > 0.10));
        Assert.All(erroringTicks, t => Assert.True(Ratio(t.Before, t.After, "web", "stable") < 0.01));
    }

    // The metrics before and after each of n one-second steps.
    private static List<(MetricsText Before, MetricsText After)> Ticks(TrafficRig rig, int count)
    {
        var ticks = new List<(MetricsText, MetricsText)>();
        var before = rig.Metrics();
        for (var i = 0; i < count; i++)
        {
            var after = rig.Step(1);
            ticks.Add((before, after));
            before = after;
        }

        return ticks;
    }

    private static double Ratio(MetricsText before, MetricsText after, string service, string track)
    {
        double Growth(string name) => after.Value(name, "staging", service, track)!.Value - before.Value(name, "staging", service, track)!.Value;
        return Growth("http_errors_total") / Growth("http_requests_total");
    }
}
