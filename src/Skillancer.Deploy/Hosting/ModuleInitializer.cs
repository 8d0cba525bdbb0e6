using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Skillancer.Deploy.Hosting;

/// <summary>
/// Sends the engine, and through it every third-party assembly, into the module's private load
/// context, so that other modules' copies of YamlDotNet, Npgsql or AWSSDK never clash with ours.
/// </summary>
/// <remarks>
/// PowerShell loads every exported type of this assembly before it calls <see cref="OnImport"/>.
/// So no cmdlet may derive from an engine type or hold an engine value type (an enum, a struct) in
/// a field or parameter: take a string with ValidateSet and parse it in the method body instead.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "Skillancer.Deploy.Engine";

    /// <summary>Called by PowerShell when the module is imported.</summary>
    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    /// <summary>Called by PowerShell when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    // Only the engine is answered here. Everything the engine needs is then loaded by the private
    // context itself, which always gets the first chance at its own assemblies' references.
    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == EngineAssemblyName ? DependencyLoadContext.Instance.LoadFromAssemblyName(name) : null;
}
