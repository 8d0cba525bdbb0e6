namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>Polls with a deadline, for what the sandbox's controller does in the background.</summary>
public static class Eventually
{
    /// <summary>Reads until the value satisfies <paramref name="until"/>, or 30 s have passed; returns the last value read.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> until)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (until(value) || DateTimeOffset.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
