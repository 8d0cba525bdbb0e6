namespace Skillancer.Deploy.Testing;

/// <summary>Polls with a deadline, for what the sandbox's controller does in the background. Shared by the test projects.</summary>
public static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Reads until the value satisfies <paramref name="until"/>, or 30 s have passed; returns the last value read.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> until)
    {
        var deadline = DateTimeOffset.UtcNow + Deadline;
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

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test when it does not within 30 s.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition)
    {
        if (!await ReadAsync(condition, holds => holds))
        {
            throw new TimeoutException("the condition did not hold within 30 s");
        }
    }
}
