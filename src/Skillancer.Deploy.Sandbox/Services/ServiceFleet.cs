using System.Collections.Concurrent;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>The state of every service's health endpoint, per environment. Thread-safe.</summary>
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

    /// <summary>The status and delay of the next answer, counting it against any limited failures.</summary>
    public (int StatusCode, int DelayMs) NextAnswer(string environment, string service)
    {
        var key = Key(environment, service);
        var behaviour = _behaviour.GetValueOrDefault(key, HealthBehaviour.Healthy);
        var served = _served.AddOrUpdate(key, 1, (_, n) => n + 1);
        var failing = behaviour.Failures is null || served <= behaviour.Failures;
        return (failing ? behaviour.StatusCode : 200, behaviour.DelayMs);
    }

    public int Served(string environment, string service) => _served.GetValueOrDefault(Key(environment, service));

    private static (string, string) Key(string environment, string service) =>
        (environment.ToLowerInvariant(), service.ToLowerInvariant());
}
