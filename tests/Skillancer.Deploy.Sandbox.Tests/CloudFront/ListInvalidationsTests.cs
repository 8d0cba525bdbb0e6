using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Skillancer.Deploy.Sandbox.CloudFront;
using Skillancer.Deploy.Sandbox.Tests.Infrastructure;

namespace Skillancer.Deploy.Sandbox.Tests.CloudFront;

/// <summary>
/// CloudFront's ListInvalidations as the sandbox serves it: the real XML shape (InvalidationList, Items of
/// InvalidationSummary), newest first, MaxItems pages linked by Marker and NextMarker, behind the same
/// SigV4 check as the other calls; and the real aws CLI paging through it. Each test has a distribution
/// of its own (staging, production) in this class's sandbox, so the lists hold only what the test made.
/// </summary>
public sealed class ListInvalidationsTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    [Fact]
    public async Task ListInvalidations_pages_newest_first_in_CloudFronts_XML_shape()
    {
        var path = $"2020-05-31/distribution/{AwsSandboxCredentials.DistributionId("staging")}/invalidation";
        var empty = await SendAsync(HttpMethod.Get, path);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (status, invalidation) = await SendAsync(HttpMethod.Post, path, Batch($"list-{i}", $"/page/{i}/*"));
            Assert.Equal(201, status);
            created.Add(invalidation.Element(Ns + "Id")!.Value);
        }

        var first = await SendAsync(HttpMethod.Get, path + "?MaxItems=2");
        var second = await SendAsync(HttpMethod.Get, $"{path}?MaxItems=2&Marker={Next(first)}");
        var last = await SendAsync(HttpMethod.Get, $"{path}?MaxItems=2&Marker={Next(second)}");
        var whole = await SendAsync(HttpMethod.Get, path);

        Assert.Equal((200, "0", "false", "100"), Head(empty));
        Assert.Null(empty.Body.Element(Ns + "Items"));
        Assert.Null(empty.Body.Element(Ns + "NextMarker"));
        Assert.Equal(Ns + "InvalidationList", first.Body.Name);
        Assert.Equal((200, "2", "true", "2"), Head(first));
        Assert.Equal(string.Empty, first.Body.Element(Ns + "Marker")!.Value);
        Assert.Equal([created[4], created[3]], Ids(first));
        Assert.Equal(created[3], Next(first));
        Assert.Equal((200, "2", "true", "2"), Head(second));
        Assert.Equal(created[3], second.Body.Element(Ns + "Marker")!.Value);
        Assert.Equal([created[2], created[1]], Ids(second));
        Assert.Equal((200, "1", "false", "2"), Head(last));
        Assert.Equal([created[0]], Ids(last));
        Assert.Null(last.Body.Element(Ns + "NextMarker"));
        Assert.Equal(Enumerable.Reverse(created), Ids(whole));
        foreach (var summary in whole.Body.Element(Ns + "Items")!.Elements())
        {
            Assert.Equal(Ns + "InvalidationSummary", summary.Name);
            Assert.Equal(["Id", "CreateTime", "Status"], summary.Elements().Select(e => e.Name.LocalName));
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", summary.Element(Ns + "CreateTime")!.Value);
            Assert.Matches("^(InProgress|Completed)$", summary.Element(Ns + "Status")!.Value);
        }

        var times = whole.Body.Element(Ns + "Items")!.Elements().Select(s => DateTimeOffset.Parse(s.Element(Ns + "CreateTime")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task ListInvalidations_is_signed_like_every_call_and_refuses_bad_arguments_with_CloudFronts_errors()
    {
        var path = $"2020-05-31/distribution/{AwsSandboxCredentials.DistributionId("staging")}/invalidation";
        var (keyId, secret) = Keys();

        var unsigned = await SendAsync(HttpMethod.Get, path + "?MaxItems=2", sign: false);
        var wrongSecret = await SendAsync(HttpMethod.Get, path + "?MaxItems=2", credentials: new BasicAWSCredentials(keyId, secret + "x"));
        var queryChangedAfterSigning = await SendAsync(HttpMethod.Get, path + "?MaxItems=2", retarget: path + "?MaxItems=3");
        var badMaxItems = await SendAsync(HttpMethod.Get, path + "?MaxItems=many");
        var badMarker = await SendAsync(HttpMethod.Get, path + "?Marker=INOSUCHMARKER0");
        var noDistribution = await SendAsync(HttpMethod.Get, "2020-05-31/distribution/ENOSUCHDIST000/invalidation");

        Assert.Equal((403, "MissingAuthenticationToken"), Error(unsigned));
        Assert.Equal((403, "SignatureDoesNotMatch"), Error(wrongSecret));
        Assert.Equal((403, "SignatureDoesNotMatch"), Error(queryChangedAfterSigning));
        Assert.Equal((400, "InvalidArgument"), Error(badMaxItems));
        Assert.Equal((400, "InvalidArgument"), Error(badMarker));
        Assert.Equal((404, "NoSuchDistribution"), Error(noDistribution));
    }

    [AwsCliFact]
    public async Task The_aws_CLI_creates_invalidations_as_the_runbook_types_it_and_pages_through_list_invalidations()
    {
        var distribution = AwsSandboxCredentials.DistributionId("production");
        var aws = new AwsCli(CredentialsFile, sandbox.Host.BaseUrl);
        var created = new List<string>();
        foreach (var paths in new[] { new[] { "/*" }, ["/static/*", "/assets/*"], ["/index.html"] })
        {
            var answer = JsonDocument.Parse(await aws.SucceedAsync(["cloudfront", "create-invalidation", "--distribution-id", distribution, "--paths", .. paths]));
            created.Add(answer.RootElement.GetProperty("Invalidation").GetProperty("Id").GetString()!);
        }

        var since = sandbox.Host.Requests.Since(0).Max(r => r.Sequence);
        var listed = JsonDocument.Parse(await aws.SucceedAsync("cloudfront", "list-invalidations", "--distribution-id", distribution, "--page-size", "2"));
        var requests = sandbox.Host.Requests.Since(since).Where(r => r.Path.EndsWith("/invalidation", StringComparison.Ordinal)).ToList();

        var items = listed.RootElement.GetProperty("InvalidationList").GetProperty("Items").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Reverse(created), items.Select(i => i.GetProperty("Id").GetString()!));
        Assert.All(items, i => Assert.True(i.TryGetProperty("CreateTime", out _) && i.TryGetProperty("Status", out _)));
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("GET", 200), (r.Method, r.Status)));
        Assert.Contains("MaxItems=2", requests[0].Query, StringComparison.Ordinal);
        Assert.Contains($"Marker={created[1]}", requests[1].Query, StringComparison.Ordinal);
    }

    private string CredentialsFile => Path.Join(Path.GetDirectoryName(sandbox.Host.ConfigPath)!, "aws-credentials");

    private static (int, string, string, string) Head((int Status, XElement Body) answer) =>
        (answer.Status, answer.Body.Element(Ns + "Quantity")!.Value, answer.Body.Element(Ns + "IsTruncated")!.Value, answer.Body.Element(Ns + "MaxItems")!.Value);

    private static List<string> Ids((int Status, XElement Body) answer) =>
        answer.Body.Element(Ns + "Items")?.Elements(Ns + "InvalidationSummary").Select(s => s.Element(Ns + "Id")!.Value).ToList() ?? [];

    private static string Next((int Status, XElement Body) answer) => answer.Body.Element(Ns + "NextMarker")!.Value;

    private static (int, string) Error((int Status, XElement Body) answer) => (answer.Status, answer.Body.Descendants(Ns + "Code").Single().Value);

    private static string Batch(string reference, string path) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><InvalidationBatch xmlns="{Ns}"><CallerReference>{reference}</CallerReference><Paths><Quantity>1</Quantity><Items><Path>{path}</Path></Items></Paths></InvalidationBatch>""";

    private (string KeyId, string Secret) Keys()
    {
        var lines = File.ReadAllLines(CredentialsFile);
        string Value(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        return (Value("aws_access_key_id"), Value("aws_secret_access_key"));
    }

    // A request signed by AWSSDK.Core with the sandbox's key (or the credentials given), or not signed at
    // all; optionally sent to another URL than the one signed, as a tampering proxy would.
    private async Task<(int Status, XElement Body)> SendAsync(
        HttpMethod method, string path, string? body = null, AWSCredentials? credentials = null, string? retarget = null, bool sign = true)
    {
        var (keyId, secret) = Keys();
        HttpMessageHandler handler = new Retarget(retarget is null ? null : new Uri(sandbox.Host.BaseUrl, retarget), new SocketsHttpHandler());
        using var client = new HttpClient(sign
            ? new SigV4SigningHandler(credentials ?? new BasicAWSCredentials(keyId, secret), RegionEndpoint.USEast1, "cloudfront", handler)
            : handler);
        using var request = new HttpRequestMessage(method, new Uri(sandbox.Host.BaseUrl, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "text/xml");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!);
    }

    private sealed class Retarget(Uri? url, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = url ?? request.RequestUri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
