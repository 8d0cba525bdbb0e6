using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification.Smoke;

/// <summary>
/// The runbook's "Run Smoke Tests": the configured checks, a Pester suite and an external command, run
/// concurrently (bounded by the throttle limit). Results come back in a fixed order: the configured checks
/// as listed, then the suite's tests, then the command.
/// </summary>
public static class SmokeRunner
{
    /// <summary>Error id: there is nothing to run.</summary>
    public const string NoSmokeChecks = "NoSmokeChecks";

    /// <summary>Error id: configured checks need the environment's url.</summary>
    public const string UrlNotSet = "SmokeUrlNotSet";

    private const string Activity = "Running smoke tests";

    /// <summary>
    /// The smoke gate: runs each environment's request in turn, and fails with SmokeTestFailed when a check failed
    /// or none passed.
    /// </summary>
    public static async Task<GateResult<SmokeResult>> VerifyAsync(IReadOnlyList<SmokeRequest> requests, OperationHost host, CancellationToken cancellationToken)
    {
        foreach (var suite in requests.Select(r => r.PesterPath).OfType<string>().Distinct())
        {
            if (!File.Exists(suite) && !Directory.Exists(suite))
            {
                throw new DeployException(VerificationErrors.SmokeSuiteNotFound, DeployErrorCategory.ObjectNotFound,
                    $"There is no Pester suite at '{suite}'. Pass a folder or a *.Tests.ps1 file.", suite);
            }
        }

        var results = new List<SmokeResult>();
        foreach (var request in requests)
        {
            results.AddRange(await RunAsync(request, host, cancellationToken).ConfigureAwait(false));
        }

        var failed = results.Where(r => r.Outcome == SmokeOutcome.Failed).ToList();
        if (failed.Count > 0)
        {
            host.Warning($"{failed.Count} of {results.Count} smoke checks failed: {string.Join(", ", failed.Select(f => f.Name))}.");
        }

        return new GateResult<SmokeResult>(results, VerificationErrors.SmokeFailure(results));
    }

    /// <summary>Runs every check; a failed check is a result, not an error.</summary>
    public static async Task<IReadOnlyList<SmokeResult>> RunAsync(SmokeRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        if (request.Checks.Count == 0 && request.Suites.Count == 0 && request.PesterPath is null && request.Command is null)
        {
            throw new DeployException(NoSmokeChecks, DeployErrorCategory.InvalidArgument,
                $"There are no smoke checks to run in '{environment.Name}'. Add a smoke: list to the environment in {environment.ConfigPath}, or pass -Path (a Pester suite) or -Command.",
                environment.Name);
        }

        if (request.Checks.Count > 0 && environment.Url is null)
        {
            throw new DeployException(UrlNotSet, DeployErrorCategory.InvalidArgument,
                $"Environment '{environment.Name}' has smoke checks but no url to send them to. Add url: to it in {environment.ConfigPath}.", environment.Name);
        }

        // Every secret is read before the first request, so a missing one changes nothing.
        var secrets = request.Checks.Select(HttpSmokeCheck.Secrets).ToList();
        using var client = HttpClients.Create(TimeSpan.FromSeconds(10), request.SkipCertificateCheck);
        using var throttle = new SemaphoreSlim(Math.Max(1, request.ThrottleLimit));
        var jobs = new List<Func<Task<IReadOnlyList<SmokeResult>>>>();
        jobs.AddRange(request.Checks.Select((check, i) => (Func<Task<IReadOnlyList<SmokeResult>>>)(async () =>
            [await HttpSmokeCheck.RunAsync(client, environment, check, secrets[i], host, cancellationToken).ConfigureAwait(false)])));
        if (request.PesterPath is { } path)
        {
            jobs.Add(() => ChildProcessChecks.RunPesterAsync(Pwsh(request), request.PesterModule ?? "Pester", path, environment, request.ProcessTimeout, host, cancellationToken));
        }

        if (request.Command is { } command)
        {
            jobs.Add(async () => [await ChildProcessChecks.RunCommandAsync(Pwsh(request), command, request.WorkingDirectory, environment, request.ProcessTimeout, host, cancellationToken).ConfigureAwait(false)]);
        }

        foreach (var suite in request.Suites)
        {
            jobs.Add(async () => [await ChildProcessChecks.RunCommandAsync(Pwsh(request), suite.Command, request.WorkingDirectory, environment, request.ProcessTimeout, host, cancellationToken, suite.Name).ConfigureAwait(false)]);
        }

        var done = 0;
        host.Progress(new ProgressUpdate(Activity, $"{jobs.Count} checks in {environment.Name}", 0));
        var results = await Task.WhenAll(jobs.Select(async job =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await job().ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
                var finished = Interlocked.Increment(ref done);
                host.Progress(new ProgressUpdate(Activity, $"{finished} of {jobs.Count} checks done", finished * 100 / jobs.Count));
            }
        })).ConfigureAwait(false);
        host.Progress(new ProgressUpdate(Activity, "Done", 100, Completed: true));
        return results.SelectMany(r => r).ToList();
    }

    private static PwshProgram Pwsh(SmokeRequest request) =>
        request.Pwsh ?? throw new InvalidOperationException("A child PowerShell is needed for -Path, -Command and the smoke suites.");
}
