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
foreach (var (variable, url) in sandbox.Databases?.ByEnvironment.Values ?? [])
{
    Console.WriteLine($"$env:{variable} = '{url}'");
}

Console.WriteLine($"$env:SKDEPLOY_CONFIG = '{sandbox.ConfigPath}'");
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
        while (!stop.IsCancellationRequested && IsRunning(parentPid))
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

static bool IsRunning(int pid)
{
    try
    {
        using var process = Process.GetProcessById(pid);
        return !process.HasExited;
    }
    catch (ArgumentException)
    {
        return false;
    }
}

static (SandboxOptions Sandbox, int? ParentPid, bool StopOnStdin) ParseArguments(string[] args)
{
    var output = Path.Join(Environment.CurrentDirectory, "out", "sandbox");
    var port = 0;
    int? parent = null;
    var postgres = true;
    var stopOnStdin = false;
    string? migrations = null;
    string? rollback = null;
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--out": output = args[++i]; break;
            case "--port": port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
            case "--parent-pid": parent = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
            case "--no-postgres": postgres = false; break;
            case "--stop-on-stdin": stopOnStdin = true; break;
            case "--migrations": migrations = Path.GetFullPath(args[++i]); break;
            case "--rollback-scripts": rollback = Path.GetFullPath(args[++i]); break;
            default:
                Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Skillancer.Deploy.Sandbox [--out <folder>] [--port <port>] [--parent-pid <pid>] [--stop-on-stdin] [--no-postgres] [--migrations <folder>] [--rollback-scripts <folder>]");
                Environment.Exit(2);
                break;
        }
    }

    return (new SandboxOptions(output, port, postgres, migrations, rollback), parent, stopOnStdin);
}
