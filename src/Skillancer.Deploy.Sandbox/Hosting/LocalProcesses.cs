using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Skillancer.Deploy.Sandbox.Hosting;

/// <summary>What the sandbox's child servers (PostgreSQL, Prometheus) need from the machine: a free port, and whether a process still runs.</summary>
internal static class LocalProcesses
{
    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Whether the process <paramref name="pid"/> runs.</summary>
    public static bool IsRunning(int pid)
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
}
