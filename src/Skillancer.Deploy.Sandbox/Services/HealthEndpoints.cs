namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The services' health endpoints (<c>/svc/{environment}/{service}/health</c>, and <c>/api/health</c>
/// for the web app) and the control API that tests and the demo use to make them misbehave.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app, ServiceFleet fleet)
    {
        app.MapGet("/svc/{environment}/{service}/{**path}", async (string environment, string service, string path, CancellationToken token) =>
        {
            if (path is not ("health" or "api/health"))
            {
                return Results.NotFound();
            }

            var (status, delay) = fleet.NextAnswer(environment, service);
            if (delay > 0)
            {
                await Task.Delay(delay, token);
            }

            return Results.Json(new { service, environment, status = status < 400 ? "healthy" : "unhealthy" }, statusCode: status);
        });

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
}
