using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Sandbox.Registry;

/// <summary>
/// An OCI distribution registry (the distribution spec's /v2/ API) holding a manifest for every image the scenario
/// deploys, and nothing else: <c>HEAD|GET /v2/&lt;name&gt;/manifests/&lt;tag&gt;</c> answers 200 with its digest, or 404
/// MANIFEST_UNKNOWN. As Docker Hub and GHCR do, every /v2/ request needs a bearer token, and a 401 names where to get
/// one (<c>WWW-Authenticate: Bearer realm=...,service=...,scope=...</c>); the token endpoint gives one anonymously, or
/// for the registry's user and password (Basic), and refuses wrong credentials.
/// </summary>
internal sealed class OciRegistry(IReadOnlySet<string> images, string username, string password)
{
    public const string Service = "sandbox-registry";
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal);

    /// <summary>The images the scenario deploys, as name:tag (skillancer/web:v1.2.3): each published version, also -broken, -faulty, -erroring and -slow.</summary>
    public static IReadOnlySet<string> Published(string registry, IEnumerable<string> images, IEnumerable<string> versions) =>
        images.SelectMany(image => versions.SelectMany(v => new[] { v, $"{v}-broken", $"{v}-faulty", $"{v}-erroring", $"{v}-slow" }).Select(tag => $"{registry}/{image}:{tag}"))
            .ToHashSet(StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        app.MapGet("/registry/token", (HttpRequest request, string? service, string? scope) =>
        {
            var header = request.Headers.Authorization.ToString();
            if (header.Length > 0 && !ValidBasic(header))
            {
                return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "incorrect username or password" } } }, statusCode: 401);
            }

            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            _tokens[token] = header.Length > 0;
            return Results.Json(new { token, access_token = token, expires_in = 300, issued_at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        });
        app.MapMethods("/v2/", ["GET", "HEAD"], (HttpContext context) => Authorized(context, null) ? Results.Json(new { }) : Challenge(context, null));
        app.MapMethods("/v2/{**path}", ["GET", "HEAD"], (HttpContext context, string path) =>
        {
            var at = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
            if (at <= 0)
            {
                return Results.Json(new { errors = new[] { new { code = "UNSUPPORTED", message = "only manifests are served" } } }, statusCode: 404);
            }

            var name = path[..at];
            var tag = path[(at + "/manifests/".Length)..];
            if (!Authorized(context, name))
            {
                return Challenge(context, name);
            }

            if (!images.Contains($"{name}:{tag}"))
            {
                return Results.Json(new { errors = new[] { new { code = "MANIFEST_UNKNOWN", message = "manifest unknown", detail = new { name, tag } } } }, statusCode: 404);
            }

            var body = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{{Hash(name + tag + "config")}}","size":2},"layers":[]}""");
            context.Response.Headers["Docker-Content-Digest"] = $"sha256:{Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant()}";
            return Results.Bytes(body, ManifestType);
        });
    }

    private bool Authorized(HttpContext context, string? name) =>
        AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var value)
        && value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
        && value.Parameter is { } token && _tokens.ContainsKey(token);

    private static IResult Challenge(HttpContext context, string? name)
    {
        var realm = $"{context.Request.Scheme}://{context.Request.Host}/registry/token";
        var scope = name is null ? "" : $",scope=\"repository:{name}:pull\"";
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"{Service}\"{scope}";
        return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "authentication required" } } }, statusCode: 401);
    }

    private bool ValidBasic(string header) =>
        AuthenticationHeaderValue.TryParse(header, out var value)
        && value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
        && value.Parameter is { } encoded
        && TryDecode(encoded) == $"{username}:{password}";

    private static string? TryDecode(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
