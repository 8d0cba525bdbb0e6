using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>
/// The web app's pages that the runbook's smoke checklist visits, under <c>/svc/{environment}/web/</c>:
/// the homepage, the signed-in user (<c>api/me</c>, with the test user's bearer token), the job listing,
/// proposal submission and the payment page. Each page follows the service behind it: a faulty version
/// answers 500 and a service with no ready pod 503, so a bad rollout fails its smoke tests.
/// </summary>
internal static class WebAppPages
{
    private static readonly string[] PaymentProviders = ["card", "paypal"];

    public static void Map(WebApplication app, ServiceTraffic traffic, string testUserToken)
    {
        var web = app.MapGroup("/svc/{environment}/web");
        web.MapGet("/", (string environment) => Serve(traffic, environment, "web",
            () => Results.Content("<!doctype html><html><head><title>Skillancer</title></head><body><h1>Skillancer</h1><p>Find work. Hire talent.</p></body></html>", "text/html")));
        web.MapGet("/api/me", (string environment, HttpRequest request) => Serve(traffic, environment, "auth-svc",
            () => request.Headers.Authorization == $"Bearer {testUserToken}"
                ? Results.Json(new { user = new { email = "smoke-test@skillancer.test", role = "freelancer" } })
                : Results.Json(new { error = "not signed in: send the test user's bearer token" }, statusCode: 401)));
        web.MapGet("/api/jobs", (string environment) => Serve(traffic, environment, "market-svc",
            () => Results.Json(new
            {
                total = 3,
                jobs = new[]
                {
                    new { id = 101, title = "Build a React dashboard", budget = 1200 },
                    new { id = 102, title = "Translate a product page", budget = 150 },
                    new { id = 103, title = "Tune a PostgreSQL query", budget = 400 },
                },
            })));
        web.MapPost("/api/proposals", (string environment, ProposalRequest proposal) => Serve(traffic, environment, "market-svc",
            () => proposal.JobId > 0 && !string.IsNullOrWhiteSpace(proposal.CoverLetter)
                ? Results.Json(new { status = "submitted", jobId = proposal.JobId }, statusCode: 201)
                : Results.Json(new { error = "jobId and coverLetter are required" }, statusCode: 400)));
        web.MapGet("/api/payments/checkout", (string environment) => Serve(traffic, environment, "skillpod-svc",
            () => Results.Json(new { status = "ready", providers = PaymentProviders })));
    }

    /// <summary>A proposal for a job.</summary>
    internal sealed record ProposalRequest(int JobId, string? CoverLetter);

    // The page answers only if the web app and the service behind it both serve well.
    private static IResult Serve(ServiceTraffic traffic, string environment, string backend, Func<IResult> page)
    {
        foreach (var service in new[] { "web", backend }.Distinct())
        {
            switch (traffic.Behaviour(environment, service))
            {
                case null:
                    return Results.Json(new { error = $"there is no environment '{environment}'" }, statusCode: 404);
                case ImageBehaviour.Broken:
                    return Results.Json(new { error = $"{service} has no ready pods" }, statusCode: 503);
                case ImageBehaviour.Faulty:
                    return Results.Json(new { error = $"{service} failed the request" }, statusCode: 500);
            }
        }

        return page();
    }
}
