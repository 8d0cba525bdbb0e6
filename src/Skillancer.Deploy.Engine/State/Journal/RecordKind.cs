namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>What kind of action a deployment record describes.</summary>
public enum RecordKind
{
    /// <summary>Start-SkRollout: a version rolled out to services.</summary>
    Rollout,

    /// <summary>Undo-SkDeployment, or the rollbacks of Wait-SkRollout -UndoOnFailure.</summary>
    Rollback,

    /// <summary>A canary step: start, weight, promote or stop.</summary>
    Canary,

    /// <summary>Publish-SkFrontend.</summary>
    Frontend,

    /// <summary>Unlock-SkEnvironment: the lock overridden, broken by hand.</summary>
    Unlock,

    /// <summary>Approve-SkDeployment and Revoke-SkApproval: a version's approval given or taken back.</summary>
    Approval,

    /// <summary>Invoke-SkMigration, Set-SkMigrationState and Undo-SkMigration: the database's migrations.</summary>
    Database,

    /// <summary>Set-SkFeatureFlag.</summary>
    Flag,

    /// <summary>Clear-SkCdnCache.</summary>
    Cdn,

    /// <summary>Send-SkNotification: a deployment notice sent.</summary>
    Notice,

    /// <summary>Test-SkPreflight with an attestation: the checklist, and who attested what.</summary>
    Preflight,

    /// <summary>Invoke-SkDeployment: the runbook's whole procedure, step by step, with its rollback.</summary>
    Deploy,
}

/// <summary>Where a deployment record stands.</summary>
public enum RecordStatus
{
    /// <summary>The action is running (or its process died: the next holder of the lock marks it Abandoned).</summary>
    Running,

    /// <summary>Every step did what it was asked.</summary>
    Succeeded,

    /// <summary>A step failed, and nothing was undone.</summary>
    Failed,

    /// <summary>A step failed and the action undid its changes.</summary>
    RolledBack,

    /// <summary>Stopped before the end: Ctrl+C, declined, its lock lost, or its process died.</summary>
    Abandoned,
}
