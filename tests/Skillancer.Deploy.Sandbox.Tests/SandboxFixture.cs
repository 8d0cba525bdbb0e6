using Skillancer.Deploy.Sandbox.Hosting;

namespace Skillancer.Deploy.Sandbox.Tests;

/// <summary>One in-process sandbox for the test class, writing its files to a temp folder.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Join(Path.GetTempPath(), "skdeploy-sandbox-" + Guid.NewGuid().ToString("N")[..8]);

    internal SandboxHost Host { get; private set; } = null!;

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync() => Host = await SandboxHost.StartAsync(new SandboxOptions(_directory));

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
