using System.Security.Cryptography;

namespace Skillancer.Deploy.Sandbox.CloudFront;

/// <summary>
/// The AWS key pair the sandbox's CloudFront accepts, made at every start and written as profile
/// <c>sandbox</c> to an AWS shared-credentials file beside skdeploy.yml, so any AWS client (the aws CLI
/// included) can call the sandbox with <c>--profile sandbox</c>.
/// </summary>
internal sealed record AwsSandboxCredentials(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>The profile name in the credentials file.</summary>
    public const string Profile = "sandbox";

    public static AwsSandboxCredentials Create() =>
        new("AKIASBX" + Convert.ToHexString(RandomNumberGenerator.GetBytes(7)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)));

    /// <summary>An environment's distribution id, shaped like CloudFront's (E and 13 upper-case letters or digits).</summary>
    public static string DistributionId(string environment) =>
        ("E" + new string(environment.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray()) + "SANDBOX0000000")[..14];

    /// <summary>Writes the shared-credentials file and returns its path.</summary>
    public string Write(string directory)
    {
        var path = Path.Join(directory, "aws-credentials");
        File.WriteAllText(path, $"[{Profile}]\naws_access_key_id = {AccessKeyId}\naws_secret_access_key = {SecretAccessKey}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
