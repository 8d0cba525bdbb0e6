using System.Collections.Concurrent;
using System.Globalization;

namespace Skillancer.Deploy.Sandbox.OnCall;

/// <summary>
/// PagerDuty's REST API v2 as far as the checklist asks it: <c>GET /pagerduty/oncalls?schedule_ids[]=...&amp;since=...&amp;until=...</c>
/// with <c>Authorization: Token token=...</c>, answering the on-call shifts that overlap the period, as PagerDuty does
/// (paginated with limit, offset and more). A schedule starts with Dana Whitfield on call from a day ago for 30 days;
/// <c>PUT /sandbox/pagerduty/schedules/{id}</c> replaces its shifts (a JSON array of user, start, end), so a test can
/// leave nobody on call, or a gap.
/// </summary>
internal sealed class PagerDutyApi(string token)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<Shift>> _schedules = new(StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        app.MapGet("/pagerduty/oncalls", (HttpRequest request) =>
        {
            if (request.Headers.Authorization.ToString() != $"Token token={token}")
            {
                return Results.Json(new { error = new { message = "Authentication failed", code = 2006 } }, statusCode: 401);
            }

            var ids = request.Query["schedule_ids[]"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
            var since = Time(request.Query["since"]) ?? DateTimeOffset.UtcNow;
            var until = Time(request.Query["until"]) ?? since;
            var oncalls = ids
                .SelectMany(id => Shifts(id).Where(s => (s.Start ?? DateTimeOffset.MinValue) < until && (s.End ?? DateTimeOffset.MaxValue) > since).Select(s => (Id: id, Shift: s)))
                .Select(o => new
                {
                    user = new { id = "P" + Math.Abs(o.Shift.User.GetHashCode(StringComparison.Ordinal) % 100000).ToString(CultureInfo.InvariantCulture), summary = o.Shift.User, type = "user_reference" },
                    schedule = new { id = o.Id, type = "schedule_reference" },
                    escalation_level = 1,
                    start = o.Shift.Start?.ToString("O", CultureInfo.InvariantCulture),
                    end = o.Shift.End?.ToString("O", CultureInfo.InvariantCulture),
                })
                .ToList();
            return Results.Json(new { oncalls, limit = 100, offset = 0, more = false, total = (int?)null });
        });
        app.MapPut("/sandbox/pagerduty/schedules/{id}", (string id, Shift[] shifts) =>
        {
            _schedules[id] = shifts;
            return Results.NoContent();
        });
    }

    private IReadOnlyList<Shift> Shifts(string id) =>
        _schedules.GetOrAdd(id, _ => [new Shift("Dana Whitfield", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30))]);

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>One shift: who, from, until (null: open-ended).</summary>
    internal sealed record Shift(string User, DateTimeOffset? Start, DateTimeOffset? End);
}
