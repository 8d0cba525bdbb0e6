using System.Reflection;
using System.Runtime.Loader;

namespace Skillancer.Deploy.Hosting;

/// <summary>
/// The module's private AssemblyLoadContext. It loads whatever it finds in the module's
/// <c>Dependencies</c> folder and leaves everything else (the framework, PowerShell) to the default context.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
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
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Join(_directory, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
