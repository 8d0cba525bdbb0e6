using System.Globalization;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>
/// The runbook's "CDN Cache Clear" (<c>aws cloudfront create-invalidation</c>), the one entry point for
/// Clear-SkCdnCache and any composition. A clear is named by its environment, version and paths: a rerun
/// less than cdn.dedupeWindow after that clear's invalidation was created returns it instead of making
/// another; a later rerun makes a new one.
/// </summary>
public static class CdnCacheClearer
{
    /// <summary>
    /// Checks the paths, asks before the change, then returns the clear's invalidation from inside the
    /// dedupe window or creates one, and waits for it when asked. Null when the change was not approved
    /// (-WhatIf, or No to -Confirm): then nothing was sent to CloudFront.
    /// </summary>
    public static async Task<InvalidationResult?> ClearAsync(CacheClearRequest request, Admission admission, OperationHost host, CancellationToken cancellationToken)
    {
        var paths = request.Validate();
        admission.Require(request.Environment);
        var reference = InvalidationReference.For(request.Environment.Name, request.Version, paths);
        using var cloudFront = CloudFrontInvalidations.Open(request.Environment, request.Profile, host);
        if (host.ShouldProcess(cloudFront.Target, $"Invalidate {string.Join(", ", paths)}") != Approval.Approved)
        {
            return null;
        }

        // The slot in the reference counts whole seconds, so the window does too.
        var window = TimeSpan.FromTicks(Math.Max(request.Environment.Cdn!.DedupeWindow.Ticks, TimeSpan.TicksPerSecond));
        var now = request.Clock.GetUtcNow();
        var invalidation = await cloudFront.FindAsync(reference, now - window, cancellationToken).ConfigureAwait(false);
        if (invalidation is null)
        {
            invalidation = await cloudFront.CreateAsync(paths, reference.At(now, window), cancellationToken).ConfigureAwait(false);
            host.Verbose($"Invalidation {invalidation.Id} ({invalidation.CallerReference}) is {invalidation.Status}.");
        }
        else
        {
            Report(invalidation, now, window, host);
        }

        return request.Wait
            ? await cloudFront.WaitAsync(invalidation, request.Timeout, request.PollInterval, cancellationToken).ConfigureAwait(false)
            : invalidation;
    }

    private static void Report(InvalidationResult invalidation, DateTimeOffset now, TimeSpan window, OperationHost host)
    {
        var age = DurationParser.Format(TimeSpan.FromSeconds(Math.Max(0, Math.Round((now - invalidation.CreateTime).TotalSeconds))));
        var newAfter = (invalidation.CreateTime + window).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var same = $"The same clear made invalidation {invalidation.Id} {age} ago (less than cdn.dedupeWindow, {DurationParser.Format(window)}), so it is returned and no new one is created.";
        if (invalidation.Status == "Completed")
        {
            host.Warning($"{same} It has Completed: anything cached since then stays cached. A rerun after {newAfter} UTC, or one with another -Version, creates a new invalidation.");
        }
        else
        {
            host.Verbose($"{same} It is {invalidation.Status}.");
        }
    }
}
