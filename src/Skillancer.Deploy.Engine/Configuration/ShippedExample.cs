namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>
/// The example skdeploy.yml that ships in the module folder (build.ps1 lays out <c>examples/</c> beside
/// <c>Dependencies/</c>, where this assembly lives), and the advice that points a user without a
/// configuration at New-SkConfiguration and at it.
/// </summary>
public static class ShippedExample
{
    /// <summary>The shipped example's full path; null when this engine runs outside the module folder (as in its tests).</summary>
    public static string? Path { get; } = Find();

    /// <summary>" The module ships an example: '/…/examples/skdeploy.yml'.", or nothing outside the module folder.</summary>
    internal static string Sentence => Path is null ? string.Empty : $" The module ships an example: '{Path}'.";

    private static string? Find()
    {
        var folder = System.IO.Path.GetDirectoryName(typeof(ShippedExample).Assembly.Location);
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }

        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Join(folder, "..", "examples", ConfigLocator.FileName));
        return File.Exists(candidate) ? candidate : null;
    }
}
