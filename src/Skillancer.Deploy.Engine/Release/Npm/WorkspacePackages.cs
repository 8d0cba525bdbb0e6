using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Release.Npm;

/// <summary>
/// Finds a monorepo's workspace packages: the folders that the <c>workspaces</c> field of the root
/// package.json (npm, yarn) or the <c>packages</c> list of pnpm-workspace.yaml name, each one
/// holding a package.json. Patterns starting with '!' exclude; node_modules never counts.
/// </summary>
internal static class WorkspacePackages
{
    /// <summary>The workspace folders, relative to <paramref name="root"/> with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Find(string root, object? rootPackage)
    {
        var patterns = FromPackageJson(rootPackage).Concat(FromPnpmWorkspace(root)).ToList();
        if (patterns.Count == 0)
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var pattern in patterns)
        {
            var negated = pattern.StartsWith('!');
            var glob = $"{pattern.TrimStart('!').TrimStart('.', '/').TrimEnd('/')}/package.json";
            if (negated)
            {
                matcher.AddExclude(glob);
            }
            else
            {
                matcher.AddInclude(glob);
            }
        }

        matcher.AddExclude("**/node_modules/**");
        return matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files
            .Select(file => Path.GetDirectoryName(file.Path)!.Replace('\\', '/'))
            .Where(folder => folder.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<string> FromPackageJson(object? rootPackage)
    {
        if (rootPackage is not JsObject package || !package.TryGet("workspaces", out var workspaces))
        {
            return [];
        }

        if (workspaces is JsObject yarnStyle && yarnStyle.TryGet("packages", out var packages))
        {
            workspaces = packages;
        }

        return workspaces is List<object?> list ? list.OfType<string>() : [];
    }

    private static List<string> FromPnpmWorkspace(string root)
    {
        var path = Path.Join(root, "pnpm-workspace.yaml");
        if (!File.Exists(path))
        {
            return [];
        }

        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return stream.Documents.Count > 0
            && stream.Documents[0].RootNode is YamlMappingNode map
            && map.Children.TryGetValue(new YamlScalarNode("packages"), out var node)
            && node is YamlSequenceNode list
                ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).Where(v => v.Length > 0).ToList()
                : [];
    }
}
