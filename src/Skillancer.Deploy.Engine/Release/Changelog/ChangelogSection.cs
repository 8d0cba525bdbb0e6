namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>A release's section of CHANGELOG.md, built from its conventional commits, so notices can quote its key changes.</summary>
public sealed record ChangelogSection
{
    /// <summary>The version the section is for: 1.2.3.</summary>
    public required string Version { get; init; }

    /// <summary>The release date.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>New features (feat).</summary>
    public required IReadOnlyList<string> Added { get; init; }

    /// <summary>Bug fixes (fix).</summary>
    public required IReadOnlyList<string> Fixed { get; init; }

    /// <summary>Other notable changes (perf).</summary>
    public required IReadOnlyList<string> Changed { get; init; }

    /// <summary>Breaking changes (a '!' after the type, or a BREAKING CHANGE footer).</summary>
    public required IReadOnlyList<string> Breaking { get; init; }

    /// <summary>The ref the commits were counted from (the previous release), or null for the whole history.</summary>
    public string? Since { get; init; }

    /// <summary>How many commits the range held, counted or not.</summary>
    public required int Commits { get; init; }

    /// <summary>The changelog file.</summary>
    public required string Path { get; init; }

    /// <summary>The Markdown of the section, without line breaks at its ends.</summary>
    public required string Text { get; init; }

    /// <summary>Whether the file was changed (false when it already held exactly this section).</summary>
    public required bool Written { get; init; }

    /// <summary>With -Commit: the commit that holds the section (this run's, or an earlier one when nothing was left to commit); else null.</summary>
    public string? Commit { get; init; }

    /// <summary>With -Push: whether the remote's branch holds that commit (pushed now or before).</summary>
    public bool Pushed { get; init; }
}
