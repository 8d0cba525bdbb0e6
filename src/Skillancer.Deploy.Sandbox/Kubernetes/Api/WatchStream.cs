using System.Globalization;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// A watch: a chunked stream of newline-delimited {type, object} events. It resumes from a
/// resourceVersion, starts with ADDED events when given none, answers sendInitialEvents with the
/// initial-events-end bookmark, sends BOOKMARKs when allowed, ends after timeoutSeconds, and reports a
/// compacted resourceVersion with an ERROR event carrying a 410 Status, as the API server does.
/// </summary>
internal static class WatchStream
{
    /// <summary>The HttpContext item through which fault injection closes a watch after that many events.</summary>
    public const string EventLimitItem = "sandbox.watch.eventLimit";

    public static async Task ServeAsync(HttpContext context, ObjectStore store, ApiPath path, WatchSettings settings)
    {
        var query = context.Request.Query;
        var selectors = Selectors.Parse(query["labelSelector"], query["fieldSelector"], path.Type);
        var sendInitialEvents = ResourceHandler.IsTrue(query["sendInitialEvents"]);
        if (sendInitialEvents && query["resourceVersionMatch"] != "NotOlderThan")
        {
            throw new KubeException(KubeStatus.Invalid(path.Type, "", "resourceVersionMatch", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }

        var requested = query["resourceVersion"].ToString();
        long? from = null;
        if (!sendInitialEvents && requested is { Length: > 0 } and not "0")
        {
            from = long.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new KubeException(KubeStatus.BadRequest($"invalid resource version: {requested}"));
        }

        var table = ResourceTable.Requested(context.Request.Headers.Accept);
        var includeObject = query["includeObject"].ToString();
        var bookmarks = ResourceHandler.IsTrue(query["allowWatchBookmarks"]);
        var timeout = double.TryParse(query["timeoutSeconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : settings.DefaultTimeout;
        var limit = context.Items.TryGetValue(EventLimitItem, out var value) ? (int?)value : null;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var writer = new EventWriter(context, path.Type, table, includeObject);
        using var subscription = store.Watch(from);
        if (subscription is null)
        {
            await writer.WriteAsync("ERROR", KubeStatus.Gone($"too old resource version: {requested} ({store.CompactedThrough})"));
            return;
        }

        // A watch also ends when the sandbox stops, so that shutdown does not wait for clients to hang up.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        deadline.CancelAfter(timeout);
        await context.Response.StartAsync(deadline.Token);
        await context.Response.Body.FlushAsync(deadline.Token);
        var sent = 0;
        bool Matches(WatchEvent e) => e.Resource == path.Type && (path.Namespace is null || e.Namespace == path.Namespace) && selectors.Matches(e.Object);

        try
        {
            foreach (var change in subscription.Initial.Where(Matches))
            {
                if (sent++ == limit) return;
                await writer.WriteAsync(change.Type, change.Object);
            }

            var lastVersion = subscription.Version;
            if (sendInitialEvents)
            {
                await writer.BookmarkAsync(lastVersion, initialEventsEnd: true);
            }

            var nextBookmark = DateTimeOffset.UtcNow + settings.BookmarkInterval;
            while (!deadline.IsCancellationRequested)
            {
                var wait = nextBookmark - DateTimeOffset.UtcNow;
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                tick.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                try
                {
                    if (!await subscription.Live.WaitToReadAsync(tick.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    if (bookmarks)
                    {
                        await writer.BookmarkAsync(lastVersion, initialEventsEnd: false);
                    }

                    nextBookmark = DateTimeOffset.UtcNow + settings.BookmarkInterval;
                    continue;
                }

                while (subscription.Live.TryRead(out var change))
                {
                    lastVersion = change.ResourceVersion;
                    if (!Matches(change))
                    {
                        continue;
                    }

                    if (sent++ == limit) return;
                    await writer.WriteAsync(change.Type, change.Object);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the watch reached its timeout: the stream simply ends.
        }
    }

    private sealed class EventWriter(HttpContext context, ResourceType type, bool table, string includeObject)
    {
        public async Task WriteAsync(string eventType, JsonObject obj)
        {
            var body = table && eventType != "ERROR"
                ? ResourceTable.Build(type, [obj], long.Parse(StoredObject.ResourceVersion(obj) ?? "0", CultureInfo.InvariantCulture), includeObject)
                : obj;
            await WriteLineAsync(new JsonObject { ["type"] = eventType, ["object"] = body.DeepClone() });
        }

        public Task BookmarkAsync(long version, bool initialEventsEnd)
        {
            var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
            if (initialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            return WriteLineAsync(new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata },
            });
        }

        private async Task WriteLineAsync(JsonObject line)
        {
            await context.Response.WriteAsync(KubeResponse.Serialize(line) + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
