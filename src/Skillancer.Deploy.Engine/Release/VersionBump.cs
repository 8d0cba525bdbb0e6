namespace Skillancer.Deploy.Engine.Release;

/// <summary>Which part of the current version to raise, as <c>npm version major|minor|patch|prerelease</c> does.</summary>
public enum VersionBump
{
    /// <summary>1.2.3 → 2.0.0 (and 2.0.0-rc.1 → 2.0.0).</summary>
    Major,
    /// <summary>1.2.3 → 1.3.0 (and 1.3.0-rc.1 → 1.3.0).</summary>
    Minor,
    /// <summary>1.2.3 → 1.2.4 (and 1.2.4-rc.1 → 1.2.4).</summary>
    Patch,
    /// <summary>1.2.3 → 1.2.4-0, 1.2.4-rc.1 → 1.2.4-rc.2; with a pre-release id, 1.2.3 → 1.2.4-rc.0.</summary>
    Prerelease,
}
