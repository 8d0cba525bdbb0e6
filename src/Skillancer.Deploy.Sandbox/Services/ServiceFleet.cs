using System.Collections.Concurrent;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>Health behaviours set through the control API, which override what the cluster says. Thread-safe.</summary>
internal sealed class ServiceFleet
{
    private readonly ConcurrentDictionary<(string Environment, string Service), HealthBehaviour> _behaviour = new();
    private readonly ConcurrentDictionary<(string Environment, string Service), int> _served = new();

    public void Set(string environment, string service, HealthBehaviour behaviour)
    {
        _behaviour[Key(environment, service)] = behaviour;
        _served[Key(environment, service)] = 0;
    }

    public void Reset()
    {
        _behaviour.Clear();
        _served.Clear();
    }

    /// <summary>
    /// Counts an answer and returns its status and delay when a behaviour is set, counting it against any
    /// limited failures; null when none is set and the cluster decides.
    /// </summary>
    public (int StatusCode, int DelayMs)? NextAnswer(string environment, string service)
    {
        var key = Key(environment, service);
        var served = _served.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (!_behaviour.TryGetValue(key, out var behaviour))
        {
            return null;
        }

        var failing = behaviour.Failures is null || served <= behaviour.Failures;
        return (failing ? behaviour.StatusCode : 200, behaviour.DelayMs);
    }

    public int Served(string environment, string service) => _served.GetValueOrDefault(Key(environment, service));

    private static (string, string) Key(string environment, string service) =>
        (environment.ToLowerInvariant(), service.ToLowerInvariant());
}
