namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>What an action says about itself before it starts: the kind of record, the version it deploys and the services it touches.</summary>
/// <param name="Kind">The kind of action.</param>
/// <param name="Version">The version (image tag) it deploys or works on; null when it has none.</param>
/// <param name="Services">The services it touches, in the order it touches them.</param>
public sealed record RecordSubject(RecordKind Kind, string? Version, IReadOnlyList<string> Services);
