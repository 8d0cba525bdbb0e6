using Skillancer.Deploy.Engine.Notifications;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "Stakeholders notified": the environment's journal holds a notice about this version, sent within
/// preflight.noticeWithin (24h). With -Notify the runbook's "Deployment Started" notice is sent now, and journaled.
/// </summary>
public sealed class StakeholdersNotifiedCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.StakeholdersNotified;

    /// <inheritdoc/>
    public override string Checklist => "Stakeholders notified";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (!environment.Kubernetes.Configured)
        {
            return PreflightVerdict.NotConfigured($"{environment.Name} has no kubernetes section, so no journal keeps the notices sent.");
        }

        if (context.Request.Notify)
        {
            var notice = await NoticeBuilder.BuildAsync(
                new NoticeRequest(NoticeKind.Started) { Version = context.Tag, Environment = environment.Name, Services = [.. environment.Services.Select(s => s.Name)] },
                context.Host, cancellationToken).ConfigureAwait(false);
            var delivery = NotificationDelivery.For(notice, environment.Name, name => context.Request.Config.Environment(name), null);
            var sent = await NotificationDelivery.SendAllAsync([delivery], "Test-SkPreflight -Notify", context.Host, cancellationToken, (environment, context.Cluster)).ConfigureAwait(false);
            return sent.Count == 1
                ? PreflightVerdict.Passed($"\"{notice.Title}\" was sent now (HTTP {sent[0].StatusCode}).", sent[0].Destination)
                : context.Host.DescribeOnly
                    ? new PreflightVerdict(PreflightStatus.Skipped, $"-WhatIf: \"{notice.Title}\" would be sent now; nothing was sent.")
                    : PreflightVerdict.Failed("The \"Deployment Started\" notice was not sent (declined). Send it, or leave out -Notify once one is sent.");
        }

        var window = environment.Preflight.NoticeWithin;
        var since = DateTimeOffset.UtcNow - window;
        var notices = await DeploymentJournal.FindAsync(context.Cluster, environment,
            new JournalQuery { Kinds = [RecordKind.Notice], Version = context.Tag, Since = since }, cancellationToken).ConfigureAwait(false);
        var sentOne = notices.FirstOrDefault(n => n.Status == RecordStatus.Succeeded);
        return sentOne is not null
            ? PreflightVerdict.Passed($"A notice about {context.Tag} was sent at {sentOne.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {sentOne.Who.UserName} ({string.Join(", ", sentOne.Steps.Select(s => s.Detail))}).", $"record {sentOne.Id}")
            : PreflightVerdict.Failed(
                $"No notice about {context.Tag} in {environment.Name} was sent in the last {Durations(window)} (preflight.noticeWithin). " +
                $"Send one (New-SkDeploymentNotice -Kind Started -Version {context.Tag} -Environment {environment.Name} | Send-SkNotification), or run Test-SkPreflight with -Notify.");
    }

    private static string Durations(TimeSpan span) => Primitives.DurationParser.Format(span);
}
