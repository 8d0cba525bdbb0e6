using System.Text;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Cdn;

/// <summary>
/// Clear-SkCdnCache's engine against the sandbox's CloudFront, whose SigV4 check is written from AWS's
/// published algorithm: what AWSSDK.Core signs must pass it, and anything changed after signing must not.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public class CloudFrontInvalidationsTests(SandboxCluster sandbox) : IClassFixture<SandboxCluster>
{
    private static readonly string[] AwsVariables = ["HOME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"];

    [Fact]
    public async Task A_signed_invalidation_is_created_completes_and_is_not_created_twice()
    {
        var environment = sandbox.Config.Environment("staging");
        var verbose = new List<string>();
        using var cloudFront = CloudFrontInvalidations.Open(environment, null, new OperationHost(verbose.Add, _ => { }, _ => { }));
        string[] paths = ["/static/*", "/assets/*"];
        var reference = CloudFrontInvalidations.CallerReference("staging", $"v9.{Guid.NewGuid():N}", paths);

        var created = await cloudFront.CreateAsync(paths, reference, CancellationToken.None);
        var again = await cloudFront.CreateAsync(paths, reference, CancellationToken.None);
        var done = await cloudFront.WaitAsync(created, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal("InProgress", created.Status);
        Assert.Equal(created.Id, again.Id);
        Assert.Equal("Completed", done.Status);
        Assert.Equal(paths, done.Paths);
        Assert.Equal(reference, done.CallerReference);
        var secret = SandboxSecret();
        Assert.All(verbose, v => Assert.DoesNotContain(secret, v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_reference_with_other_paths_and_an_unknown_distribution_are_their_own_errors()
    {
        var environment = sandbox.Config.Environment("staging");
        using var cloudFront = CloudFrontInvalidations.Open(environment, null, OperationHost.Silent);
        var reference = $"skdeploy-test-{Guid.NewGuid():N}";
        await cloudFront.CreateAsync(["/*"], reference, CancellationToken.None);
        using var nowhere = CloudFrontInvalidations.Open(environment with { Cdn = environment.Cdn! with { DistributionId = "ENOSUCHDIST000" } }, null, OperationHost.Silent);

        var conflict = await Assert.ThrowsAsync<DeployException>(() => cloudFront.CreateAsync(["/index.html"], reference, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<DeployException>(() => nowhere.CreateAsync(["/*"], reference + "-x", CancellationToken.None));

        Assert.Equal(CdnErrors.Conflict, conflict.ErrorId);
        Assert.Equal(CdnErrors.DistributionNotFound, missing.ErrorId);
        Assert.Contains("ENOSUCHDIST000", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_a_tampered_body_and_an_expired_signature_are_refused_as_CloudFront_refuses_them()
    {
        var (keyId, secret) = SandboxKeys();
        var url = new Uri(sandbox.Admin.BaseAddress!, $"2020-05-31/distribution/{sandbox.Config.Environment("staging").Cdn!.DistributionId}/invalidation");
        var batch = $"""<?xml version="1.0" encoding="UTF-8"?><InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>t-{Guid.NewGuid():N}</CallerReference><Paths><Quantity>1</Quantity><Items><Path>/*</Path></Items></Paths></InvalidationBatch>""";

        var good = await PostAsync(new BasicAWSCredentials(keyId, secret), null, url, batch, tamper: false);
        var wrongSecret = await PostAsync(new BasicAWSCredentials(keyId, secret + "x"), null, url, batch, tamper: false);
        var tampered = await PostAsync(new BasicAWSCredentials(keyId, secret), null, url, batch, tamper: true);
        var expired = await PostAsync(new BasicAWSCredentials(keyId, secret), DateTime.UtcNow.AddMinutes(-10), url, batch, tamper: false);
        var unknownKey = await PostAsync(new BasicAWSCredentials("AKIANOTAKEY00000", secret), null, url, batch, tamper: false);

        Assert.Equal((201, null), good);
        Assert.Equal((403, "SignatureDoesNotMatch"), wrongSecret);
        Assert.Equal(403, tampered.Status);
        Assert.Equal("SignatureDoesNotMatch", tampered.Code);
        Assert.Equal((403, "SignatureDoesNotMatch"), expired);
        Assert.Equal((403, "InvalidClientTokenId"), unknownKey);
    }

    [Fact]
    public async Task A_refused_signature_is_CdnAccessDenied_without_the_secret()
    {
        var environment = sandbox.Config.Environment("staging");
        using var home = new TempFolder();
        var file = Path.Join(home.Path, "credentials");
        var (keyId, secret) = SandboxKeys();
        await File.WriteAllTextAsync(file, $"[wrong]\naws_access_key_id = {keyId}\naws_secret_access_key = {secret}WRONG\n");
        using var cloudFront = CloudFrontInvalidations.Open(environment with { Cdn = environment.Cdn! with { Profile = "wrong", CredentialsFile = file } }, null, OperationHost.Silent);

        var failure = await Assert.ThrowsAsync<DeployException>(() => cloudFront.CreateAsync(["/*"], $"t-{Guid.NewGuid():N}", CancellationToken.None));

        Assert.Equal(CdnErrors.AccessDenied, failure.ErrorId);
        Assert.Contains("SignatureDoesNotMatch", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_come_from_environment_variables_or_a_profile_in_HOME()
    {
        var environment = sandbox.Config.Environment("staging");
        var (keyId, secret) = SandboxKeys();
        using var home = new TempFolder();
        Directory.CreateDirectory(Path.Join(home.Path, ".aws"));
        await File.WriteAllTextAsync(Path.Join(home.Path, ".aws", "credentials"), $"[deploy]\naws_access_key_id = {keyId}\naws_secret_access_key = {secret}\n");
        var saved = AwsVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("HOME", home.Path);
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Join(home.Path, ".aws", "credentials"));
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Join(home.Path, ".aws", "config"));
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", keyId);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", secret);
            var chain = environment with { Cdn = environment.Cdn! with { Profile = null, CredentialsFile = null } };
            using (var fromVariables = CloudFrontInvalidations.Open(chain, null, OperationHost.Silent))
            {
                Assert.Equal("InProgress", (await fromVariables.CreateAsync(["/*"], $"t-{Guid.NewGuid():N}", CancellationToken.None)).Status);
            }

            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
            using var fromProfile = CloudFrontInvalidations.Open(chain, "deploy", OperationHost.Silent);
            Assert.Equal("InProgress", (await fromProfile.CreateAsync(["/*"], $"t-{Guid.NewGuid():N}", CancellationToken.None)).Status);
            var noProfile = Assert.Throws<DeployException>(() => CloudFrontInvalidations.Open(chain, "nobody", OperationHost.Silent));
            Assert.Equal(CdnErrors.CredentialsNotFound, noProfile.ErrorId);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Theory]
    [InlineData("static/*")]
    [InlineData("/a*b")]
    [InlineData("/**")]
    public void A_path_CloudFront_would_refuse_is_refused_before_sending(string path) =>
        Assert.Equal(CdnErrors.InvalidPath, Assert.Throws<DeployException>(() => CloudFrontInvalidations.Validate([path])).ErrorId);

    [Fact]
    public void The_caller_reference_depends_on_environment_version_and_paths_but_not_their_order()
    {
        Assert.Equal(CloudFrontInvalidations.CallerReference("prod", "v1", ["/a/*", "/b/*"]), CloudFrontInvalidations.CallerReference("prod", "v1", ["/b/*", "/a/*"]));
        Assert.NotEqual(CloudFrontInvalidations.CallerReference("prod", "v1", ["/*"]), CloudFrontInvalidations.CallerReference("prod", "v2", ["/*"]));
        Assert.NotEqual(CloudFrontInvalidations.CallerReference("prod", "v1", ["/*"]), CloudFrontInvalidations.CallerReference("stg", "v1", ["/*"]));
    }

    private static async Task<(int Status, string? Code)> PostAsync(AWSCredentials credentials, DateTime? signedAt, Uri url, string body, bool tamper)
    {
        var parameters = new AWSSigV4Parameters { Credentials = credentials, Region = RegionEndpoint.USEast1, Service = "cloudfront", SignedAt = signedAt };
        using var client = new HttpClient(new SigV4SigningHandler(parameters, tamper ? new Tamper(new SocketsHttpHandler()) : new SocketsHttpHandler()));
        using var response = await client.PostAsync(url, new StringContent(body, Encoding.UTF8, "text/xml"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : XDocument.Parse(text).Descendants().First(e => e.Name.LocalName == "Code").Value);
    }

    private (string KeyId, string Secret) SandboxKeys()
    {
        var lines = File.ReadAllLines(sandbox.Config.Environment("staging").Cdn!.CredentialsFile!);
        string Value(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        return (Value("aws_access_key_id"), Value("aws_secret_access_key"));
    }

    private string SandboxSecret() => SandboxKeys().Secret;

    // Changes the body after the signature was computed, as a man in the middle would.
    private sealed class Tamper(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = (await request.Content!.ReadAsStringAsync(cancellationToken)).Replace("<Path>/*</Path>", "<Path>/x</Path>", StringComparison.Ordinal);
            request.Content = new StringContent(body, Encoding.UTF8, "text/xml");
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
