using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
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
/// CloudFront's invalidation API (REST, 2020-05-31) for one environment's distribution: CreateInvalidation,
/// GetInvalidation and ListInvalidations, each request signed by AWSSDK.Core's SigV4SigningHandler
/// (region us-east-1, service cloudfront). Throttling, 5xx and dropped connections are retried; a
/// retried create sends the same CallerReference, so it never makes a second invalidation.
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

    private string Invalidations => $"2020-05-31/distribution/{Uri.EscapeDataString(_settings.DistributionId)}/invalidation";

    /// <summary>CreateInvalidation; the same reference and paths give back the same invalidation.</summary>
    public async Task<InvalidationResult> CreateAsync(IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken)
    {
        var batch = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "InvalidationBatch",
            new XElement(Ns + "CallerReference", callerReference),
            new XElement(Ns + "Paths", new XElement(Ns + "Quantity", paths.Count), new XElement(Ns + "Items", paths.Select(p => new XElement(Ns + "Path", p))))));
        var body = batch.Declaration + "\n" + batch.Root;
        return Read(await SendAsync(HttpMethod.Post, Invalidations, body, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>GetInvalidation; an unknown id is CdnInvalidationNotFound.</summary>
    public async Task<InvalidationResult> GetAsync(string id, CancellationToken cancellationToken) =>
        Read(await SendAsync(HttpMethod.Get, $"{Invalidations}/{Uri.EscapeDataString(id)}", null, id, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// ListInvalidations, newest first, page by page (<paramref name="pageSize"/> is MaxItems), following
    /// NextMarker while IsTruncated. A summary has Id, Status and CreateTime; its paths and reference are unknown.
    /// </summary>
    public async IAsyncEnumerable<InvalidationResult> ListAsync(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        while (true)
        {
            var query = string.Create(CultureInfo.InvariantCulture, $"?MaxItems={pageSize}") + (marker is null ? "" : $"&Marker={Uri.EscapeDataString(marker)}");
            var list = XDocument.Parse(await SendAsync(HttpMethod.Get, Invalidations + query, null, null, cancellationToken).ConfigureAwait(false)).Root!;
            foreach (var summary in list.Element(Ns + "Items")?.Elements(Ns + "InvalidationSummary") ?? [])
            {
                yield return Summary(summary);
            }

            var next = list.Element(Ns + "IsTruncated")?.Value == "true" ? list.Element(Ns + "NextMarker")?.Value : null;
            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            if (next == marker)
            {
                throw new DeployException(CdnErrors.RequestFailed, DeployErrorCategory.InvalidResult,
                    $"CloudFront listed the invalidations of {_settings.DistributionId} from marker {marker} twice without moving on. Try again later.", _settings.DistributionId);
            }

            marker = next;
        }
    }

    /// <summary>
    /// The newest invalidation created at or after <paramref name="since"/> whose CallerReference is one of
    /// <paramref name="reference"/>'s, or null: ListInvalidations down to <paramref name="since"/>, and
    /// GetInvalidation of each one found there (the list does not give references).
    /// </summary>
    public async Task<InvalidationResult?> FindAsync(InvalidationReference reference, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await foreach (var summary in ListAsync(100, cancellationToken).ConfigureAwait(false))
        {
            if (summary.CreateTime < since)
            {
                return null;
            }

            var invalidation = await GetAsync(summary.Id, cancellationToken).ConfigureAwait(false);
            if (reference.Matches(invalidation.CallerReference))
            {
                return invalidation;
            }
        }

        return null;
    }

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
                    $"Invalidation {invalidation.Id} of {_settings.DistributionId} was still {invalidation.Status} after {timeout.TotalSeconds:0} s. It goes on in CloudFront; check it later with Get-SkCdnInvalidation {_environment.Name} -Id {invalidation.Id}, or wait longer with -Timeout.",
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

    // The answer's XML; a refusal becomes the DeployException that says what to do (id: the invalidation asked for).
    private async Task<string> SendAsync(HttpMethod method, string path, string? body, string? id, CancellationToken cancellationToken)
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
            return response.IsSuccessStatusCode ? text : throw Failure((int)response.StatusCode, text, id);
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
            CallerReference = root.Element(Ns + "InvalidationBatch")?.Element(Ns + "CallerReference")?.Value,
        };
    }

    private InvalidationResult Summary(XElement summary) => new()
    {
        Environment = _environment.Name,
        DistributionId = _settings.DistributionId,
        Id = summary.Element(Ns + "Id")!.Value,
        Status = summary.Element(Ns + "Status")!.Value,
        CreateTime = DateTimeOffset.Parse(summary.Element(Ns + "CreateTime")!.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        Paths = [],
        CallerReference = null,
    };

    private DeployException Failure(int status, string xml, string? id)
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
            "NoSuchInvalidation" => new DeployException(CdnErrors.InvalidationNotFound, DeployErrorCategory.ObjectNotFound,
                $"CloudFront has no invalidation '{id}' on distribution {_settings.DistributionId} ({_environment.Name}). Run 'Get-SkCdnInvalidation {_environment.Name}' to list its invalidations, newest first.", id),
            "InvalidationBatchAlreadyExists" => new DeployException(CdnErrors.Conflict, DeployErrorCategory.ResourceExists,
                Sentences.Join(said, "Pass another -Version, or the same paths as the first request."), _settings.DistributionId),
            _ => new DeployException(CdnErrors.RequestFailed, DeployErrorCategory.InvalidResult, Sentences.End(said), _settings.DistributionId),
        };
    }
}
