using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Frontend;

/// <summary>One <c>vercel deploy</c>: the project folder, production or preview, the CLI to run, its token and how long it may take.</summary>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Path">The project folder; it must exist.</param>
/// <param name="Production">--prod; false for a preview deployment.</param>
/// <param name="Program">The vercel CLI: a path, or a name looked up on PATH.</param>
/// <param name="Token">The CLI's token, passed only through the child process's environment.</param>
/// <param name="Timeout">How long the deploy may take: at least a second.</param>
public sealed record VercelDeployRequest(EnvironmentConfig Environment, string Path, bool Production, string Program, Secret Token, TimeSpan Timeout)
{
    /// <summary>The shortest deploy timeout accepted.</summary>
    public static readonly TimeSpan ShortestTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Checks the folder and the timeout; throws the first problem, before anything runs.</summary>
    public VercelDeployRequest Validate()
    {
        if (!Directory.Exists(Path))
        {
            throw new DeployException(FrontendErrors.FrontendPathNotFound, DeployErrorCategory.ObjectNotFound,
                $"There is no folder '{Path}' to deploy. Pass the frontend's project folder with -Path.", Path);
        }

        TimeoutCheck.Require(Timeout, ShortestTimeout, "Timeout", "vercel deploy");
        return this;
    }
}
