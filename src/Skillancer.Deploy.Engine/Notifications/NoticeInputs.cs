using System.Collections;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>
/// What the objects piped into New-SkDeploymentNotice say, gathered for one notice: health results give
/// the Status line, changelog sections the key changes, rollout results the services, and every object
/// its Environment, which must be the notice's (<c>TargetMismatch</c> otherwise).
/// </summary>
public sealed class NoticeInputs
{
    private readonly List<(string Service, bool Healthy)> _health = [];
    private readonly List<string> _changes = [];
    private readonly List<string> _services = [];
    private bool _changelogPiped;

    /// <summary>The first version given or piped.</summary>
    public string? Version { get; private set; }

    /// <summary>The first environment given or piped.</summary>
    public string? Environment { get; private set; }

    /// <summary>Takes one input: the bound -Version and -Environment, and the piped object's properties (by name), if any.</summary>
    public void Add(string? version, string? environment, string? typeName, Func<string, object?>? property)
    {
        Version ??= version;
        Environment ??= environment;
        if (property is null)
        {
            return;
        }

        if (property("Environment") is string from && Environment is not null && !string.Equals(from, Environment, StringComparison.OrdinalIgnoreCase))
        {
            throw TargetMismatch.Refuse(
                $"A {typeName} from '{from}' was piped into a notice for '{Environment}'. Pipe in the results of one environment per notice.", from);
        }

        if (property("Healthy") is bool healthy)
        {
            _health.Add((property("Service")?.ToString() ?? "?", healthy));
        }
        else if (property("Service") is string service)
        {
            _services.Add(service);
        }

        foreach (var list in new[] { "Added", "Fixed", "Changed", "Breaking" })
        {
            if (property(list) is IEnumerable entries and not string)
            {
                _changelogPiped = true;
                _changes.AddRange(entries.Cast<object>().Select(e => e.ToString()!));
            }
        }
    }

    /// <summary>
    /// The request with what was gathered. <paramref name="services"/> and <paramref name="keyChanges"/> are the
    /// parameters; with neither key changes given nor a changelog section piped, the notice reads CHANGELOG.md.
    /// </summary>
    public NoticeRequest Apply(NoticeRequest request, string? environment, int serviceCount, IReadOnlyList<string>? services, IReadOnlyList<string>? keyChanges) => request with
    {
        Version = Version,
        Environment = environment ?? Environment,
        Services = services ?? _services.Distinct().ToList(),
        ServiceCount = serviceCount,
        Health = _health.ToList(),
        KeyChanges = keyChanges is null && !_changelogPiped ? null : (keyChanges ?? []).Concat(_changes).Distinct().ToList(),
    };
}
