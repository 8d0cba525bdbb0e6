using System.Collections.Concurrent;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Skillancer.Deploy.Hosting;

/// <summary>
/// The module's private AssemblyLoadContext. It loads our third-party assemblies from the module's
/// <c>Dependencies</c> folder, except those the host already provides in a compatible version: the
/// .NET runtime's and PowerShell's own assemblies (System.Diagnostics.DiagnosticSource, for one) are
/// left to the default context, so the process holds one copy of each, as PowerShellEditorServices'
/// load context does.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly string[] HostDirectories =
    [
        Path.GetDirectoryName(typeof(object).Assembly.Location)!,     // the .NET runtime
        Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!,   // $PSHOME
    ];

    private readonly ConcurrentDictionary<string, bool> _providedByHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _directory;

    private DependencyLoadContext(string directory)
        : base("Skillancer.Deploy", isCollectible: false)
    {
        _directory = directory;
    }

    public static DependencyLoadContext Instance { get; } = new(
        Path.Join(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location), "Dependencies"));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Join(_directory, $"{assemblyName.Name}.dll");
        if (!File.Exists(path) || IsProvidedByHost(assemblyName))
        {
            return null;
        }

        return LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Join(_directory, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }

    // True when the runtime or PowerShell ships this assembly in the version asked for or a later one.
    private bool IsProvidedByHost(AssemblyName requested) =>
        _providedByHost.GetOrAdd($"{requested.Name}/{requested.Version}", _ =>
            HostDirectories.Select(directory => Path.Join(directory, $"{requested.Name}.dll"))
                .Where(File.Exists)
                .Any(path => AssemblyName.GetAssemblyName(path).Version >= (requested.Version ?? new Version(0, 0))));
}
