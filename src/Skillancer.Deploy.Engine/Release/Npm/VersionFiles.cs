using System.Text;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Release.Npm;

/// <summary>
/// The files <c>npm version</c> rewrites — package.json, then package-lock.json and
/// npm-shrinkwrap.json when present — and, for a monorepo, every workspace package.json too.
/// </summary>
internal static class VersionFiles
{
    private static readonly string[] LockFiles = ["package-lock.json", "npm-shrinkwrap.json"];
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Works out the new content of every file, without writing anything.</summary>
    public static IReadOnlyList<FileChange> Plan(string root, string version, bool workspaces)
    {
        var packagePath = Path.Join(root, "package.json");
        if (!File.Exists(packagePath))
        {
            throw NotFound(root);
        }

        var folders = workspaces ? WorkspacePackages.Find(root, ParseRoot(packagePath)) : [];
        var changes = new List<FileChange> { Change(root, "package.json", version, null) };
        foreach (var lockFile in LockFiles.Where(f => File.Exists(Path.Join(root, f))))
        {
            changes.Add(Change(root, lockFile, version, ["", .. folders]));
        }

        changes.AddRange(folders.Select(folder => Change(root, $"{folder}/package.json", version, null)));
        return changes.Where(c => c.Changed).ToList();
    }

    /// <summary>Writes the planned files as UTF-8 without a byte-order mark, as npm does.</summary>
    public static void Write(IEnumerable<FileChange> changes)
    {
        foreach (var change in changes)
        {
            File.WriteAllText(change.FullPath, change.NewText, Utf8);
        }
    }

    public static DeployException NotFound(string root) =>
        new(ReleaseErrors.PackageJsonNotFound, DeployErrorCategory.ObjectNotFound,
            $"There is no package.json at the root of {root}. New-SkRelease sets the version there, as 'npm version' does; run it in the repository of an npm or pnpm project.",
            root);

    private static FileChange Change(string root, string relativePath, string version, IReadOnlyCollection<string>? lockKeys)
    {
        var fullPath = Path.GetFullPath(Path.Join(root, relativePath));
        var raw = File.ReadAllBytes(fullPath);
        var updated = NpmJsonFile.SetVersion(Utf8.GetString(raw), version, relativePath, lockKeys);
        return new FileChange(relativePath, fullPath, updated, !raw.AsSpan().SequenceEqual(Utf8.GetBytes(updated)));
    }

    private static object? ParseRoot(string packagePath)
    {
        try
        {
            return JsJson.Parse(Utf8.GetString(File.ReadAllBytes(packagePath)).TrimStart('\uFEFF'));
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // reported, with its position, when the file itself is rewritten
        }
    }
}

/// <summary>One file the release rewrites: its path relative to the repository ('/' separators), its full path and its new text.</summary>
internal sealed record FileChange(string RelativePath, string FullPath, string NewText, bool Changed);
