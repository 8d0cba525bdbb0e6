namespace Skillancer.Deploy.Engine.Schedule;

/// <summary>The error ids of the deployment schedule (Test-SkDeploymentWindow), one per failure a user can act on.</summary>
public static class ScheduleErrors
{
    /// <summary>-Emergency was given without a -Reason.</summary>
    public const string EmergencyReasonRequired = "EmergencyReasonRequired";
}
