namespace Skillancer.Deploy.Engine.Release;

/// <summary>The error ids of the release steps, one per failure a user can act on.</summary>
public static class ReleaseErrors
{
    /// <summary>git is not installed or not on PATH.</summary>
    public const string GitNotInstalled = "GitNotInstalled";
    /// <summary>A git command did not finish in time.</summary>
    public const string GitTimedOut = "GitTimedOut";
    /// <summary>A git command failed in a way no other id describes.</summary>
    public const string GitCommandFailed = "GitCommandFailed";
    /// <summary>The path is not inside a git repository.</summary>
    public const string NotAGitRepository = "NotAGitRepository";
    /// <summary>The working tree has uncommitted changes.</summary>
    public const string WorkingTreeDirty = "WorkingTreeDirty";
    /// <summary>The remote is not configured in the repository.</summary>
    public const string RemoteNotFound = "RemoteNotFound";
    /// <summary>The remote could not be reached.</summary>
    public const string RemoteUnreachable = "RemoteUnreachable";
    /// <summary>The base branch exists neither locally nor on the remote, or not on the remote.</summary>
    public const string BaseBranchNotFound = "BaseBranchNotFound";
    /// <summary>The base branch and its remote counterpart both have commits the other lacks.</summary>
    public const string BaseBranchDiverged = "BaseBranchDiverged";
    /// <summary>The base branch has local commits that the remote lacks.</summary>
    public const string BaseBranchAhead = "BaseBranchAhead";
    /// <summary>The release branch already exists locally or on the remote.</summary>
    public const string ReleaseBranchExists = "ReleaseBranchExists";
    /// <summary>The version is not a SemVer 2 version.</summary>
    public const string InvalidVersion = "InvalidVersion";
    /// <summary>The version is not greater than the current one.</summary>
    public const string VersionNotGreater = "VersionNotGreater";
    /// <summary>The repository has no package.json at its root.</summary>
    public const string PackageJsonNotFound = "PackageJsonNotFound";
    /// <summary>A package.json or lock file is not valid JSON.</summary>
    public const string PackageJsonInvalid = "PackageJsonInvalid";
    /// <summary>The remote refused the push.</summary>
    public const string PushRejected = "PushRejected";
    /// <summary>A release step failed after earlier steps changed the repository.</summary>
    public const string ReleaseStepFailed = "ReleaseStepFailed";
    /// <summary>The changelog already has a different section for the version.</summary>
    public const string ChangelogSectionExists = "ChangelogSectionExists";
    /// <summary>-Commit was asked while other changes are staged, which the commit would sweep in.</summary>
    public const string OtherChangesStaged = "OtherChangesStaged";
    /// <summary>-Commit was asked for a changelog file outside the repository.</summary>
    public const string ChangelogOutsideRepository = "ChangelogOutsideRepository";
    /// <summary>-Push was asked while HEAD is detached, so there is no branch to push.</summary>
    public const string DetachedHead = "DetachedHead";
    /// <summary>-ChangelogPath names a file that does not exist.</summary>
    public const string ChangelogNotFound = "ChangelogNotFound";
}
