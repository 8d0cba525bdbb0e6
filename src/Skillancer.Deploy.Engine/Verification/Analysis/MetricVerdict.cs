namespace Skillancer.Deploy.Engine.Verification.Analysis;

/// <summary>How a metric after a deployment compares with its baseline.</summary>
public enum MetricVerdict
{
    /// <summary>No practical change, or a change the Mann-Whitney U test does not call significant.</summary>
    Normal,

    /// <summary>Worse by more than the metric's practical margin, and significantly so (p &lt; 0.05, two-sided).</summary>
    Regressed,

    /// <summary>Better by more than the metric's practical margin, and significantly so.</summary>
    Improved,

    /// <summary>Too few samples in one of the windows to compare (the reason says why). Never a pass.</summary>
    NoData,
}

/// <summary>What the "before" side of a comparison is.</summary>
public enum ComparisonBaseline
{
    /// <summary>The same length of time just before the deployment.</summary>
    PreviousWindow,

    /// <summary>The deployment's own window, one week earlier.</summary>
    LastWeek,
}

/// <summary>The metrics Compare-SkDeploymentMetric reads for each service.</summary>
public enum ComparedMetric
{
    /// <summary>Errors over requests (prometheus.serviceErrorRateQuery): a fraction; its change is in percentage points.</summary>
    ErrorRatio,

    /// <summary>Requests per second.</summary>
    RequestRate,

    /// <summary>The median latency in seconds, from the latency histogram.</summary>
    P50,

    /// <summary>The 95th percentile latency in seconds.</summary>
    P95,

    /// <summary>The 99th percentile latency in seconds.</summary>
    P99,

    /// <summary>CPU in cores (cAdvisor's container_cpu_usage_seconds_total).</summary>
    Cpu,

    /// <summary>Memory in bytes (cAdvisor's container_memory_working_set_bytes).</summary>
    Memory,
}
