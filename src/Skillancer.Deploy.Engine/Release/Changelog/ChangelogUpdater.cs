using System.Text;
using Semver;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Git;
using Skillancer.Deploy.Engine.Release.Npm;

namespace Skillancer.Deploy.Engine.Release.Changelog;

/// <summary>
/// The runbook's post-deployment "Update CHANGELOG.md": a Keep a Changelog section built from the
/// conventional commits since the previous release (feat, fix, perf and breaking changes; merges
/// and chore(release) commits are skipped), written in its place in the file.
/// </summary>
public static class ChangelogUpdater
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Builds the section and writes it; with -Commit commits the changelog alone, with -Push pushes the
    /// branch. Everything is checked before the first change. Null when the user only asked what would
    /// happen, or declined the write.
    /// </summary>
    public static async Task<ChangelogSection?> UpdateAsync(ChangelogRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var repository = await GitRepository.OpenAsync(request.Path, host, cancellationToken).ConfigureAwait(false);
        var version = request.Version is null ? await CurrentVersionAsync(repository).ConfigureAwait(false) : ReleaseVersion.Parse(request.Version);
        var since = request.Since ?? await PreviousReleaseAsync(repository, request.Remote, version, host).ConfigureAwait(false);
        if (request.Since is not null && await repository.ResolveAsync(request.Since).ConfigureAwait(false) is null)
        {
            throw new DeployException(ReleaseErrors.GitCommandFailed, DeployErrorCategory.ObjectNotFound,
                $"-Since '{request.Since}' names no commit in {repository.Root}. Pass a branch, tag or commit.", request.Since);
        }

        var commits = await repository.LogAsync(since is null ? "HEAD" : $"{since}..HEAD").ConfigureAwait(false);
        var parsed = commits
            .Select(c => ConventionalCommit.Parse(c.Sha, c.Subject, c.Body))
            .OfType<ConventionalCommit>()
            .Where(c => !(c.Type == "chore" && c.Scope == "release"))
            .ToList();
        List<string> Of(string type) => parsed.Where(c => c.Type == type).Select(c => c.Entry(c.Description)).ToList();
        var breaking = parsed.Where(c => c.IsBreaking).Select(c => c.Entry(c.BreakingNote!)).ToList();
        var (added, fixedEntries, changed) = (Of("feat"), Of("fix"), Of("perf"));
        var date = request.Date ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var text = ChangelogDocument.Render(version.ToString(), date,
            [("Breaking Changes", breaking), ("Added", added), ("Changed", changed), ("Fixed", fixedEntries)]);

        var path = ChangelogFile.Resolve(repository.Root, request.ChangelogPath);
        var file = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
        var lines = (file ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var existing = file is null ? null : ChangelogDocument.FindSection(lines, version.ToString());
        var unchanged = existing is { } range && string.Join('\n', lines[range.Start..range.End]) == text;
        if (existing is not null && !unchanged && !request.Force)
        {
            throw new DeployException(ReleaseErrors.ChangelogSectionExists, DeployErrorCategory.ResourceExists,
                $"{path} already has a different section for {version}. Edit it by hand, or pass -Force to replace it with the one built from the commits.", path);
        }

        var publisher = request.Commit || request.Push
            ? await ChangelogPublisher.PrepareAsync(repository, path, version, request, host).ConfigureAwait(false)
            : null;
        var section = new ChangelogSection
        {
            Version = version.ToString(), Date = date, Added = added, Fixed = fixedEntries, Changed = changed, Breaking = breaking,
            Since = since, Commits = commits.Count, Path = path, Text = text, Written = false,
        };
        var describedOnly = false;
        if (unchanged)
        {
            host.Verbose($"{path} already holds this section for {version}; nothing to write.");
        }
        else
        {
            var entries = added.Count + fixedEntries.Count + changed.Count + breaking.Count;
            var approval = host.ShouldProcess(path, $"{(existing is null ? "Add" : "Replace")} the section for {version} ({entries} entries from {commits.Count} commits{(since is null ? string.Empty : $" since {since}")})");
            if (approval == Approval.Declined)
            {
                return null;
            }

            describedOnly = approval == Approval.WhatIf;
            if (!describedOnly)
            {
                await File.WriteAllTextAsync(path, ChangelogDocument.Insert(file, text, existing), Utf8, cancellationToken).ConfigureAwait(false);
                section = section with { Written = true };
            }
        }

        if (publisher is not null)
        {
            section = await publisher.RunAsync(section, fileChanging: !unchanged).ConfigureAwait(false);
            describedOnly |= publisher.DescribedOnly;
        }

        return describedOnly ? null : section;
    }

    private static async Task<SemVersion> CurrentVersionAsync(GitRepository repository)
    {
        var path = Path.Join(repository.Root, "package.json");
        if (!File.Exists(path))
        {
            throw VersionFiles.NotFound(repository.Root);
        }

        var version = NpmJsonFile.ReadVersion(await File.ReadAllTextAsync(path).ConfigureAwait(false), "package.json");
        return ReleaseVersion.Parse(version ?? "0.0.0");
    }

    // The newest release branch older than this version, local first, else as last fetched.
    private static async Task<string?> PreviousReleaseAsync(GitRepository repository, string remote, SemVersion version, OperationHost host)
    {
        var previous = (await ReleaseBranches.ListAsync(repository, remote, host).ConfigureAwait(false))
            .FirstOrDefault(b => ReleaseVersion.ParseCurrent(b.Version).ComparePrecedenceTo(version) < 0);
        if (previous is null)
        {
            host.Verbose("No earlier release branch found; the section covers the whole history.");
            return null;
        }

        return previous.Local ? previous.Branch : $"{remote}/{previous.Branch}";
    }
}
