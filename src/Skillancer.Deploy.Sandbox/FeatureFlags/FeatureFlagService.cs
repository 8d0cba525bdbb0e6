using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.FeatureFlags;

/// <summary>
/// The internal feature-flag API of the runbook, per environment (or a test's namespace) at
/// <c>/svc/{environment}/internal/feature-flags</c>: POST with the runbook's body
/// (<c>{"flag": ..., "enabled": ...}</c> or <c>{"flag": ..., "rollout_percentage": ...}</c>), GET of the
/// list and of one flag, bearer authentication against the admin token the sandbox prints. Each
/// environment starts with the same known flags; an unknown flag is 404.
/// </summary>
internal sealed class FeatureFlagService(string adminToken)
{
    private static readonly (string Name, bool Enabled, int Percentage)[] Seed =
    [
        ("new_dashboard", false, 0),
        ("problematic_feature", true, 100),
        ("proposal_drafts", true, 50),
    ];

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonObject>> _environments = new(StringComparer.Ordinal);

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/svc/{environment}/internal/feature-flags");
        api.MapGet("/", (string environment, HttpRequest request) => Authorized(request)
            ?? Results.Json(new { flags = Flags(environment).Values.OrderBy(f => f["flag"]!.GetValue<string>(), StringComparer.Ordinal).ToArray() }));
        api.MapGet("/{flag}", (string environment, string flag, HttpRequest request) => Authorized(request)
            ?? (Flags(environment).TryGetValue(flag, out var state) ? Results.Json(state) : Unknown(flag)));
        api.MapPost("/", async (string environment, HttpRequest request) =>
        {
            if (Authorized(request) is { } refused)
            {
                return refused;
            }

            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            var name = body?["flag"]?.GetValue<string>();
            var enabled = body?["enabled"]?.GetValue<bool>();
            var percentage = body?["rollout_percentage"]?.GetValue<int>();
            if (name is null || (enabled is null && percentage is null) || percentage is < 0 or > 100)
            {
                return Results.Json(new { error = "send {\"flag\": name, \"enabled\": true|false} or {\"flag\": name, \"rollout_percentage\": 0-100}" }, statusCode: 400);
            }

            if (!Flags(environment).TryGetValue(name, out var state))
            {
                return Unknown(name);
            }

            lock (state)
            {
                // "Enable for percentage of users": a percentage alone turns the flag on (or off at 0).
                state["enabled"] = enabled ?? percentage > 0;
                if (percentage is { } share) state["rollout_percentage"] = share;
                state["updated_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                return Results.Json(state.DeepClone());
            }
        });
    }

    private ConcurrentDictionary<string, JsonObject> Flags(string environment) =>
        _environments.GetOrAdd(environment, _ => new ConcurrentDictionary<string, JsonObject>(Seed.ToDictionary(
            s => s.Name,
            s => new JsonObject { ["flag"] = s.Name, ["enabled"] = s.Enabled, ["rollout_percentage"] = s.Percentage, ["updated_at"] = "2026-11-01T00:00:00.0000000+00:00" })));

    private IResult? Authorized(HttpRequest request) =>
        request.Headers.Authorization == $"Bearer {adminToken}"
            ? null
            : Results.Json(new { error = "unauthorized: send the admin token as a bearer token" }, statusCode: 401);

    private static IResult Unknown(string flag) => Results.Json(new { error = $"unknown flag '{flag}'" }, statusCode: 404);
}
