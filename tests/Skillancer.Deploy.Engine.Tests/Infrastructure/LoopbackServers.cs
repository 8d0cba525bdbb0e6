using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// Real HTTP and HTTPS (self-signed) servers on loopback, with endpoints that behave the ways a
/// health endpoint can: fine, broken, flaky, slow, guarded by a token, or waiting for company.
/// </summary>
public sealed class LoopbackServers : IAsyncLifetime
{
    public const string Token = "loopback-token-7f3a";
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _arrivals = new();
    private WebApplication? _app;

    public Uri Http { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    /// <summary>A loopback URL where nothing listens.</summary>
    public Uri Refused { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = CreateSelfSignedCertificate();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        _app = builder.Build();
        _app.MapGet("/ok", () => Results.Json(new { status = "healthy" }));
        _app.MapGet("/error", () => Results.StatusCode(500));
        _app.MapGet("/flaky/{id}", (string id) => _hits.AddOrUpdate(id, 1, (_, n) => n + 1) <= 2 ? Results.StatusCode(503) : Results.Ok());
        _app.MapGet("/slow", async (CancellationToken token) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), token);
            return Results.Ok();
        });
        _app.MapGet("/auth", (HttpRequest request) =>
            request.Headers.Authorization == $"Bearer {Token}" ? Results.Ok() : Results.StatusCode(401));
        _app.MapGet("/gate/{name}/{count:int}", async (string name, int count) =>
        {
            var gate = _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (_arrivals.AddOrUpdate(name, 1, (_, n) => n + 1) >= count)
            {
                gate.TrySetResult();
            }

            var opened = await Task.WhenAny(gate.Task, Task.Delay(TimeSpan.FromSeconds(20))) == gate.Task;
            return opened ? Results.Ok() : Results.StatusCode(504);
        });
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Http = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));
        Https = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        Refused = new Uri($"http://127.0.0.1:{FreePort()}/health");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
