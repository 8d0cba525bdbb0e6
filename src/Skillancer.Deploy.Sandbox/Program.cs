using System.Diagnostics;
using Skillancer.Deploy.Sandbox.Hosting;

// The sandbox runs until Ctrl+C, until its standard input closes or says "stop" (with --stop-on-stdin,
// for a parent that holds the other end), or until the parent process named by --parent-pid exits.
var options = ParseArguments(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var sandbox = await SandboxHost.StartAsync(options.Sandbox);
Console.WriteLine($"Sandbox listening on {sandbox.BaseUrl}");
Console.WriteLine($"Kubernetes API on {sandbox.ApiServer} (kubeconfig: {sandbox.KubeconfigPath})");
PasteBlock.Write(sandbox);
var ready = DateTime.Now - Process.GetCurrentProcess().StartTime;
Console.WriteLine($"Ready in {ready.TotalMilliseconds:N0} ms from process start{(sandbox.Databases is null ? "" : ", PostgreSQL included")}{(sandbox.Prometheus is null ? "" : ", Prometheus included")}.");
// One block, its last line the one build/Sandbox.psm1 waits for.
Console.WriteLine(PasteBlock.For(sandbox));
Console.Out.Flush();

if (options.StopOnStdin)
{
    _ = Task.Run(() =>
    {
        string? line;
        while ((line = Console.In.ReadLine()) is not null && !string.Equals(line.Trim(), "stop", StringComparison.OrdinalIgnoreCase))
        {
        }

        stop.Cancel();
    });
}

if (options.ParentPid is { } parentPid)
{
    _ = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested && LocalProcesses.IsRunning(parentPid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        stop.Cancel();
    });
}

try
{
    await sandbox.WaitForShutdownAsync(stop.Token);
}
catch (OperationCanceledException)
{
}

Console.WriteLine("Sandbox stopped.");
return 0;

static (SandboxOptions Sandbox, int? ParentPid, bool StopOnStdin) ParseArguments(string[] args)
{
    const string usage = "Usage: Skillancer.Deploy.Sandbox [--out <folder>] [--port <port>] [--api-port <port>] [--parent-pid <pid>] [--stop-on-stdin] " +
        "[--no-postgres] [--no-prometheus] [--migrations <folder>] [--rollback-scripts <folder>] [--scenario <skdeploy.yml>] [--initial-version <tag>] " +
        "[--rollout-step <seconds>] [--invalidation-seconds <seconds>] [--requests-per-pod-per-second <rate>] [--faults <rules.json>]";
    var options = new SandboxOptions(Path.Join(Environment.CurrentDirectory, "out", "sandbox"), StartPostgres: true) { StartPrometheus = true };
    int? parent = null;
    var stopOnStdin = false;
    var invariant = System.Globalization.CultureInfo.InvariantCulture;
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : Fail<string>($"'{args[i]}' needs a value.");
        options = args[i] switch
        {
            "--out" => options with { OutputDirectory = Next() },
            "--port" => options with { Port = int.Parse(Next(), invariant) },
            "--api-port" => options with { ApiPort = int.Parse(Next(), invariant) },
            "--no-postgres" => options with { StartPostgres = false },
            "--no-prometheus" => options with { StartPrometheus = false },
            "--migrations" => options with { MigrationsFolder = Path.GetFullPath(Next()) },
            "--rollback-scripts" => options with { RollbackFolder = Path.GetFullPath(Next()) },
            "--scenario" => options with { ScenarioPath = Path.GetFullPath(Next()) },
            "--initial-version" => options with { InitialVersion = Next() },
            "--rollout-step" => options with { RolloutStep = TimeSpan.FromSeconds(double.Parse(Next(), invariant)) },
            "--invalidation-seconds" => options with { InvalidationDelay = TimeSpan.FromSeconds(double.Parse(Next(), invariant)) },
            "--requests-per-pod-per-second" => options with { RequestsPerPodPerSecond = Rate(Next()) },
            "--faults" => options with { FaultsPath = Path.GetFullPath(Next()) },
            "--parent-pid" => options,
            "--stop-on-stdin" => options,
            _ => Fail<SandboxOptions>($"Unknown argument '{args[i]}'."),
        };
        if (args[i] == "--parent-pid") parent = int.Parse(Next(), invariant);
        if (args[i] == "--stop-on-stdin") stopOnStdin = true;
    }

    return (options, parent, stopOnStdin);

    double Rate(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, invariant, out var rate) && double.IsFinite(rate) && rate >= 0
            ? rate
            : Fail<double>($"'--requests-per-pod-per-second {text}' is not a rate: give a number of requests, 0 or more.");

    T Fail<T>(string problem)
    {
        Console.Error.WriteLine(problem + " " + usage);
        Environment.Exit(2);
        return default!;
    }
}
