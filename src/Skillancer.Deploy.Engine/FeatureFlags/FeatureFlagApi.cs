using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.FeatureFlags;

/// <summary>
/// The runbook's feature-flag calls: POST <c>{"flag": ..., "enabled": ...}</c> or
/// <c>{"flag": ..., "rollout_percentage": ...}</c> to the environment's featureFlags.url with the admin
/// bearer token, and GET of the list or one flag. 5xx answers and dropped connections are retried with
/// backoff (setting a flag to a value is idempotent); 401/403 and 404 are errors of their own.
/// </summary>
public sealed class FeatureFlagApi : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly EnvironmentConfig _environment;
    private readonly FeatureFlagSettings _settings;
    private readonly Secret _token;
    private readonly HttpClient _client;
    private readonly OperationHost _host;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    private FeatureFlagApi(EnvironmentConfig environment, FeatureFlagSettings settings, Secret token, bool skipCertificateCheck, OperationHost host)
    {
        _environment = environment;
        _settings = settings;
        _token = token;
        _host = host;
        _client = HttpClients.Create(Timeout, skipCertificateCheck);
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().HandleResult(r => (int)r.StatusCode >= 500),
            OnRetry = args =>
            {
                var why = args.Outcome.Result is { } answer ? $"HTTP {(int)answer.StatusCode}" : args.Outcome.Exception?.Message;
                host.Verbose($"The feature-flag API failed ({why}); trying again in {args.RetryDelay.TotalMilliseconds:0} ms.");
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>Connects to the environment's API; its token comes from the variable featureFlags.tokenEnv names.</summary>
    public static FeatureFlagApi Open(EnvironmentConfig environment, bool skipCertificateCheck, OperationHost host)
    {
        var (settings, token) = Connection(environment);
        return new FeatureFlagApi(environment, settings, token, skipCertificateCheck, host);
    }

    /// <summary>
    /// The environment's API settings and token, or FeatureFlagsNotConfigured / SecretNotSet: what
    /// <see cref="Open"/> needs, checked without connecting.
    /// </summary>
    public static (FeatureFlagSettings Settings, Secret Token) Connection(EnvironmentConfig environment)
    {
        var settings = environment.FeatureFlags ?? throw new DeployException(FeatureFlagErrors.NotConfigured, DeployErrorCategory.NotSpecified,
            $"Environment '{environment.Name}' has no feature-flag API. Add featureFlags: with url and tokenEnv to {environment.ConfigPath}.", environment.Name);
        return (settings, SecretSource.FromEnvironment(settings.TokenEnv, "featureFlags.tokenEnv"));
    }

    /// <summary>Every flag the API knows.</summary>
    public async Task<IReadOnlyList<FeatureFlag>> ListAsync(CancellationToken cancellationToken)
    {
        var json = await SendAsync(HttpMethod.Get, _settings.Url, null, null, cancellationToken).ConfigureAwait(false);
        var items = json switch
        {
            JsonArray array => array,
            JsonObject { } obj when obj["flags"] is JsonArray flags => flags,
            _ => throw Unexpected("a list of flags"),
        };
        return items.OfType<JsonObject>().Select(Read).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One flag; FeatureFlagNotFound when the API does not know it.</summary>
    public async Task<FeatureFlag> GetAsync(string name, CancellationToken cancellationToken) =>
        Read(await SendAsync(HttpMethod.Get, FlagUrl(name), null, name, cancellationToken).ConfigureAwait(false) as JsonObject ?? throw Unexpected("a flag"));

    /// <summary>Sends the runbook's POST and returns the flag's new state. Only <see cref="FeatureFlagSetter"/>, which checks the admission first, calls it.</summary>
    internal async Task<FeatureFlag> SetAsync(FeatureFlagChange change, CancellationToken cancellationToken)
    {
        change.Validate();
        var body = new JsonObject { ["flag"] = change.Name };
        if (change.Enabled is { } enabled)
        {
            body["enabled"] = enabled;
        }

        if (change.RolloutPercentage is { } percentage)
        {
            body["rollout_percentage"] = percentage;
        }

        var answer = await SendAsync(HttpMethod.Post, _settings.Url, body.ToJsonString(), change.Name, cancellationToken).ConfigureAwait(false);
        return answer is JsonObject flag && flag.ContainsKey("flag")
            ? Read(flag)
            : await GetAsync(change.Name, cancellationToken).ConfigureAwait(false); // an API that answers 204 or {"ok":true}
    }

    /// <summary>Where a change goes, for ShouldProcess: "new_dashboard at https://… (production)".</summary>
    public string Target(string name) => $"feature flag {name} at {_settings.Url} ({_environment.Name})";

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private Uri FlagUrl(string name) => new(_settings.Url.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(name));

    private async Task<JsonNode?> SendAsync(HttpMethod method, Uri url, string? body, string? flag, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _retry.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(method, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Reveal());
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(Timeout);
                var answer = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                _host.Verbose($"{method} {url}{(body is null ? "" : " " + body)} -> {(int)answer.StatusCode}");
                return answer;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DeployException(FeatureFlagErrors.Unavailable, DeployErrorCategory.ConnectionError,
                $"The feature-flag API of {_environment.Name} cannot be reached: {HttpClients.Describe(e, url)}", url);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrWhiteSpace(text) ? null : Parse(text);
            }

            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new DeployException(FeatureFlagErrors.AccessDenied, DeployErrorCategory.PermissionDenied,
                    $"The feature-flag API of {_environment.Name} refused the token in ${_settings.TokenEnv} (HTTP {status}). Set ${_settings.TokenEnv} to a current admin token and try again.",
                    _settings.TokenEnv),
                HttpStatusCode.NotFound when flag is not null => new DeployException(FeatureFlagErrors.NotFound, DeployErrorCategory.ObjectNotFound,
                    $"The feature-flag API of {_environment.Name} has no flag '{flag}'. Get-SkFeatureFlag -Environment {_environment.Name} lists the flags it knows.",
                    flag),
                _ when status >= 500 => new DeployException(FeatureFlagErrors.Unavailable, DeployErrorCategory.ConnectionError,
                    $"The feature-flag API of {_environment.Name} kept failing (HTTP {status}) after 3 retries: {Excerpt(text)}. Try again later.", url),
                _ => new DeployException(FeatureFlagErrors.RequestRejected, DeployErrorCategory.InvalidArgument,
                    $"The feature-flag API of {_environment.Name} refused the request (HTTP {status}): {Excerpt(text)}.", flag),
            };
        }
    }

    private FeatureFlag Read(JsonObject json) => new()
    {
        Environment = _environment.Name,
        Name = json["flag"]?.GetValue<string>() ?? json["name"]?.GetValue<string>() ?? throw Unexpected("a flag name"),
        Enabled = json["enabled"]?.GetValue<bool>() ?? false,
        RolloutPercentage = json["rollout_percentage"] is JsonValue percentage ? (int)percentage.GetValue<double>() : null,
        ChangedAt = json["updated_at"] is JsonValue changed && DateTimeOffset.TryParse(changed.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null,
    };

    private JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw Unexpected("JSON");
        }
    }

    private DeployException Unexpected(string expected) => new(FeatureFlagErrors.RequestRejected, DeployErrorCategory.InvalidResult,
        $"The feature-flag API of {_environment.Name} ({_settings.Url}) answered without {expected}. Is featureFlags.url the API's address?", _settings.Url);

    private static string Excerpt(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
