using Skillancer.Deploy.Engine.Primitives;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Kubernetes.Cluster;

/// <summary>
/// Reads a kubeconfig before the client library does, so that a broken one is explained with its
/// file, line and column (the library throws YamlDotNet's bare exceptions, or a
/// NullReferenceException for an empty file): YAML that does not parse, YAML that is not a
/// kubeconfig, no usable context, and a context that names a cluster or user the file lacks.
/// Only what the module needs is checked; the rest is left to the library.
/// </summary>
internal static class KubeconfigFile
{
    private const string Repair =
        "Fix the file, or point kubernetes.kubeconfig in skdeploy.yml, $env:KUBECONFIG or -Kubeconfig at a working kubeconfig ('kubectl config view --raw' prints one that kubectl can use).";

    /// <summary>
    /// Fails with <c>KubeconfigInvalid</c> when the file cannot give a client for <paramref name="wantedContext"/> (or its
    /// current context); returns the name of the user entry that context uses (null when it names none).
    /// </summary>
    public static string? Check(string path, string? wantedContext)
    {
        var root = Load(path);
        if (root.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) && kind is YamlScalarNode { Value: { } kindName } && kindName != "Config")
        {
            throw Invalid(path, kind.Start, $"the file is a Kubernetes '{kindName}', not a kubeconfig (kind: Config)", Repair);
        }

        var clusters = List(path, root, "clusters");
        var contexts = List(path, root, "contexts");
        var users = List(path, root, "users");
        if (contexts.Count == 0)
        {
            throw Invalid(path, Position(root, "contexts", root.Start),
                "the file is not a kubeconfig: it has no contexts (a kubeconfig lists clusters, users and contexts, and names its current-context)", Repair);
        }

        var names = contexts.Select(c => Text(c, "name")).OfType<string>().ToList();
        var known = string.Join(", ", names);
        YamlMappingNode? chosen;
        if (wantedContext is not null)
        {
            chosen = contexts.FirstOrDefault(c => Text(c, "name") == wantedContext)
                ?? throw Invalid(path, Position(root, "contexts", root.Start),
                    $"the kubeconfig cannot be used with context '{wantedContext}': it has no such context (it has: {known})",
                    "Pass -Context with one of its contexts, or fix kubernetes.context in skdeploy.yml.");
        }
        else
        {
            var current = Text(root, "current-context");
            if (string.IsNullOrEmpty(current))
            {
                throw Invalid(path, Position(root, "current-context", root.Start), "the kubeconfig sets no current-context, and no context was asked for",
                    $"Pass -Context with one of its contexts ({known}), set kubernetes.context in skdeploy.yml, or run 'kubectl config use-context <name>'.");
            }

            chosen = contexts.FirstOrDefault(c => Text(c, "name") == current)
                ?? throw Invalid(path, Position(root, "current-context", root.Start), $"current-context '{current}' names no context in the file (it has: {known})",
                    "Run 'kubectl config use-context <name>' with one of them, or pass -Context.");
        }

        var name = Text(chosen, "name");
        if (Child(chosen, "context") is not YamlMappingNode context)
        {
            throw Invalid(path, chosen.Start, $"the context '{name}' has no context: mapping naming its cluster and user", Repair);
        }

        var clusterName = Text(context, "cluster");
        var cluster = clusters.FirstOrDefault(c => Text(c, "name") == clusterName)
            ?? throw Invalid(path, Position(context, "cluster", context.Start),
                $"the context '{name}' names the cluster '{clusterName}', which the file does not list (it has: {string.Join(", ", clusters.Select(c => Text(c, "name")))})", Repair);
        if (Child(cluster, "cluster") is not YamlMappingNode server || string.IsNullOrWhiteSpace(Text(server, "server")))
        {
            throw Invalid(path, cluster.Start, $"the cluster '{clusterName}' has no server: URL", Repair);
        }

        var userName = Text(context, "user");
        if (!string.IsNullOrEmpty(userName) && users.All(u => Text(u, "name") != userName))
        {
            throw Invalid(path, Position(context, "user", context.Start),
                $"the context '{name}' names the user '{userName}', which the file does not list (it has: {string.Join(", ", users.Select(u => Text(u, "name")))})", Repair);
        }

        return string.IsNullOrEmpty(userName) ? null : userName;
    }

    /// <summary>A failure of the client library, placed in the file when the library says where.</summary>
    public static DeployException Unusable(string path, string? wantedContext, Exception e)
    {
        var where = e is YamlException yaml ? $"{path}:{yaml.Start.Line}:{yaml.Start.Column}" : path;
        return new DeployException(KubernetesErrors.KubeconfigInvalid, DeployErrorCategory.InvalidData,
            Sentences.Join($"{where}: the kubeconfig cannot be used{(wantedContext is null ? "" : $" with context '{wantedContext}'")}: {e.Message}",
                "Check the file with 'kubectl config view', or pass -Context with one of its contexts."), path, e);
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw Invalid(path, e.Start, $"the file is not valid YAML: {e.Message}", Repair);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeployException(KubernetesErrors.KubeconfigInvalid, DeployErrorCategory.ResourceUnavailable,
                Sentences.Join($"The kubeconfig '{path}' cannot be read: {e.Message}", "Check the path and its permissions."), path, e);
        }

        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }
            ? throw Invalid(path, Mark.Empty, "the file is empty, not a kubeconfig", Repair)
            : stream.Documents[0].RootNode as YamlMappingNode
                ?? throw Invalid(path, stream.Documents[0].RootNode.Start,
                    $"the file is not a kubeconfig: it holds a YAML {(stream.Documents[0].RootNode is YamlSequenceNode ? "list" : "value")}, where a mapping with clusters, users and contexts belongs", Repair);
    }

    // The items of a top-level list; a key that is there but holds no list is an error.
    private static List<YamlMappingNode> List(string path, YamlMappingNode root, string key) => Child(root, key) switch
    {
        null or YamlScalarNode { Value: null or "" or "null" or "~" } => [],
        YamlSequenceNode list => list.Children.OfType<YamlMappingNode>().ToList(),
        var other => throw Invalid(path, other.Start, $"'{key}' must be a list of named entries", Repair),
    };

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    // Where a key is written, or the fallback when it is absent.
    private static Mark Position(YamlMappingNode map, string key, Mark fallback) =>
        map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: { } v } && v == key)?.Start ?? fallback;

    private static DeployException Invalid(string path, Mark at, string problem, string advice)
    {
        var (line, column) = at.Line > 0 ? (at.Line, at.Column) : (1, 1);
        return new DeployException(KubernetesErrors.KubeconfigInvalid, DeployErrorCategory.InvalidData,
            Sentences.Join($"{path}:{line}:{column}: {problem}", advice), path);
    }
}
