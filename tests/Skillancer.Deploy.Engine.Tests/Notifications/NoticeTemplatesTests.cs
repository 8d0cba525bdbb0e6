using Skillancer.Deploy.Engine.Notifications;

namespace Skillancer.Deploy.Engine.Tests.Notifications;

/// <summary>The notices read as the runbook's templates, line for line.</summary>
public class NoticeTemplatesTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 1, 15, 4, 59, TimeSpan.FromHours(1));

    [Fact]
    public void The_rollback_notice_is_the_runbooks_Rollback_Communication()
    {
        var notice = NoticeTemplates.Rollback("api-gateway", "v1.2.3", "v1.2.2", "Error rate above 10%", Time);

        Assert.Equal("""
            🔄 **Deployment Rollback**

            **Service**: api-gateway
            **From Version**: v1.2.3
            **To Version**: v1.2.2
            **Reason**: Error rate above 10%
            **Time**: 2026-12-01 14:04 UTC

            Investigating root cause. Updates to follow.
            """.ReplaceLineEndings("\n"), notice.Text);
        Assert.Equal("🔄 Deployment Rollback", notice.Title);
        Assert.Equal(["Service", "From Version", "To Version", "Reason", "Time"], notice.Fields.Keys);
    }

    [Fact]
    public void The_complete_notice_is_the_runbooks_Deployment_Complete_message()
    {
        var status = NoticeTemplates.HealthStatus([("api-gateway", true), ("web", true)]);
        var notice = NoticeTemplates.Complete("v1.2.3", Time, NoticeTemplates.Services([], 5), status, ["Feature A implemented", "Bug B fixed"]);

        Assert.Equal("""
            ✅ **Deployment Complete**

            **Version**: v1.2.3
            **Time**: 2026-12-01 14:04 UTC
            **Services**: All services updated
            **Status**: All health checks passing

            Key changes:
            - Feature A implemented
            - Bug B fixed

            No user action required.
            """.ReplaceLineEndings("\n"), notice.Text);
    }

    [Fact]
    public void The_status_says_which_health_checks_fail()
    {
        Assert.Equal("1 of 3 health checks passing (auth-svc, web failing)",
            NoticeTemplates.HealthStatus([("api-gateway", true), ("auth-svc", false), ("web", false)]));
        Assert.Equal("Health checks not run", NoticeTemplates.HealthStatus([]));
        Assert.Equal("web, auth-svc", NoticeTemplates.Services(["web", "auth-svc"], 5));
    }

    [Fact]
    public void Slack_gets_single_asterisks_for_bold() =>
        Assert.Equal("🔄 *Deployment Rollback*\n*Service*: web", WebhookSender.SlackText("🔄 **Deployment Rollback**\n**Service**: web"));
}
