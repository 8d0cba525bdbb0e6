using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification;

/// <summary>One health endpoint to check.</summary>
/// <param name="Environment">The environment the service runs in.</param>
/// <param name="Service">The service's name.</param>
/// <param name="DisplayName">The name people use, e.g. API Gateway.</param>
/// <param name="Url">The health endpoint.</param>
/// <param name="Token">A bearer token to send, if the endpoint needs one.</param>
public sealed record HealthTarget(string Environment, string Service, string DisplayName, Uri Url, Secret? Token = null);
