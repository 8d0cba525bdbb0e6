using System.Text.Json;
using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The admin API of the services' traffic: <c>PUT /sandbox/traffic/{namespace}</c> with
/// <c>{"requestsPerPodPerSecond": 200}</c> sets how many requests each ready pod of a namespace serves
/// per second, so a test can feed its canary enough requests in seconds, or starve it.
/// </summary>
internal static class TrafficEndpoints
{
    /// <summary>The body's one key.</summary>
    public const string RateKey = "requestsPerPodPerSecond";

    /// <summary>Maps the endpoint onto <paramref name="app"/>, setting rates of <paramref name="traffic"/>.</summary>
    public static void Map(WebApplication app, ServiceTraffic traffic)
    {
        app.MapPut("/sandbox/traffic/{ns}", async (string ns, HttpRequest request) =>
        {
            if (await ReadRateAsync(request) is not { } rate)
            {
                return Results.Json(new { error = $"the body must be a JSON object with '{RateKey}': a number of requests, 0 or more" }, statusCode: 400);
            }

            return traffic.SetRate(ns, rate)
                ? Results.Json(new Dictionary<string, object> { ["namespace"] = ns, [RateKey] = rate })
                : Results.Json(new { error = $"the sandbox serves no environment's services in namespace '{ns}'" }, statusCode: 404);
        });
    }

    // The rate the body asks for; null when the body is not JSON, or the rate not a finite number of 0 or more.
    private static async Task<double?> ReadRateAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) is JsonObject body
                && body[RateKey] is JsonValue value
                && value.GetValueKind() == JsonValueKind.Number
                && value.GetValue<double>() is var rate
                && double.IsFinite(rate) && rate >= 0
                ? rate
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
