namespace Skillancer.Deploy.Engine.Frontend;

/// <summary>A frontend deployed to Vercel: where it is served from, and how it went.</summary>
public sealed record VercelDeployment
{
    /// <summary>The environment deployed for.</summary>
    public required string Environment { get; init; }

    /// <summary>The project folder that was deployed.</summary>
    public required string Path { get; init; }

    /// <summary>The deployment's URL, as the vercel CLI printed it.</summary>
    public required Uri Url { get; init; }

    /// <summary>Whether it went to production (--prod).</summary>
    public required bool Production { get; init; }

    /// <summary>How long the deploy took.</summary>
    public required TimeSpan Duration { get; init; }
}
