using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// A real git setup for one test: a bare origin and a clone of it, under a folder whose name has a
/// space and a non-ASCII letter, with a test identity set inside the clone.
/// </summary>
public sealed class GitWorkspace : IDisposable
{
    private GitWorkspace(string root)
    {
        Root = root;
        Origin = Path.Join(root, "origin.git");
        Clone = Path.Join(root, "work tree ü");
    }

    public string Root { get; }

    public string Origin { get; }

    public string Clone { get; }

    /// <summary>An origin whose master holds <paramref name="files"/> in one commit, and a clone of it.</summary>
    public static GitWorkspace Create(IReadOnlyDictionary<string, string> files, string baseBranch = "master")
    {
        var workspace = new GitWorkspace(Path.Join(Path.GetTempPath(), "skdeploy git " + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(workspace.Root);
        Run(workspace.Root, "init", "--quiet", "--bare", "-b", baseBranch, workspace.Origin);
        Run(workspace.Root, "clone", "--quiet", workspace.Origin, workspace.Clone);
        workspace.Git("config", "user.name", "Release Tester");
        workspace.Git("config", "user.email", "tester@skillancer.test");
        workspace.Git("config", "commit.gpgsign", "false");
        workspace.Git("config", "core.autocrlf", "false");
        workspace.Git("checkout", "--quiet", "-b", baseBranch);
        workspace.Commit("chore: initial commit", files);
        workspace.Git("push", "--quiet", "origin", baseBranch);
        return workspace;
    }

    /// <summary>A package.json (and lock) at version <paramref name="version"/>.</summary>
    public static Dictionary<string, string> NpmProject(string version, bool withLock = true)
    {
        var files = new Dictionary<string, string>
        {
            ["package.json"] = $"{{\n  \"name\": \"svc\",\n  \"version\": \"{version}\",\n  \"private\": true\n}}\n",
        };
        if (withLock)
        {
            files["package-lock.json"] = $"{{\n  \"name\": \"svc\",\n  \"version\": \"{version}\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {{\n    \"\": {{\n      \"name\": \"svc\",\n      \"version\": \"{version}\"\n    }}\n  }}\n}}\n";
        }

        return files;
    }

    public string Git(params string[] arguments) => Run(Clone, arguments);

    public string GitIn(string directory, params string[] arguments) => Run(directory, arguments);

    public void Commit(string message, IReadOnlyDictionary<string, string>? files = null)
    {
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
        {
            Write(path, content);
        }

        Git("add", "--all");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
    }

    public void Write(string path, string content)
    {
        var full = Path.Join(Clone, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, Encoding.UTF8.GetBytes(content));
    }

    public string Read(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(Path.Join(Clone, path)));

    /// <summary>A second clone of the origin with the same identity, standing in for a colleague.</summary>
    public string CloneAgain(string name)
    {
        var path = Path.Join(Root, name);
        Run(Root, "clone", "--quiet", Origin, path);
        Run(path, "config", "user.name", "Colleague");
        Run(path, "config", "user.email", "colleague@skillancer.test");
        Run(path, "config", "commit.gpgsign", "false");
        return path;
    }

    /// <summary>A hash of every byte under the clone and the origin, .git included.</summary>
    public string Snapshot()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var folder in new[] { Clone, Origin })
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(Root, file)));
                sha.AppendData(File.ReadAllBytes(file));
            }
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Run(string directory, params string[] arguments) =>
        ExternalProgram.Run("git", directory, arguments, new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0" });
}
