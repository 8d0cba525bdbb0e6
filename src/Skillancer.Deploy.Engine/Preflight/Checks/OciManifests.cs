using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// Asks an OCI distribution registry whether a manifest exists (<c>HEAD /v2/&lt;name&gt;/manifests/&lt;tag&gt;</c>), with
/// the token flow registries use: <c>GET /v2/</c>'s 401 names the token endpoint (<c>WWW-Authenticate: Bearer realm=...</c>),
/// which gives a token per repository anonymously or, with registry.usernameEnv and passwordEnv, for that user (Basic). The password never
/// leaves the token request, and no message holds it.
/// </summary>
public sealed class OciManifests : IDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly RegistrySettings _settings;
    private readonly HttpClient _client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
    private readonly Secret? _password;
    private readonly string? _username;
    private readonly Lazy<Task<Dictionary<string, string>?>> _challenge;

    /// <summary>A client of the registry <paramref name="settings"/> names; SecretNotSet when a configured variable is empty.</summary>
    public OciManifests(RegistrySettings settings)
    {
        _settings = settings;
        // The user name is no secret: scrubbing it would rewrite every message that names the same user.
        _username = settings.UsernameEnv is { } user ? SecretSource.ValueFromEnvironment(user, "registry.usernameEnv") : null;
        _password = settings.PasswordEnv is { } password ? SecretSource.FromEnvironment(password, "registry.passwordEnv") : null;
        _challenge = new(() => ChallengeAsync(CancellationToken.None));
    }

    /// <summary>
    /// The manifest's digest, or null when the registry has no such manifest (404). The registry's challenge is asked once
    /// (GET /v2/), then a token per repository, then the manifest: no request is sent twice.
    /// </summary>
    public async Task<string?> DigestAsync(string name, string tag, CancellationToken cancellationToken)
    {
        var challenge = await _challenge.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        var token = challenge is null ? null : await TokenAsync(challenge, name, cancellationToken).ConfigureAwait(false);
        using var answer = await HeadAsync(new Uri(_settings.Url, $"v2/{name}/manifests/{tag}"), token, cancellationToken).ConfigureAwait(false);
        return answer.StatusCode switch
        {
            HttpStatusCode.OK => answer.Headers.TryGetValues("Docker-Content-Digest", out var digest) ? digest.First() : "present",
            HttpStatusCode.NotFound => null,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => throw Refused(name, answer.StatusCode),
            var status => throw new DeployException("RegistryUnavailable", DeployErrorCategory.ConnectionError,
                $"The registry at {_settings.Url.Authority} answered HTTP {(int)status} for {name}:{tag}. Check registry.url, and that the registry runs.", name),
        };
    }

    // GET /v2/: 200 is a registry that needs no token (null); 401 names where to get one, as its Bearer challenge's parameters.
    private async Task<Dictionary<string, string>?> ChallengeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_settings.Url, "v2/"));
        using var response = await Send(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return null;
        }

        var bearer = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        return bearer is null ? null : Parameters(bearer.Parameter ?? "");
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> HeadAsync(Uri url, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Send(request, cancellationToken).ConfigureAwait(false);
    }

    // The token flow: the challenge's realm and service, with this repository's pull scope, asked anonymously or as the configured user.
    private async Task<string> TokenAsync(Dictionary<string, string> parameters, string name, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUrl))
        {
            throw Refused(name, HttpStatusCode.Unauthorized);
        }

        var query = string.Join("&", new[] { ("service", parameters.GetValueOrDefault("service")), ("scope", $"repository:{name}:pull") }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realmUrl) { Query = query }.Uri);
        if (_username is not null && _password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_username}:{_password.Reveal()}")));
        }

        using var response = await Send(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Refused(name, response.StatusCode);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return body?["token"]?.GetValue<string>() ?? body?["access_token"]?.GetValue<string>() ?? throw Refused(name, response.StatusCode);
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DeployException("RegistryUnavailable", DeployErrorCategory.ConnectionError,
                $"The registry at {request.RequestUri!.Authority} did not answer ({e.Message}). Check registry.url, and that it runs.", request.RequestUri.Authority, e);
        }
    }

    private DeployException Refused(string name, HttpStatusCode status) =>
        new("RegistryAccessDenied", DeployErrorCategory.PermissionDenied,
            $"The registry at {_settings.Url.Authority} refused to show {name} (HTTP {(int)status}){(_username is null ? " to an anonymous reader: set registry.usernameEnv and passwordEnv" : $" to {_username}: check registry.usernameEnv and passwordEnv")}.",
            name);

    // key="value" pairs of a challenge, commas inside quotes kept.
    private static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, "(\\w+)=\"([^\"]*)\""))
        {
            result[m.Groups[1].Value] = m.Groups[2].Value;
        }

        return result;
    }
}
