using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>Watches as the API server serves them: initial events, resume, bookmarks, timeouts and 410 Gone.</summary>
public class WatchProtocolTests
{
    private const string Deployments = KubeSandbox.StagingDeployments;

    [Fact]
    public async Task A_watch_without_a_resourceVersion_starts_with_ADDED_for_what_exists()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true");

        var events = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            events.Add((await watch.NextAsync())!);
        }

        Assert.All(events, e => Assert.Equal("ADDED", e["type"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("apps/v1", e["object"]!["apiVersion"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("Deployment", e["object"]!["kind"]!.GetValue<string>()));
        Assert.Equal(["api-gateway", "auth-svc", "market-svc", "skillpod-svc", "web"], events.Select(e => e["object"]!["metadata"]!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_watch_resumes_after_a_resourceVersion_and_follows_new_changes()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var from = await sandbox.ListVersionAsync();
        await PatchLabelAsync(sandbox, "web", "step", "one");

        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=1&resourceVersion={from}&fieldSelector=metadata.name%3Dweb");
        var first = await watch.ReadUntilAsync(e => Label(e, "step") == "one");
        await PatchLabelAsync(sandbox, "web", "step", "two");
        var second = await watch.ReadUntilAsync(e => Label(e, "step") == "two");

        Assert.All(first.Concat(second), e => Assert.Equal("MODIFIED", e["type"]!.GetValue<string>()));
        Assert.All(first.Concat(second), e => Assert.Equal("web", e["object"]!["metadata"]!["name"]!.GetValue<string>()));
        var versions = first.Concat(second).Select(e => long.Parse(e["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(versions[0] > from);
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public async Task A_compacted_resourceVersion_gets_an_ERROR_event_with_410_Gone()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var from = await sandbox.ListVersionAsync();
        await PatchLabelAsync(sandbox, "web", "step", "one");
        (await sandbox.Admin.PostAsync("sandbox/kubernetes/compact", null)).EnsureSuccessStatusCode();

        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true&resourceVersion={from}");
        var error = await watch.NextAsync();

        Assert.Equal("ERROR", error!["type"]!.GetValue<string>());
        Assert.Equal("Status", error["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith($"too old resource version: {from}", error["object"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Bookmarks_come_when_allowed_and_carry_the_current_resourceVersion()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var from = await sandbox.ListVersionAsync();

        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true&resourceVersion={from}&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dnone");
        var bookmark = await watch.NextAsync();

        Assert.Equal("BOOKMARK", bookmark!["type"]!.GetValue<string>());
        Assert.Equal("Deployment", bookmark["object"]!["kind"]!.GetValue<string>());
        Assert.True(long.Parse(bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= from);
    }

    [Fact]
    public async Task A_watch_ends_after_its_timeoutSeconds()
    {
        await using var sandbox = await KubeSandbox.StartAsync();
        var from = await sandbox.ListVersionAsync();

        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true&resourceVersion={from}&timeoutSeconds=1");

        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task SendInitialEvents_lists_then_marks_the_end_with_a_bookmark()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        await using var watch = await WatchReader.OpenAsync(sandbox.Api, $"{Deployments}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        var events = await watch.ReadUntilAsync(e => e["type"]!.GetValue<string>() == "BOOKMARK");

        Assert.Equal(6, events.Count);
        Assert.All(events.Take(5), e => Assert.Equal("ADDED", e["type"]!.GetValue<string>()));
        Assert.Equal("true", events[5]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendInitialEvents_without_NotOlderThan_is_rejected_with_a_Status()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        using var response = await sandbox.Api.GetAsync($"{Deployments}?watch=true&sendInitialEvents=true");
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Label_selectors_take_equality_and_set_based_requirements()
    {
        await using var sandbox = await KubeSandbox.StartAsync();

        var list = await sandbox.Api.GetFromJsonAsync<JsonObject>($"{Deployments}?labelSelector={Uri.EscapeDataString("tier in (backend,gateway),app!=auth-svc,!missing")}");

        Assert.Equal("DeploymentList", list!["kind"]!.GetValue<string>());
        Assert.Equal(["api-gateway", "market-svc", "skillpod-svc"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    private static Task<JsonObject> PatchLabelAsync(KubeSandbox sandbox, string deployment, string key, string value) =>
        sandbox.MergePatchAsync($"{Deployments}/{deployment}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } }.ToJsonString());

    private static string? Label(JsonObject e, string key) => e["object"]?["metadata"]?["labels"]?[key]?.GetValue<string>();
}
