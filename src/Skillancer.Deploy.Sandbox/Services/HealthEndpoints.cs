namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The services' health endpoints (<c>/svc/{environment}/{service}/health</c>, and <c>/api/health</c>
/// for the web app), their Prometheus counters (<c>/metrics</c>, and <c>/svc/{environment}/metrics</c> for
/// one environment), and the control API that tests and the demo use to make a service misbehave
/// regardless of what it runs.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app, ServiceFleet fleet, ServiceTraffic traffic)
    {
        app.MapGet("/svc/{environment}/{service}/{**path}", async (string environment, string service, string path, CancellationToken token) =>
        {
            if (path is not ("health" or "api/health"))
            {
                return Results.NotFound();
            }

            if (fleet.NextAnswer(environment, service) is { } set)
            {
                var (status, delay) = set;
                if (delay > 0)
                {
                    await Task.Delay(delay, token);
                }

                return Results.Json(new { service, environment, status = Describe(status) }, statusCode: status);
            }

            var answer = traffic.Health(environment, service) ?? new HealthAnswer(200, null, null);
            return Results.Json(new { service, environment, status = Describe(answer.StatusCode), version = answer.Version, reason = answer.Reason }, statusCode: answer.StatusCode);
        });

        app.MapGet("/metrics", () => Results.Text(traffic.Metrics(null), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/svc/{environment}/metrics", (string environment) => Results.Text(traffic.Metrics(environment), "text/plain; version=0.0.4; charset=utf-8"));

        app.MapPut("/sandbox/health/{environment}/{service}", (string environment, string service, HealthBehaviour behaviour) =>
        {
            fleet.Set(environment, service, behaviour);
            return Results.NoContent();
        });

        app.MapDelete("/sandbox/health", () =>
        {
            fleet.Reset();
            return Results.NoContent();
        });
    }

    private static string Describe(int status) => status < 400 ? "healthy" : "unhealthy";
}
