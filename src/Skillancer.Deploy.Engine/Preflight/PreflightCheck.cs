namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>One item of the checklist: asks its system of record, and says what it saw.</summary>
public abstract class PreflightCheck
{
    /// <summary>The item this check answers.</summary>
    public abstract PreflightItem Item { get; }

    /// <summary>The item as the runbook's checklist words it ("On-call engineer available"), for the people who attest it.</summary>
    public abstract string Checklist { get; }

    /// <summary>
    /// True for an item no system answers here: it passes only when a person attests it (-Attest), and otherwise says, as
    /// its verdict, what to check and how to attest.
    /// </summary>
    public virtual bool AnsweredByPerson(Configuration.EnvironmentConfig environment) => false;

    /// <summary>Asks the system of record. A DeployException it throws becomes a Failed item with its message.</summary>
    public abstract Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken);
}

/// <summary>What a check saw: its status, what it saw (and on failure what to do), and its evidence.</summary>
public sealed record PreflightVerdict(PreflightStatus Status, string Detail, string? Evidence = null)
{
    /// <summary>The system of record says yes.</summary>
    public static PreflightVerdict Passed(string detail, string? evidence = null) => new(PreflightStatus.Passed, detail, evidence);

    /// <summary>It says no; <paramref name="detail"/> says what to do.</summary>
    public static PreflightVerdict Failed(string detail, string? evidence = null) => new(PreflightStatus.Failed, detail, evidence);

    /// <summary>The configuration does not say what to check; <paramref name="detail"/> names the key.</summary>
    public static PreflightVerdict NotConfigured(string detail) => new(PreflightStatus.NotConfigured, detail);
}
