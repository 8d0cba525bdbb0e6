using System.Diagnostics;
using System.Globalization;
using Skillancer.Deploy.Sandbox.Hosting;

namespace Skillancer.Deploy.Sandbox.Prometheus;

/// <summary>
/// A real Prometheus (Debian's package) run as a child process on a free loopback port, with a storage
/// folder of its own, scraping the sandbox's <c>/metrics</c> every second. It can be stopped and started
/// again on the same port and storage (how a test sees Prometheus go away and come back), and is killed
/// and its folder deleted when disposed. A server that an earlier, killed owner left behind is killed at the next start.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private const string FolderPrefix = "skdeploy-prometheus-";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly string _program;
    private readonly string _root;
    private Process? _process;
    private StreamWriter? _log;

    private PrometheusServer(string program, string root, int port)
    {
        _program = program;
        _root = root;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The server's address, ending in '/'.</summary>
    public Uri Url { get; }

    /// <summary>How to install Prometheus on this kind of machine.</summary>
    public static string InstallHint => OperatingSystem.IsWindows()
        ? "download it from https://prometheus.io/download/ and put prometheus.exe on PATH"
        : "sudo apt-get install prometheus (Debian, Ubuntu)";

    /// <summary>The prometheus program on PATH, or null when it is not installed.</summary>
    public static string? FindProgram()
    {
        var exe = OperatingSystem.IsWindows() ? "prometheus.exe" : "prometheus";
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Join(dir, exe))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Starts a server that scrapes <paramref name="target"/> (host:port, path /metrics) every second and evaluates the
    /// alerting rules of <see cref="AlertRules"/> for <paramref name="services"/>, or returns null (after saying how to
    /// install it) when Prometheus is not installed.
    /// </summary>
    public static async Task<PrometheusServer?> TryStartAsync(string target, IReadOnlyList<string> services, TextWriter log, CancellationToken cancellationToken)
    {
        if (FindProgram() is not { } program)
        {
            log.WriteLine($"Prometheus is not installed, so the sandbox measures no error rates. Install it ({InstallHint}) and start the sandbox again.");
            return null;
        }

        StopLeftovers();
        var root = Path.Join(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Join(root, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await File.WriteAllTextAsync(Path.Join(root, "prometheus.yml"), ScrapeConfig(target), cancellationToken);
        await File.WriteAllTextAsync(Path.Join(root, "rules.yml"), AlertRules(services), cancellationToken);
        var server = new PrometheusServer(program, root, LocalProcesses.FreePort());
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        log.WriteLine($"Prometheus (from {program}) started on {server.Url}, scraping {target} every second");
        return server;
    }

    /// <summary>Starts the process (again) and waits until it answers /-/ready.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var start = new ProcessStartInfo(_program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={Path.Join(_root, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Join(_root, "data")}",
            $"--web.listen-address=127.0.0.1:{Url.Port.ToString(CultureInfo.InvariantCulture)}",
            "--storage.tsdb.retention.time=1d",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _log ??= File.AppendText(Path.Join(_root, "prometheus.log"));
        _ = Drain(_process.StandardOutput, _log);
        _ = Drain(_process.StandardError, _log);
        await File.WriteAllTextAsync(Path.Join(_root, "prometheus.pid"), _process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with code {_process.ExitCode} at start; see {Path.Join(_root, "prometheus.log")}.");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri(Url, "-/ready"), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"Prometheus did not become ready within {ReadyTimeout.TotalSeconds} s; see {Path.Join(_root, "prometheus.log")}.");
    }

    /// <summary>Kills the process, keeping its storage for a later <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_log is not null)
        {
            lock (_log)
            {
                _log.Dispose();
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ScrapeConfig(string target) => $"""
        # Written by the Skillancer.Deploy sandbox.
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files: [rules.yml]
        scrape_configs:
          - job_name: sandbox
            metrics_path: /metrics
            static_configs:
              - targets: ['{target}']
        """;

    /// <summary>
    /// The alerting rules a real setup would have: HighErrorRate over every namespace and service, ApiGatewayDown, and one
    /// error-rate rule per service (e.g. WebHighErrorRate), each on the metrics the sandbox's services export.
    /// </summary>
    public static string AlertRules(IReadOnlyList<string> services)
    {
        var rules = new System.Text.StringBuilder("""
            # Written by the Skillancer.Deploy sandbox.
            groups:
              - name: skillancer
                rules:
                  - alert: HighErrorRate
                    expr: sum by (namespace, service) (rate(http_errors_total[1m])) / sum by (namespace, service) (rate(http_requests_total[1m])) > 0.05
                    for: 1m
                  - alert: ApiGatewayDown
                    expr: absent(http_requests_total{service="api-gateway"})
                    for: 5m

            """);
        foreach (var service in services)
        {
            var name = string.Concat(service.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            rules.Append(CultureInfo.InvariantCulture, $$"""
                      - alert: {{name}}HighErrorRate
                        expr: sum by (namespace) (rate(http_errors_total{service="{{service}}"}[1m])) / sum by (namespace) (rate(http_requests_total{service="{{service}}"}[1m])) > 0.1
                        for: 1m

                """);
        }

        return rules.ToString();
    }

    private static async Task Drain(StreamReader reader, StreamWriter log)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            lock (log)
            {
                if (log.BaseStream is { CanWrite: true })
                {
                    log.WriteLine(line);
                    log.Flush();
                }
            }
        }
    }

    // A server whose owner died (a killed sandbox or test run) would run forever; end it and its folder.
    private static void StopLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (ReadPid(Path.Join(folder, "owner.pid")) is { } owner && LocalProcesses.IsRunning(owner))
            {
                continue;
            }

            if (ReadPid(Path.Join(folder, "prometheus.pid")) is { } pid && Running(pid) is { } leftover)
            {
                using (leftover)
                {
                    if (leftover.ProcessName.StartsWith("prometheus", StringComparison.OrdinalIgnoreCase))
                    {
                        leftover.Kill();
                        leftover.WaitForExit(5000);
                    }
                }
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static Process? Running(int pid)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            if (!process.HasExited)
            {
                return process;
            }

            process.Dispose();
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
