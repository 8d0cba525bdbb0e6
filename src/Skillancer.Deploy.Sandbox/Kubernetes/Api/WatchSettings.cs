namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>How watches behave: how often they send bookmarks and how long they last when the client names no timeout.</summary>
/// <param name="BookmarkInterval">The time between BOOKMARK events, for clients that allow them.</param>
/// <param name="DefaultTimeout">A watch's length when the request has no timeoutSeconds.</param>
internal sealed record WatchSettings(TimeSpan BookmarkInterval, TimeSpan DefaultTimeout)
{
    public static WatchSettings Default { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30));
}
