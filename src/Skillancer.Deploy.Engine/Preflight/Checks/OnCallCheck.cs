using System.Globalization;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// "On-call engineer available": PagerDuty's <c>GET /oncalls</c> for the configured schedule says someone is on call now
/// and until the end of the monitoring period. Without an onCall section, a person attests it (-Attest OnCall -Reason).
/// </summary>
public sealed class OnCallCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.OnCall;

    /// <inheritdoc/>
    public override string Checklist => "On-call engineer available";

    /// <inheritdoc/>
    public override bool AnsweredByPerson(EnvironmentConfig environment) => environment.OnCall is null;

    /// <summary>PagerDuty's answer; or, with no provider configured, what an unattested item says: whom to ask, and how to attest.</summary>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var monitoring = environment.Monitor.Duration;
        if (environment.OnCall is not { } settings)
        {
            return PreflightVerdict.Failed(
                $"No system answers whether an on-call engineer is available for {environment.Name} now and through the monitoring period " +
                $"({DurationParser.Format(monitoring)}). Check the on-call schedule, then attest it: -Attest OnCall -Reason '<who is on call>', or configure onCall (PagerDuty).");
        }

        var now = DateTimeOffset.UtcNow;
        var until = now + monitoring;
        var shifts = await ReadShiftsAsync(settings, now, until, cancellationToken).ConfigureAwait(false);
        // Walk the period from now: each moment until the end of the monitoring must be inside some shift.
        var covered = now;
        while (covered < until)
        {
            var next = shifts.Where(s => s.Start <= covered && s.End > covered).Select(s => s.End).DefaultIfEmpty(covered).Max();
            if (next <= covered)
            {
                break;
            }

            covered = next;
        }

        var who = string.Join(", ", shifts.Where(s => s.Start <= now && s.End > now).Select(s => s.User).Distinct());
        return covered >= until
            ? PreflightVerdict.Passed($"{who} {(who.Contains(',', StringComparison.Ordinal) ? "are" : "is")} on call for schedule {settings.ScheduleId}, through the monitoring period ({DurationParser.Format(monitoring)}).", who)
            : PreflightVerdict.Failed(
                who.Length == 0
                    ? $"Nobody is on call now for schedule {settings.ScheduleId}. Find the on-call engineer (or the lead) before deploying; PagerDuty's schedule must cover the deployment."
                    : $"{who} is on call for schedule {settings.ScheduleId} only until {covered.UtcDateTime:yyyy-MM-dd HH:mm} UTC, before the monitoring period ends at {until.UtcDateTime:HH:mm} UTC. Deploy earlier, or make sure the next shift is covered.",
                settings.ScheduleId);
    }

    private static async Task<IReadOnlyList<(string User, DateTimeOffset Start, DateTimeOffset End)>> ReadShiftsAsync(
        OnCallSettings settings, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var token = SecretSource.FromEnvironment(settings.TokenEnv, "onCall.tokenEnv");
        using var client = HttpClients.Create(TimeSpan.FromSeconds(10), skipCertificateCheck: false);
        var shifts = new List<(string, DateTimeOffset, DateTimeOffset)>();
        for (var offset = 0; ; offset += 100)
        {
            var url = new Uri(settings.Url, $"oncalls?schedule_ids[]={Uri.EscapeDataString(settings.ScheduleId)}&since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}" +
                $"&until={Uri.EscapeDataString(until.ToString("O", CultureInfo.InvariantCulture))}&limit=100&offset={offset}");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Authorization", $"Token token={token.Reveal()}");
            request.Headers.TryAddWithoutValidation("Accept", "application/vnd.pagerduty+json;version=2");
            JsonNode? page;
            try
            {
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new DeployException("OnCallProviderRefused", DeployErrorCategory.PermissionDenied,
                        $"PagerDuty at {settings.Url.Authority} answered HTTP {(int)response.StatusCode} for schedule {settings.ScheduleId}. Check onCall.tokenEnv (${settings.TokenEnv}) and onCall.scheduleId.", settings.ScheduleId);
                }

                page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (HttpRequestException e)
            {
                throw new DeployException("OnCallProviderUnavailable", DeployErrorCategory.ConnectionError,
                    $"PagerDuty at {settings.Url.Authority} did not answer ({e.Message}). Check onCall.url, or attest the on-call engineer by leaving onCall out.", settings.ScheduleId, e);
            }

            foreach (var oncall in page?["oncalls"]?.AsArray() ?? [])
            {
                shifts.Add((
                    oncall?["user"]?["summary"]?.GetValue<string>() ?? "someone",
                    Time(oncall?["start"]) ?? DateTimeOffset.MinValue,
                    Time(oncall?["end"]) ?? DateTimeOffset.MaxValue));
            }

            if (page?["more"]?.GetValue<bool>() != true)
            {
                return shifts;
            }
        }
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
