using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// The pods of one ReplicaSet, which exist only here: no Pod objects are served. A pod becomes ready one
/// rollout step after it is created, unless its image never does.
/// </summary>
internal sealed class SimulatedPods
{
    private readonly List<DateTimeOffset?> _readyAt = [];

    public SimulatedPods(IReadOnlyList<string?> images) => Images = images;

    /// <summary>The images of the pod's containers.</summary>
    public IReadOnlyList<string?> Images { get; }

    public ImageBehaviour Behaviour => ImageRules.Worst(Images);

    public int Count => _readyAt.Count;

    public int Ready(DateTimeOffset now) => _readyAt.Count(t => t <= now);

    /// <summary>Ready for at least <paramref name="minReady"/>.</summary>
    public int Available(DateTimeOffset now, TimeSpan minReady) => _readyAt.Count(t => t + minReady <= now);

    /// <summary>The next moment a pod becomes ready or available, if any is still waiting.</summary>
    public DateTimeOffset? NextChange(DateTimeOffset now, TimeSpan minReady) =>
        _readyAt.Where(t => t is not null).SelectMany(t => new[] { t!.Value, t.Value + minReady }).Where(t => t > now).Order().Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>Creates or deletes pods to reach <paramref name="replicas"/>; deletes not-ready pods first, then the newest.</summary>
    public void ScaleTo(int replicas, DateTimeOffset now, TimeSpan step)
    {
        while (_readyAt.Count < replicas)
        {
            _readyAt.Add(Behaviour == ImageBehaviour.Broken ? null : now + step);
        }

        while (_readyAt.Count > replicas)
        {
            var victim = _readyAt.FindLastIndex(t => t is null || t > now);
            _readyAt.RemoveAt(victim >= 0 ? victim : _readyAt.Count - 1);
        }
    }
}
