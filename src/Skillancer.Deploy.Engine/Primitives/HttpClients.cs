using System.Net.Http.Headers;
using System.Reflection;

namespace Skillancer.Deploy.Engine.Primitives;

/// <summary>
/// The one place HTTP clients are made. TLS certificates are verified unless the caller
/// explicitly asks otherwise (a -SkipCertificateCheck switch).
/// </summary>
public static class HttpClients
{
    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Skillancer.Deploy",
        typeof(HttpClients).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>
    /// A client whose connects give up after <paramref name="connectTimeout"/>. Request timeouts are
    /// left to the caller's cancellation token, so a timeout can be told apart from Ctrl+C.
    /// </summary>
    public static HttpClient Create(TimeSpan connectTimeout, bool skipCertificateCheck) => Create(connectTimeout, skipCertificateCheck, handler => handler);

    /// <summary>As <see cref="Create(TimeSpan, bool)"/>, with a handler around the connection (request signing).</summary>
    public static HttpClient Create(TimeSpan connectTimeout, bool skipCertificateCheck, Func<HttpMessageHandler, HttpMessageHandler> wrap)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };
        if (skipCertificateCheck)
        {
            // The user asked for this explicitly, for an endpoint they trust (a self-signed test host).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var client = new HttpClient(wrap(handler), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
        return client;
    }

    /// <summary>Explains a failed request in words that say what to check next.</summary>
    public static string Describe(HttpRequestException exception, Uri url)
    {
        var endpoint = $"{url.Host}:{url.Port}";
        return exception.HttpRequestError switch
        {
            HttpRequestError.ConnectionError when exception.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }
                => $"Connection refused by {endpoint}. Is the service running and listening on that port?",
            HttpRequestError.ConnectionError => Sentences.End($"Cannot connect to {endpoint}: {Innermost(exception).Message}"),
            HttpRequestError.NameResolutionError => $"The host name '{url.Host}' cannot be resolved. Check the URL and your DNS.",
            HttpRequestError.SecureConnectionError
                => Sentences.Join($"TLS with {endpoint} failed: {Innermost(exception).Message}", "Fix the certificate, or pass -SkipCertificateCheck only for an endpoint you trust."),
            _ => Sentences.End($"Request to {endpoint} failed: {Innermost(exception).Message}"),
        };
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
