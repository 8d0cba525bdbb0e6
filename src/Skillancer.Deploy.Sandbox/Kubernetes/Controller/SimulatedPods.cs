using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>
/// The pods of one ReplicaSet. A pod becomes ready one rollout step after it is created, unless its image
/// crashes (<see cref="PodTimeline"/>). The API serves them as read-only Pod objects (<see cref="PodPublisher"/>).
/// </summary>
internal sealed class SimulatedPods(string replicaSet, IReadOnlyList<string?> images, TimeSpan crashPace, PodNetwork network)
{
    // The alphabet of Kubernetes' generated name suffixes: no vowels, no look-alike digits.
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly List<SimulatedPod> _pods = [];

    /// <summary>The images of the pod's containers.</summary>
    public IReadOnlyList<string?> Images { get; } = images;

    public ImageBehaviour Behaviour => ImageRules.Worst(Images);

    public IReadOnlyList<SimulatedPod> All => _pods;

    public int Count => _pods.Count;

    public int Ready(DateTimeOffset now) => _pods.Count(p => p.Timeline.ReadyAt <= now);

    /// <summary>Ready for at least <paramref name="minReady"/>.</summary>
    public int Available(DateTimeOffset now, TimeSpan minReady) => _pods.Count(p => p.Timeline.ReadyAt + minReady <= now);

    /// <summary>The next moment a pod becomes ready or available, or its containers change state.</summary>
    public DateTimeOffset? NextChange(DateTimeOffset now, TimeSpan minReady) =>
        _pods.SelectMany(p => new[] { p.Timeline.ReadyAt, p.Timeline.ReadyAt + minReady, p.Timeline.NextChange(now) })
            .Where(t => t > now).Order().FirstOrDefault();

    /// <summary>Creates or deletes pods to reach <paramref name="replicas"/>; deletes not-ready pods first, then the newest.</summary>
    public void ScaleTo(int replicas, DateTimeOffset now, TimeSpan step)
    {
        while (_pods.Count < replicas)
        {
            _pods.Add(new SimulatedPod(NewName(), Guid.NewGuid().ToString(), network.NextAddress(),
                new PodTimeline(now, step, crashPace, Behaviour == ImageBehaviour.Broken)));
        }

        while (_pods.Count > replicas)
        {
            var victim = _pods.FindLastIndex(p => p.Timeline.ReadyAt is null || p.Timeline.ReadyAt > now);
            _pods.RemoveAt(victim >= 0 ? victim : _pods.Count - 1);
        }
    }

    // The ReplicaSet's name and five random characters, as generateName does.
    private string NewName()
    {
        while (true)
        {
            var suffix = new string(Enumerable.Range(0, 5).Select(_ => SuffixAlphabet[Random.Shared.Next(SuffixAlphabet.Length)]).ToArray());
            var name = $"{replicaSet}-{suffix}";
            if (_pods.All(p => p.Name != name))
            {
                return name;
            }
        }
    }
}
