using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>Which records Get-SkDeploymentLog lists: all of an environment's, newest first, narrowed by what is set.</summary>
public sealed partial record JournalQuery
{
    /// <summary>Only records of this version (1.2.3 and v1.2.3 alike).</summary>
    public string? Version { get; init; }

    /// <summary>Only records of these kinds.</summary>
    public IReadOnlyList<RecordKind>? Kinds { get; init; }

    /// <summary>Only records of actions started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>At most this many, the newest.</summary>
    public int? Last { get; init; }

    /// <summary>The one record with this id.</summary>
    public string? Id { get; init; }

    /// <summary>Refuses a -Last under 1 and an -Id that is not a record id (InvalidJournalQuery).</summary>
    public JournalQuery Validate()
    {
        if (Last is < 1)
        {
            throw Invalid($"-Last {Last} asks for no record. Pass how many of the newest records to list (1 or more), or leave it out for all.", Last);
        }

        if (Id is { } id && !RecordId().IsMatch(id))
        {
            throw Invalid($"-Id '{id}' is not a record id. Ids look like 20261203-141502-9f3a; Get-SkDeploymentLog lists them.", id);
        }

        return this;
    }

    /// <summary>The records of <paramref name="newestFirst"/> that match, newest first.</summary>
    public IReadOnlyList<DeploymentRecord> Filter(IEnumerable<DeploymentRecord> newestFirst)
    {
        var version = Version is null ? null : Bare(Version);
        var matching = newestFirst
            .Where(r => version is null || (r.Version is { } v && string.Equals(Bare(v), version, StringComparison.OrdinalIgnoreCase)))
            .Where(r => Kinds is null || Kinds.Contains(r.Kind))
            .Where(r => Since is null || r.StartedAt >= Since);
        return (Last is { } last ? matching.Take(last) : matching).ToList();
    }

    // 1.2.3 and v1.2.3 name the same version.
    private static string Bare(string version) => version.StartsWith('v') || version.StartsWith('V') ? version[1..] : version;

    private static DeployException Invalid(string message, object? target) =>
        new(StateErrors.InvalidJournalQuery, DeployErrorCategory.InvalidArgument, message, target);

    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")]
    private static partial Regex RecordId();
}
