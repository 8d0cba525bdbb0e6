using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>
/// AWS credentials from AWSSDK.Core: the named profile (from the given shared-credentials file, else the
/// SDK's files), or the SDK's default chain (environment variables, the default profile, SSO, container
/// and instance roles). The secret key and session token are registered for redaction.
/// </summary>
public static class AwsCredentialChain
{
    /// <summary>Resolves credentials, or fails with AwsCredentialsNotFound saying where it looked.</summary>
    public static AWSCredentials Resolve(string? profile, string? credentialsFile, OperationHost host)
    {
        AWSCredentials credentials;
        if (profile is not null)
        {
            // The SDK reads $AWS_SHARED_CREDENTIALS_FILE once per process; read it on every call instead.
            credentialsFile ??= Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } file ? file : null;
            var store = credentialsFile is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(credentialsFile);
            if (!store.TryGetAWSCredentials(profile, out credentials))
            {
                throw new DeployException(CdnErrors.CredentialsNotFound, DeployErrorCategory.NotSpecified,
                    $"There is no AWS profile '{profile}' in {credentialsFile ?? "the AWS shared config and credentials files"}. Add it (aws configure --profile {profile}) or name another with cdn.profile or -ProfileName.",
                    profile);
            }

            host.Verbose($"AWS credentials: profile {profile}{(credentialsFile is null ? "" : $" in {credentialsFile}")}");
        }
        else
        {
            try
            {
                using var chain = new Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver();
                credentials = chain.ResolveIdentity(null);
            }
            catch (AmazonClientException e)
            {
                throw new DeployException(CdnErrors.CredentialsNotFound, DeployErrorCategory.NotSpecified,
                    $"No AWS credentials were found ({e.Message.Split('\n')[0].Trim()}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a profile (cdn.profile or -ProfileName), or run where an instance role applies.",
                    null);
            }

            host.Verbose($"AWS credentials: the SDK's default chain ({credentials.GetType().Name})");
        }

        var resolved = credentials.GetCredentials();
        Secret.RegisterForRedaction(resolved.SecretKey);
        Secret.RegisterForRedaction(resolved.Token);

        return credentials;
    }
}
