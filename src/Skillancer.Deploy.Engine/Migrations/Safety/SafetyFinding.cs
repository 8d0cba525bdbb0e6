namespace Skillancer.Deploy.Engine.Migrations.Safety;

/// <summary>How serious a finding is: an Error blocks a production deploy unless acknowledged.</summary>
public enum RiskSeverity
{
    /// <summary>Worth a look: locks, scans or scheduling.</summary>
    Warning,
    /// <summary>Destructive or not backward compatible.</summary>
    Error,
}

/// <summary>One problem the Migration Safety Checklist finds in a statement.</summary>
public sealed record SafetyFinding(
    string Rule,
    RiskSeverity Severity,
    string File,
    int Line,
    int Column,
    string Statement,
    string Message,
    string Fix);
