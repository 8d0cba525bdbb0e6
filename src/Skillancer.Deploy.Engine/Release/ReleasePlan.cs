using Semver;
using Skillancer.Deploy.Engine.Release.Git;

namespace Skillancer.Deploy.Engine.Release;

/// <summary>A release whose preconditions all hold: what will be cut, from where, and what came before.</summary>
internal sealed record ReleasePlan(
    GitRepository Repository,
    SemVersion Version,
    SemVersion PreviousVersion,
    string Branch,
    string BaseBranch,
    string Remote,
    string? CurrentBranch);
