namespace Skillancer.Deploy.Engine.Preflight;

/// <summary>The items of the runbook's pre-deployment checklist, and what would break the deployment anyway.</summary>
public enum PreflightItem
{
    /// <summary>"All tests passing in CI": every required check on the release commit concluded success (GitHub's check runs and statuses).</summary>
    CiPassing,

    /// <summary>"Database migrations tested on staging": every migration pending here is applied, unchanged, where the version comes from (promotesFrom).</summary>
    MigrationsTested,

    /// <summary>"Feature flags configured correctly": the flag API agrees with featureFlags.expected.</summary>
    FeatureFlags,

    /// <summary>"Monitoring alerts configured": Prometheus holds the alerting rules, and none fires.</summary>
    Alerts,

    /// <summary>"Rollback plan documented": rollback scripts, a previous revision for every service, the CDN for a frontend change.</summary>
    RollbackPlan,

    /// <summary>"Stakeholders notified": the journal holds a notice about this version, recently sent.</summary>
    StakeholdersNotified,

    /// <summary>"Deployment window confirmed": the schedule, or the emergency rules.</summary>
    DeploymentWindow,

    /// <summary>"On-call engineer available": attested by a person while no on-call provider is asked.</summary>
    OnCall,

    /// <summary>Every image exists in the registry, for every service (the OCI distribution API).</summary>
    Images,

    /// <summary>The cluster allows what the deployment will do (SelfSubjectAccessReview per permission).</summary>
    ClusterAccess,

    /// <summary>A healthy starting point: services healthy, error rate low, no failed migration, no lock held, no canary half-way.</summary>
    StartingPoint,
}

/// <summary>How one item ended.</summary>
public enum PreflightStatus
{
    /// <summary>The system of record says yes.</summary>
    Passed,

    /// <summary>It says no, or could not be asked: the detail says what to do.</summary>
    Failed,

    /// <summary>Yes, with something that deserves a second look (an alert firing).</summary>
    Warning,

    /// <summary>No system answers it; a named person attested it, and the journal keeps their word.</summary>
    Attested,

    /// <summary>The configuration does not say what to check (a section missing).</summary>
    NotConfigured,

    /// <summary>Not asked for (-Item), or nothing to check here.</summary>
    Skipped,
}
