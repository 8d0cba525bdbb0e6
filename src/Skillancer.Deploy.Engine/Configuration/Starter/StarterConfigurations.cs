using System.Text;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// New-SkConfiguration: writes a commented starter skdeploy.yml, with the runbook's services or (from a
/// cluster) the deployments a kubeconfig context shows. Everything is checked before the file is
/// written, and the text is loaded back through <see cref="ConfigLoader"/> first, so what it writes
/// always loads without an error or a warning. It never overwrites a file unless asked to.
/// </summary>
public static partial class StarterConfigurations
{
    /// <summary>Writes the starter configuration; null when ShouldProcess said no (-WhatIf).</summary>
    public static async Task<StarterConfiguration?> WriteAsync(StarterRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var names = EnvironmentNames(request);
        var path = Target(request.Path);
        var exists = File.Exists(path);
        if (exists && !request.Force)
        {
            throw new DeployException(StarterErrors.FileExists, DeployErrorCategory.ResourceExists,
                $"'{path}' already exists. Add -Force to overwrite it, or pass another -Path.", path);
        }

        IReadOnlyList<StarterEnvironment> environments;
        string source;
        IReadOnlyList<string> header = [];
        if (request.FromCluster)
        {
            // The kubeconfig chain of every cluster cmdlet: -Kubeconfig, then $KUBECONFIG, then ~/.kube/config, then in-cluster.
            using var cluster = ClusterConnection.Open(new KubernetesSettings(null, null, "default"), request.Kubeconfig, request.Context, host);
            (environments, header) = await ClusterProposal.ReadAsync(cluster, names, request, host, cancellationToken).ConfigureAwait(false);
            source = cluster.Context is null ? "in-cluster" : $"context {cluster.Context}";
        }
        else
        {
            environments = names.Select(RunbookEnvironment.For).ToList();
            source = "runbook";
        }

        var text = StarterYaml.Render(environments, header);
        LoadsCleanly(text, path);
        var services = environments.Max(e => e.Services.Count);
        var action = $"{(exists ? "Overwrite with" : "Write")} a starter configuration: {string.Join(", ", names)}, {services} services ({source})";
        if (host.ShouldProcess(path, action) != Approval.Approved)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeployException(StarterErrors.NotWritten, DeployErrorCategory.WriteError,
                $"'{path}' could not be written: {e.Message.TrimEnd('.')}. Check the folder's permissions, or pass another -Path.", path, e);
        }

        host.Verbose($"Wrote {path}");
        return new StarterConfiguration
        {
            ConfigPath = path,
            Environment = names,
            Services = services,
            Checks = CheckMark().Count(text),
            Source = source,
        };
    }

    // A file is an existing file or a name ending in .yml or .yaml; anything else is a folder, which gets skdeploy.yml inside it.
    private static string Target(string path)
    {
        var full = Path.GetFullPath(path);
        var file = File.Exists(full) || (!Path.EndsInDirectorySeparator(path) && !Directory.Exists(full)
            && Path.GetExtension(full).ToLowerInvariant() is ".yml" or ".yaml");
        return file ? full : Path.Join(full, ConfigLocator.FileName);
    }

    private static List<string> EnvironmentNames(StarterRequest request)
    {
        var names = request.Environments.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0)
        {
            throw InvalidName("no environment was given", null);
        }

        foreach (var name in names.Where(n => !ValidName().IsMatch(n)))
        {
            var hint = name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                ? " It looks like a path: -Environment is the first positional parameter, so name the file with -Path."
                : string.Empty;
            throw InvalidName($"'{name}' is not an environment name (a letter, then letters, digits, '-' or '_').{hint}", name);
        }

        foreach (var key in request.Namespaces.Keys.Where(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            throw InvalidName($"-Namespace names a namespace for '{key}', which is not one of the environments ({string.Join(", ", names)}).", key);
        }

        return names;
    }

    private static DeployException InvalidName(string problem, string? name) =>
        new(StarterErrors.InvalidEnvironmentName, DeployErrorCategory.InvalidArgument,
            $"{problem.TrimEnd('.')}. Pass environment names such as -Environment staging, production.", name);

    // What is written must load as it is; a failure here is a bug in the starter, never the user's input.
    private static void LoadsCleanly(string text, string path)
    {
        try
        {
            var config = ConfigLoader.Parse(text, path);
            if (config.Warnings.Count > 0)
            {
                throw new InvalidOperationException($"The starter configuration has unknown keys: {string.Join("; ", config.Warnings)}");
            }
        }
        catch (DeployException e)
        {
            throw new InvalidOperationException($"The starter configuration does not load: {e.Message}", e);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    [GeneratedRegex(@"#\s*check\b", RegexOptions.CultureInvariant)]
    private static partial Regex CheckMark();
}
