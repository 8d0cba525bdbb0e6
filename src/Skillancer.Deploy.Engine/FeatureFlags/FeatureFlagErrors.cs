namespace Skillancer.Deploy.Engine.FeatureFlags;

/// <summary>The error ids of the feature-flag step.</summary>
public static class FeatureFlagErrors
{
    /// <summary>The environment has no featureFlags section.</summary>
    public const string NotConfigured = "FeatureFlagsNotConfigured";

    /// <summary>The API refused the token (401 or 403).</summary>
    public const string AccessDenied = "FeatureFlagAccessDenied";

    /// <summary>The API does not know the flag (404).</summary>
    public const string NotFound = "FeatureFlagNotFound";

    /// <summary>The API refused the request for another reason (4xx).</summary>
    public const string RequestRejected = "FeatureFlagRequestRejected";

    /// <summary>The API failed (5xx) or could not be reached, after retries.</summary>
    public const string Unavailable = "FeatureFlagApiUnavailable";

    /// <summary>A change that says nothing, or a percentage outside 0–100.</summary>
    public const string InvalidChange = "InvalidFeatureFlagChange";
}
