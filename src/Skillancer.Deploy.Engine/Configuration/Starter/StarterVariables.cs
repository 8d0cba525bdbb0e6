namespace Skillancer.Deploy.Engine.Configuration.Starter;

/// <summary>
/// The environment variables an environment's <c>*Env</c> keys name. Production uses the runbook's own
/// names ($DATABASE_URL, $ADMIN_TOKEN); every other environment prefixes them with its name
/// (STAGING_DATABASE_URL), so one shell can hold both. The webhook is shared.
/// </summary>
internal sealed record StarterVariables(string ConnectionString, string AdminToken, string SmokeAuthorization, string HealthToken, string WebhookUrl)
{
    public static StarterVariables For(string environment, bool production)
    {
        var prefix = production ? string.Empty : new string(environment.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()) + "_";
        return new StarterVariables($"{prefix}DATABASE_URL", $"{prefix}ADMIN_TOKEN", $"{prefix}SMOKE_AUTHORIZATION", $"{prefix}HEALTH_TOKEN", "SLACK_WEBHOOK_URL");
    }
}
