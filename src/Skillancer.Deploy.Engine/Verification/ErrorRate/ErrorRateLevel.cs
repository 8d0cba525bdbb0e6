namespace Skillancer.Deploy.Engine.Verification.ErrorRate;

/// <summary>
/// Where an error rate stands against the runbook's thresholds. Unknown (no data, NaN, zero traffic,
/// Prometheus failing) is its own level and never counts as Ok; the others are ordered by severity.
/// </summary>
public enum ErrorRateLevel
{
    /// <summary>No rate could be read; the sample says why.</summary>
    Unknown,

    /// <summary>At or below the investigate threshold (1%).</summary>
    Ok,

    /// <summary>Above 1%: investigate.</summary>
    Investigate,

    /// <summary>Above 5%: consider rollback.</summary>
    ConsiderRollback,

    /// <summary>Above 10%: immediate rollback.</summary>
    ImmediateRollback,
}

/// <summary>How a watch ended.</summary>
public enum WatchVerdict
{
    /// <summary>The watch ran its full duration with readings and no failure.</summary>
    Passed,

    /// <summary>ImmediateRollback was confirmed (-FailureLimit), or a -StopAt level was reached.</summary>
    Failed,

    /// <summary>Too many samples in a row were Unknown (-InconclusiveLimit), or a target never gave a reading.</summary>
    Inconclusive,
}
