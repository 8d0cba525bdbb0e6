using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Skillancer.Deploy.Sandbox.Database;
using Skillancer.Deploy.Sandbox.Services;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>
/// One running sandbox: a Kestrel server on loopback hosting every stand-in, and the
/// configuration file that points at it. Program.cs runs one; tests start their own.
/// </summary>
internal sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ThrowawayPostgres? _postgres;

    private SandboxHost(WebApplication app, Uri baseUrl, string configPath, ServiceFleet fleet, ThrowawayPostgres? postgres, SandboxDatabases? databases)
    {
        _app = app;
        _postgres = postgres;
        BaseUrl = baseUrl;
        ConfigPath = configPath;
        Fleet = fleet;
        Databases = databases;
    }

    /// <summary>The root URL, ending in '/'.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The skdeploy.yml that points at this sandbox.</summary>
    public string ConfigPath { get; }

    /// <summary>The services' health state.</summary>
    public ServiceFleet Fleet { get; }

    /// <summary>The environments' databases, when the sandbox runs PostgreSQL.</summary>
    public SandboxDatabases? Databases { get; }

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, options.Port));
        var fleet = new ServiceFleet();
        builder.Services.AddSingleton(fleet);
        var app = builder.Build();
        HealthEndpoints.Map(app, fleet);
        app.MapGet("/", () => Results.Text("Skillancer.Deploy sandbox\n"));

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        var postgres = options.StartPostgres ? await ThrowawayPostgres.TryStartAsync(Console.Out, cancellationToken) : null;
        var databases = postgres is null
            ? null
            : await SandboxDatabases.CreateAsync(postgres, RunbookServices.Environments, options.MigrationsFolder, options.RollbackFolder, cancellationToken);
        var directory = Path.GetFullPath(options.OutputDirectory);
        var configPath = SandboxConfigWriter.Write(directory, baseUrl, databases);
        await File.WriteAllTextAsync(
            Path.Join(directory, "sandbox.json"),
            System.Text.Json.JsonSerializer.Serialize(new
            {
                baseUrl = baseUrl.ToString(),
                configPath,
                postgres = databases?.AdminConnectionString,
                environment = databases?.ByEnvironment.Values.ToDictionary(d => d.Variable, d => d.Url),
            }),
            cancellationToken);
        return new SandboxHost(app, baseUrl, configPath, fleet, postgres, databases);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
