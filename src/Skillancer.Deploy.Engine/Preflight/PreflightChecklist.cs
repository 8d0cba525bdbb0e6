using System.Diagnostics;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Preflight.Checks;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.Verification;

namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>
/// Test-SkPreflight's entry point: the runbook's pre-deployment checklist, each item asked of its system of record,
/// all at once (the run takes about as long as its slowest item). Items no system answers pass only when a person
/// attests them, and the journal records who attested what, and why.
/// </summary>
public static class PreflightChecklist
{
    /// <summary>Every check, in the runbook's order.</summary>
    public static IReadOnlyList<PreflightCheck> Checks { get; } =
    [
        new CiCheck(),
        new MigrationsTestedCheck(),
        new FeatureFlagsCheck(),
        new AlertsCheck(),
        new RollbackPlanCheck(),
        new StakeholdersNotifiedCheck(),
        new DeploymentWindowCheck(),
        new OnCallCheck(),
        new ImagesCheck(),
        new ClusterAccessCheck(),
        new StartingPointCheck(),
    ];

    /// <summary>
    /// Runs the items <paramref name="request"/> asks for and returns one result per item, in the runbook's order, with
    /// PreflightFailed when one Failed. Throws InvalidVersion, PreflightReasonRequired or PreflightNotAttestable before
    /// anything is asked.
    /// </summary>
    public static async Task<GateResult<PreflightResult>> RunAsync(ClusterConnection cluster, PreflightRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var (tag, items) = request.Validate();
        var checks = Checks.Where(c => items.Contains(c.Item)).ToList();
        RequireAttestable(request, checks);
        var context = new PreflightContext(request, tag, cluster, host, cancellationToken);
        var results = await Task.WhenAll(checks.Select(c => RunOneAsync(c, context, cancellationToken))).ConfigureAwait(false);
        foreach (var result in results.Where(r => r.Status == PreflightStatus.NotConfigured))
        {
            host.Warning($"{result.Item} was not checked: {result.Detail}");
        }

        if (results.Any(r => r.Status == PreflightStatus.Attested))
        {
            await RecordAttestationsAsync(cluster, request, tag, results, host, cancellationToken).ConfigureAwait(false);
        }

        return new GateResult<PreflightResult>(results, PreflightErrors.Failure(results));
    }

    /// <summary>
    /// The checks <paramref name="request"/> asks for that only a person answers here and that it does not attest yet:
    /// what an interactive host asks about, item by item, before the checklist runs.
    /// </summary>
    public static IReadOnlyList<PreflightCheck> Unattested(PreflightRequest request)
    {
        var (_, items) = request.Validate();
        return [.. Checks.Where(c => items.Contains(c.Item) && Attestable(c, request) && !request.Attest.Contains(c.Item))];
    }

    private static async Task<PreflightResult> RunOneAsync(PreflightCheck check, PreflightContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        PreflightVerdict verdict;
        try
        {
            verdict = Attestable(check, context.Request) && context.Request.Attest.Contains(check.Item)
                ? new PreflightVerdict(PreflightStatus.Attested, $"Attested: {context.Request.Reason}")
                : Attestable(check, context.Request) && !check.AnsweredByPerson(context.Environment)
                    ? PreflightVerdict.Failed($"preflight.attest marks {check.Item} as answered by a person: check it, then attest it with -Attest {check.Item} -Reason '<what you checked>'.")
                    : await check.CheckAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployException e)
        {
            verdict = PreflightVerdict.Failed(e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or IOException)
        {
            // A system that answered nonsense, or not at all: the item fails, the others still answer.
            verdict = PreflightVerdict.Failed($"The system of record could not be read ({e.GetType().Name}: {e.Message}). Check that it runs and answers as configured, then run Test-SkPreflight again.");
        }

        context.Host.Verbose($"{check.Item}: {verdict.Status} ({clock.ElapsedMilliseconds} ms)");
        return new PreflightResult
        {
            Environment = context.Environment.Name,
            Version = context.Tag,
            Item = check.Item,
            Status = verdict.Status,
            Detail = verdict.Detail,
            Evidence = verdict.Evidence,
            Duration = clock.Elapsed,
        };
    }

    private static bool Attestable(PreflightCheck check, PreflightRequest request) =>
        check.AnsweredByPerson(request.Environment) || request.Environment.Preflight.Attest.Contains(check.Item.ToString(), StringComparer.OrdinalIgnoreCase);

    // -Attest only for items no system answers: a system's answer is fixed, not talked over.
    private static void RequireAttestable(PreflightRequest request, IReadOnlyList<PreflightCheck> checks)
    {
        var refused = request.Attest.Where(item => checks.FirstOrDefault(c => c.Item == item) is not { } check || !Attestable(check, request)).ToList();
        if (refused.Count > 0)
        {
            throw new DeployException(PreflightErrors.NotAttestable, DeployErrorCategory.InvalidArgument,
                $"{string.Join(", ", refused)} {(refused.Count == 1 ? "is" : "are")} answered by {(refused.Count == 1 ? "its" : "their")} system of record{(refused.Any(r => !request.Items?.Contains(r) ?? false) ? " (or not asked for with -Item)" : "")}, not by a person. " +
                $"Fix what the item reports instead; only {string.Join(", ", Checks.Where(c => Attestable(c, request)).Select(c => c.Item))} can be attested (preflight.attest adds more). Nothing was checked.",
                refused.Select(r => r.ToString()).ToList());
        }
    }

    // The attester's word, in the journal: who the cluster says they are, what they attested, and why.
    private static async Task RecordAttestationsAsync(
        ClusterConnection cluster, PreflightRequest request, string tag, IReadOnlyList<PreflightResult> results, OperationHost host, CancellationToken cancellationToken)
    {
        var environment = request.Environment;
        if (!environment.Kubernetes.Configured || host.DescribeOnly)
        {
            return;
        }

        var change = new ChangeRequest(environment, EnvironmentPolicy.Bookkeeping(environment, "Test-SkPreflight"), new RecordSubject(RecordKind.Preflight, tag, []));
        await EnvironmentChange.RunUnlockedAsync(cluster, change, host, _ => Task.FromResult(new PreflightRecord(results)), cancellationToken).ConfigureAwait(false);
    }

    // The checklist as its record keeps it: a step per item; attested items carry the reason.
    private sealed record PreflightRecord(IReadOnlyList<PreflightResult> Results) : IRecordedResult
    {
        public RecordOutcome ToRecordOutcome() => RecordOutcome.OfSteps([.. Results.Select(r => new RecordStep
        {
            Name = r.Item.ToString(),
            Status = r.Status.ToString(),
            Failed = !r.Ok,
            Duration = r.Duration,
            Detail = r.Detail,
        })]);
    }
}
