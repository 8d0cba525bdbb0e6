using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Skillancer.Deploy.Engine.Cdn;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Cdn;

/// <summary>
/// Clear-SkCdnCache's and Get-SkCdnInvalidation's engine against the sandbox's CloudFront, whose SigV4
/// check is written from AWS's published algorithm: what AWSSDK.Core signs must pass it, and anything
/// changed after signing must not.
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
        var reference = InvalidationReference.For("staging", $"v9.{Guid.NewGuid():N}", paths).At(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15));

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
        Assert.Equal(InvalidationReference.For("prod", "v1", ["/a/*", "/b/*"]).Prefix, InvalidationReference.For("prod", "v1", ["/b/*", "/a/*"]).Prefix);
        Assert.NotEqual(InvalidationReference.For("prod", "v1", ["/*"]).Prefix, InvalidationReference.For("prod", "v2", ["/*"]).Prefix);
        Assert.NotEqual(InvalidationReference.For("prod", "v1", ["/*"]).Prefix, InvalidationReference.For("stg", "v1", ["/*"]).Prefix);
        Assert.NotEqual(InvalidationReference.For("prod", "v1", ["/*"]).Prefix, InvalidationReference.For("prod", null, ["/*"]).Prefix);
        Assert.NotEqual(InvalidationReference.For("a-b", "c", ["/*"]).Prefix[^17..], InvalidationReference.For("a", "b-c", ["/*"]).Prefix[^17..]);
    }

    [Fact]
    public void The_caller_reference_keeps_its_slot_for_the_window_and_moves_to_the_next_after_it()
    {
        var reference = InvalidationReference.For("prod", "v1", ["/*"]);
        var window = TimeSpan.FromMinutes(15);
        var slotStart = new DateTimeOffset(2026, 11, 24, 14, 15, 0, TimeSpan.Zero);

        Assert.Equal(reference.Prefix + "20261124T141500Z", reference.At(slotStart, window));
        Assert.Equal(reference.At(slotStart, window), reference.At(slotStart + window - TimeSpan.FromTicks(1), window));
        Assert.Equal(reference.Prefix + "20261124T143000Z", reference.At(slotStart + window, window));
        Assert.True(reference.Matches(reference.At(slotStart, window)));
        Assert.False(reference.Matches(InvalidationReference.For("prod", "v2", ["/*"]).At(slotStart, window)));
        Assert.False(reference.Matches(null));
    }

    [Fact]
    public async Task A_rerun_inside_the_dedupe_window_returns_the_first_invalidation_even_after_other_clears()
    {
        var environment = sandbox.Config.Environment("staging");
        var version = $"v10.{Guid.NewGuid():N}";
        var window = environment.Cdn!.DedupeWindow;

        var first = await CdnCacheClearer.ClearAsync(new CacheClearRequest(environment, ["/*"]) { Version = version }, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var other = await CdnCacheClearer.ClearAsync(new CacheClearRequest(environment, ["/static/*"]) { Version = version }, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var said = new List<string>();
        var rerun = await CdnCacheClearer.ClearAsync(
            new CacheClearRequest(environment, ["/*"]) { Version = version, Clock = new ShiftedClock(window / 2) },
            Admissions.For(environment),
            new OperationHost(said.Add, said.Add, _ => { }), CancellationToken.None);

        Assert.Equal(first!.Id, rerun!.Id);
        Assert.Equal(first.CallerReference, rerun.CallerReference);
        Assert.NotEqual(first.Id, other!.Id);
        Assert.DoesNotContain(said, v => v.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Contains(said, v => v.Contains($"made invalidation {first.Id}", StringComparison.Ordinal));
        Assert.Equal(other.Id, (await NewestAsync(environment)).Id);
    }

    [Fact]
    public async Task A_rerun_once_the_dedupe_window_has_passed_creates_a_new_invalidation()
    {
        var environment = sandbox.Config.Environment("staging");
        var version = $"v11.{Guid.NewGuid():N}";
        var window = environment.Cdn!.DedupeWindow;

        var first = await CdnCacheClearer.ClearAsync(new CacheClearRequest(environment, ["/*"]) { Version = version }, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var rerun = await CdnCacheClearer.ClearAsync(
            new CacheClearRequest(environment, ["/*"]) { Version = version, Clock = new ShiftedClock(window + TimeSpan.FromSeconds(1)) },
            Admissions.For(environment),
            OperationHost.Silent, CancellationToken.None);

        Assert.NotEqual(first!.Id, rerun!.Id);
        Assert.NotEqual(first.CallerReference, rerun.CallerReference);
        Assert.True(InvalidationReference.For("staging", version, ["/*"]).Matches(rerun.CallerReference));
        Assert.Equal(rerun.Id, (await NewestAsync(environment)).Id);
    }

    [Fact]
    public async Task A_rerun_of_a_completed_clear_inside_the_window_says_that_nothing_new_was_invalidated()
    {
        var environment = sandbox.Config.Environment("staging");
        var version = $"v12.{Guid.NewGuid():N}";
        var done = await CdnCacheClearer.ClearAsync(
            new CacheClearRequest(environment, ["/*"]) { Version = version, Wait = true, PollInterval = TimeSpan.FromMilliseconds(200) }, Admissions.For(environment), OperationHost.Silent, CancellationToken.None);
        var warnings = new List<string>();

        var rerun = await CdnCacheClearer.ClearAsync(new CacheClearRequest(environment, ["/*"]) { Version = version }, Admissions.For(environment), new OperationHost(_ => { }, warnings.Add, _ => { }), CancellationToken.None);

        Assert.Equal("Completed", done!.Status);
        Assert.Equal(done.Id, rerun!.Id);
        var warning = Assert.Single(warnings);
        Assert.Contains($"invalidation {done.Id}", warning, StringComparison.Ordinal);
        Assert.Contains("has Completed", warning, StringComparison.Ordinal);
        Assert.Contains("another -Version", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clear_that_is_not_approved_sends_nothing_to_CloudFront()
    {
        var environment = sandbox.Config.Environment("staging");
        var before = await RequestCountAsync();
        var asked = new List<string>();

        var result = await CdnCacheClearer.ClearAsync(new CacheClearRequest(environment, ["/*"]),
            Admissions.For(environment),
            new OperationHost(_ => { }, _ => { }, _ => { }, (target, action) => { asked.Add($"{action} on {target}"); return Approval.WhatIf; }), CancellationToken.None);

        Assert.Null(result);
        Assert.Equal($"Invalidate /* on CloudFront distribution {environment.Cdn!.DistributionId} (staging)", Assert.Single(asked));
        Assert.Equal(before, await RequestCountAsync());
    }

    [Fact]
    public async Task The_list_is_newest_first_and_follows_NextMarker_across_pages()
    {
        var environment = sandbox.Config.Environment("staging");
        using var cloudFront = CloudFrontInvalidations.Open(environment, null, OperationHost.Silent);
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await cloudFront.CreateAsync(["/*"], $"t-list-{Guid.NewGuid():N}", CancellationToken.None)).Id);
        }

        var verbose = new List<string>();
        var listed = new List<InvalidationResult>();
        await CdnInvalidationReader.ReadAsync(new InvalidationQuery(environment) { PageSize = 2 }, listed.Add, new OperationHost(verbose.Add, _ => { }, _ => { }), CancellationToken.None);

        var ids = listed.Select(i => i.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(created.AsEnumerable().Reverse(), ids.Where(created.Contains));
        Assert.True(ids.IndexOf(created[0]) >= 2, "the first one created comes on the second page or later");
        Assert.Equal(listed.OrderByDescending(i => i.CreateTime).Select(i => i.Id), ids);
        Assert.All(listed, i => Assert.Equal(("staging", environment.Cdn!.DistributionId), (i.Environment, i.DistributionId)));
        Assert.All(listed, i => Assert.Empty(i.Paths));
        var requests = verbose.Where(v => v.StartsWith("GET ", StringComparison.Ordinal)).ToList();
        Assert.Equal((listed.Count + 1) / 2, requests.Count);
        Assert.DoesNotContain("Marker=", requests[0], StringComparison.Ordinal);
        Assert.All(requests.Skip(1), r => Assert.Contains("Marker=", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_invalidation_is_read_by_id_with_its_paths_and_an_unknown_id_says_how_to_list_them()
    {
        var environment = sandbox.Config.Environment("staging");
        using var cloudFront = CloudFrontInvalidations.Open(environment, null, OperationHost.Silent);
        var created = await cloudFront.CreateAsync(["/static/*", "/assets/*"], $"t-get-{Guid.NewGuid():N}", CancellationToken.None);
        var read = new List<InvalidationResult>();

        await CdnInvalidationReader.ReadAsync(new InvalidationQuery(environment) { Id = created.Id }, read.Add, OperationHost.Silent, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<DeployException>(() =>
            CdnInvalidationReader.ReadAsync(new InvalidationQuery(environment) { Id = "INOSUCHINVALID" }, read.Add, OperationHost.Silent, CancellationToken.None));

        var one = Assert.Single(read);
        Assert.Equal((created.Id, created.CallerReference, "staging"), (one.Id, one.CallerReference, one.Environment));
        Assert.Equal(["/static/*", "/assets/*"], one.Paths);
        Assert.Equal(CdnErrors.InvalidationNotFound, missing.ErrorId);
        Assert.Contains("INOSUCHINVALID", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Get-SkCdnInvalidation staging", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalidation_of_another_distribution_is_refused_before_anything_is_sent()
    {
        var environment = sandbox.Config.Environment("production");
        var before = await RequestCountAsync();

        var mismatch = await Assert.ThrowsAsync<DeployException>(() => CdnInvalidationReader.ReadAsync(
            new InvalidationQuery(environment) { Id = "I0000000000000", DistributionId = sandbox.Config.Environment("staging").Cdn!.DistributionId },
            _ => { }, OperationHost.Silent, CancellationToken.None));

        Assert.Equal(TargetMismatch.ErrorId, mismatch.ErrorId);
        Assert.Contains(environment.Cdn!.DistributionId, mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(before, await RequestCountAsync());
    }

    private static async Task<InvalidationResult> NewestAsync(EnvironmentConfig environment)
    {
        using var cloudFront = CloudFrontInvalidations.Open(environment, null, OperationHost.Silent);
        await foreach (var invalidation in cloudFront.ListAsync(1, CancellationToken.None))
        {
            return invalidation;
        }

        throw new InvalidOperationException("the distribution has no invalidations");
    }

    // The CloudFront requests the sandbox has served (its request log), to prove that nothing was sent.
    private async Task<int> RequestCountAsync()
    {
        var log = await sandbox.Admin.GetFromJsonAsync<JsonElement>("sandbox/requests");
        return log.EnumerateArray().Count(r => r.GetProperty("path").GetString()!.StartsWith("/2020-05-31/", StringComparison.Ordinal));
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

    // The system clock moved by an offset, to stand later inside or after the dedupe window without waiting.
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }

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
