namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>The error ids of the CDN step.</summary>
public static class CdnErrors
{
    /// <summary>The environment has no cdn section.</summary>
    public const string NotConfigured = "CdnNotConfigured";

    /// <summary>No AWS credentials were found in the chain, or the named profile does not exist.</summary>
    public const string CredentialsNotFound = "AwsCredentialsNotFound";

    /// <summary>CloudFront refused the signature or the key (SignatureDoesNotMatch, InvalidClientTokenId, AccessDenied).</summary>
    public const string AccessDenied = "CdnAccessDenied";

    /// <summary>The distribution does not exist.</summary>
    public const string DistributionNotFound = "CdnDistributionNotFound";

    /// <summary>The same CallerReference was used with other paths.</summary>
    public const string Conflict = "CdnInvalidationConflict";

    /// <summary>CloudFront refused the request for another reason, or kept failing.</summary>
    public const string RequestFailed = "CdnRequestFailed";

    /// <summary>-Wait ran out of time before the invalidation completed.</summary>
    public const string WaitTimedOut = "CdnInvalidationTimeout";

    /// <summary>The distribution has no invalidation with that id.</summary>
    public const string InvalidationNotFound = "CdnInvalidationNotFound";

    /// <summary>A path that is not a CloudFront invalidation path.</summary>
    public const string InvalidPath = "InvalidCdnPath";
}
