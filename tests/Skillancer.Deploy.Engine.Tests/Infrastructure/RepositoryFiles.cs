namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>Files of this repository that tests read, such as examples/skdeploy.yml.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string ExampleConfig => Path.Join(Root, "examples", "skdeploy.yml");

    /// <summary>The recorded-contract stand-in for `vercel deploy` (a Node.js script).</summary>
    public static string VercelStandIn => Path.Join(Root, "tests", "fixtures", "vercel-standin", "vercel");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Join(folder.FullName, "Skillancer.Deploy.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Skillancer.Deploy.sln) was not found above " + AppContext.BaseDirectory);
    }
}
