namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>What a pod's containers are doing at one moment, as the kubelet would report it.</summary>
internal enum ContainerPhase
{
    /// <summary>Not started yet: waiting, reason ContainerCreating.</summary>
    Creating,

    /// <summary>Running (ready, unless the image crashes).</summary>
    Running,

    /// <summary>Exited with an error and waiting to be restarted: waiting, reason CrashLoopBackOff.</summary>
    BackOff,
}

/// <summary>
/// A pod's state at one moment: its phase, how often its containers have restarted, when the current state
/// began, the last crash (when it has crashed) and the back-off before the next restart.
/// </summary>
internal sealed record PodState(
    ContainerPhase Phase,
    bool Ready,
    int Restarts,
    DateTimeOffset Since,
    DateTimeOffset? StartedAt,
    (DateTimeOffset Started, DateTimeOffset Finished)? LastCrash,
    TimeSpan BackOff)
{
    /// <summary>Changes exactly when what the kubelet reports changes, so that the Pod object is written only then.</summary>
    public string Key => $"{Phase}:{Restarts}";
}

/// <summary>
/// What a simulated pod's containers do over time. A good image starts and is ready after the start delay
/// (one rollout step, or none while the scenario settles). A crashing image (the scenario's <c>-broken</c>)
/// starts, runs for one unit of time, exits with code 1 and is restarted after the kubelet's back-off, which
/// starts at 10 units and doubles up to 300 (10 s to 5 min when the unit is the default second); its pod
/// never becomes ready.
/// </summary>
internal sealed class PodTimeline(DateTimeOffset createdAt, TimeSpan startDelay, TimeSpan unit, bool crashes)
{
    private static readonly TimeSpan MinimumUnit = TimeSpan.FromMilliseconds(10);

    private readonly TimeSpan _unit = unit < MinimumUnit ? MinimumUnit : unit;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public bool Crashes { get; } = crashes;

    /// <summary>When the containers start: one rollout step after the pod is created.</summary>
    public DateTimeOffset StartAt => CreatedAt + startDelay;

    /// <summary>When the pod becomes ready; null for a crashing image, which never does.</summary>
    public DateTimeOffset? ReadyAt => Crashes ? null : StartAt;

    public PodState At(DateTimeOffset now)
    {
        var start = StartAt;
        if (now < start)
        {
            return new PodState(ContainerPhase.Creating, false, 0, CreatedAt, null, null, TimeSpan.Zero);
        }

        if (!Crashes)
        {
            return new PodState(ContainerPhase.Running, true, 0, start, start, null, TimeSpan.Zero);
        }

        (DateTimeOffset, DateTimeOffset)? last = null;
        for (var restarts = 0; ; restarts++)
        {
            var crash = start + _unit;
            if (now < crash)
            {
                return new PodState(ContainerPhase.Running, false, restarts, start, start, last, TimeSpan.Zero);
            }

            var backOff = BackOff(restarts);
            if (now < crash + backOff)
            {
                return new PodState(ContainerPhase.BackOff, false, restarts, crash, null, (start, crash), backOff);
            }

            last = (start, crash);
            start = crash + backOff;
        }
    }

    /// <summary>The next moment the state changes after <paramref name="now"/>, if it ever does.</summary>
    public DateTimeOffset? NextChange(DateTimeOffset now)
    {
        var state = At(now);
        return state.Phase switch
        {
            ContainerPhase.Creating => StartAt,
            ContainerPhase.Running when Crashes => state.Since + _unit,
            ContainerPhase.BackOff => state.Since + state.BackOff,
            _ => null,
        };
    }

    // The kubelet's crash back-off: 10 s, doubling after every restart, at most 5 min.
    private TimeSpan BackOff(int restarts) => _unit * Math.Min(10 * Math.Pow(2, Math.Min(restarts, 10)), 300);
}
