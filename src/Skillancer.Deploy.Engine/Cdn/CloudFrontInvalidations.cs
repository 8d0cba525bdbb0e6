using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime.Signing;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Cdn;

/// <summary>
/// The runbook's <c>aws cloudfront create-invalidation</c>, on CloudFront's REST API (2020-05-31):
/// CreateInvalidation and GetInvalidation, each request signed by AWSSDK.Core's SigV4SigningHandler
/// (region us-east-1, service cloudfront). The CallerReference comes from the environment, the version
/// and the paths, so a retried request never creates a second invalidation; throttling, 5xx and dropped
/// connections are retried.
/// </summary>
public sealed class CloudFrontInvalidations : IDisposable
{
    private static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    private static readonly Uri DefaultEndpoint = new("https://cloudfront.amazonaws.com/");
    private readonly EnvironmentConfig _environment;
    private readonly CdnSettings _settings;
    private readonly HttpClient _client;
    private readonly OperationHost _host;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    private CloudFrontInvalidations(EnvironmentConfig environment, CdnSettings settings, HttpClient client, OperationHost host)
    {
        _environment = environment;
        _settings = settings;
        _client = client;
        _host = host;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(300),
            UseJitter = true,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>()
                .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
            OnRetry = args =>
            {
                host.Verbose($"CloudFront answered {(args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.Message)}; trying again in {args.RetryDelay.TotalMilliseconds:0} ms.");
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>Where requests go: cdn.endpoint, else CloudFront's global endpoint.</summary>
    public Uri Endpoint => _settings.Endpoint ?? DefaultEndpoint;

    /// <summary>Opens a client for the environment's distribution with credentials from the chain or <paramref name="profile"/>.</summary>
    public static CloudFrontInvalidations Open(EnvironmentConfig environment, string? profile, OperationHost host)
    {
        var settings = environment.Cdn ?? throw new DeployException(CdnErrors.NotConfigured, DeployErrorCategory.NotSpecified,
            $"Environment '{environment.Name}' has no CDN. Add cdn: with distributionId to {environment.ConfigPath}.", environment.Name);
        var credentials = AwsCredentialChain.Resolve(profile ?? settings.Profile, settings.CredentialsFile, host);
        var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false,
            inner => new SigV4SigningHandler(credentials, RegionEndpoint.USEast1, "cloudfront", inner));
        return new CloudFrontInvalidations(environment, settings, client, host);
    }

    /// <summary>The CallerReference for these paths of this version in this environment.</summary>
    public static string CallerReference(string environment, string version, IReadOnlyList<string> paths)
    {
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', paths.Order(StringComparer.Ordinal))))).ToLowerInvariant();
        return $"skdeploy-{environment}-{version}-{digest[..16]}";
    }

    /// <summary>Checks the paths before anything is sent: each starts with '/', with at most one '*', at the end.</summary>
    public static void Validate(IReadOnlyList<string> paths)
    {
        var bad = paths.FirstOrDefault(p => !p.StartsWith('/') || p.IndexOf('*', StringComparison.Ordinal) is var star && star >= 0 && star != p.Length - 1);
        if (paths.Count == 0 || bad is not null)
        {
            throw new DeployException(CdnErrors.InvalidPath, DeployErrorCategory.InvalidArgument,
                $"'{bad}' is not an invalidation path. A path starts with '/' and may end with one '*': /*, /static/*, /index.html.", bad);
        }
    }

    /// <summary>Where a change goes, for ShouldProcess.</summary>
    public string Target => $"CloudFront distribution {_settings.DistributionId} ({_environment.Name})";

    /// <summary>CreateInvalidation; the same reference and paths give back the same invalidation.</summary>
    public async Task<InvalidationResult> CreateAsync(IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken)
    {
        var batch = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "InvalidationBatch",
            new XElement(Ns + "CallerReference", callerReference),
            new XElement(Ns + "Paths", new XElement(Ns + "Quantity", paths.Count), new XElement(Ns + "Items", paths.Select(p => new XElement(Ns + "Path", p))))));
        var body = batch.Declaration + "\n" + batch.Root;
        return await SendAsync(HttpMethod.Post, $"2020-05-31/distribution/{Uri.EscapeDataString(_settings.DistributionId)}/invalidation", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GetInvalidation.</summary>
    public Task<InvalidationResult> GetAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"2020-05-31/distribution/{Uri.EscapeDataString(_settings.DistributionId)}/invalidation/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Polls GetInvalidation until Completed, with progress; CdnInvalidationTimeout after <paramref name="timeout"/>.</summary>
    public async Task<InvalidationResult> WaitAsync(InvalidationResult invalidation, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        var activity = $"Waiting for CloudFront invalidation {invalidation.Id}";
        var started = DateTimeOffset.UtcNow;
        while (invalidation.Status != "Completed")
        {
            var elapsed = DateTimeOffset.UtcNow - started;
            if (elapsed > timeout)
            {
                _host.Progress(new ProgressUpdate(activity, invalidation.Status, Completed: true));
                throw new DeployException(CdnErrors.WaitTimedOut, DeployErrorCategory.OperationTimeout,
                    $"Invalidation {invalidation.Id} of {_settings.DistributionId} was still {invalidation.Status} after {timeout.TotalSeconds:0} s. It goes on in CloudFront; check it later (GetInvalidation) or wait longer with -Timeout.",
                    invalidation.Id);
            }

            _host.Progress(new ProgressUpdate(activity, $"{invalidation.Status}, {elapsed.TotalSeconds:0} s", -1, (int)Math.Max(0, (timeout - elapsed).TotalSeconds)));
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            invalidation = await GetAsync(invalidation.Id, cancellationToken).ConfigureAwait(false);
        }

        _host.Progress(new ProgressUpdate(activity, "Completed", 100, Completed: true));
        return invalidation;
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private async Task<InvalidationResult> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var url = new Uri(Endpoint, path);
        try
        {
            using var response = await _retry.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(method, url);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "text/xml");
                }

                return await _client.SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            _host.Verbose($"{method} {url} -> {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? Read(text) : throw Failure((int)response.StatusCode, text);
        }
        catch (HttpRequestException e)
        {
            throw new DeployException(CdnErrors.RequestFailed, DeployErrorCategory.ConnectionError,
                $"CloudFront at {Endpoint.Host} cannot be reached: {HttpClients.Describe(e, url)}", url);
        }
    }

    private InvalidationResult Read(string xml)
    {
        var root = XDocument.Parse(xml).Root!;
        return new InvalidationResult
        {
            Environment = _environment.Name,
            DistributionId = _settings.DistributionId,
            Id = root.Element(Ns + "Id")!.Value,
            Status = root.Element(Ns + "Status")!.Value,
            CreateTime = DateTimeOffset.Parse(root.Element(Ns + "CreateTime")!.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Paths = root.Element(Ns + "InvalidationBatch")?.Element(Ns + "Paths")?.Element(Ns + "Items")?.Elements(Ns + "Path").Select(p => p.Value).ToList() ?? [],
            CallerReference = root.Element(Ns + "InvalidationBatch")?.Element(Ns + "CallerReference")?.Value ?? string.Empty,
        };
    }

    private DeployException Failure(int status, string xml)
    {
        string code, message;
        try
        {
            var error = XDocument.Parse(xml).Root!.Element(Ns + "Error");
            (code, message) = (error?.Element(Ns + "Code")?.Value ?? $"HTTP{status}", error?.Element(Ns + "Message")?.Value ?? xml);
        }
        catch (System.Xml.XmlException)
        {
            (code, message) = ($"HTTP{status}", xml.Trim());
        }

        var said = $"CloudFront refused the request ({code}, HTTP {status}): {Secret.Redact(message)}";
        return code switch
        {
            "SignatureDoesNotMatch" or "InvalidClientTokenId" or "AccessDenied" or "MissingAuthenticationToken" or "ExpiredToken" => new DeployException(CdnErrors.AccessDenied,
                DeployErrorCategory.PermissionDenied, Sentences.Join(said, "Check the AWS credentials (cdn.profile, -ProfileName or the SDK chain) and the machine's clock."), _settings.DistributionId),
            "NoSuchDistribution" => new DeployException(CdnErrors.DistributionNotFound, DeployErrorCategory.ObjectNotFound,
                Sentences.Join(said, $"Check cdn.distributionId ({_settings.DistributionId}) in {_environment.ConfigPath}."), _settings.DistributionId),
            "InvalidationBatchAlreadyExists" => new DeployException(CdnErrors.Conflict, DeployErrorCategory.ResourceExists,
                Sentences.Join(said, "Pass another -Version, or the same paths as the first request."), _settings.DistributionId),
            _ => new DeployException(CdnErrors.RequestFailed, DeployErrorCategory.InvalidResult, Sentences.End(said), _settings.DistributionId),
        };
    }
}
