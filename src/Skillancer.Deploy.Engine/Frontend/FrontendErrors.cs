namespace Skillancer.Deploy.Engine.Frontend;

/// <summary>The error ids of Publish-SkFrontend, one per failure a user can act on.</summary>
public static class FrontendErrors
{
    /// <summary>-Path names no folder to deploy.</summary>
    public const string FrontendPathNotFound = "FrontendPathNotFound";
    /// <summary>The environment has no service with tier: frontend.</summary>
    public const string NoFrontendServices = "NoFrontendServices";
    /// <summary>A parameter of one target was given with the other (-Path with -Target Kubernetes, -ImageTag with Vercel).</summary>
    public const string InvalidParameterCombination = "InvalidParameterCombination";
}
