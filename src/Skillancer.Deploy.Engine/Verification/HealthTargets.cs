using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Verification;

/// <summary>Turns configured services into health endpoints to check.</summary>
public static class HealthTargets
{
    /// <summary>The error id for a service that has no health endpoint configured.</summary>
    public const string NotConfigured = "HealthEndpointNotConfigured";

    /// <summary>
    /// The health target of one service. Fails with <c>HealthEndpointNotConfigured</c> when the
    /// service has no <c>health</c> URL, and <c>SecretNotSet</c> when its token variable is empty.
    /// </summary>
    public static HealthTarget For(ServiceConfig service)
    {
        if (service.Health is null)
        {
            throw new DeployException(NotConfigured, DeployErrorCategory.ObjectNotFound,
                $"Service '{service.Name}' in environment '{service.Environment}' has no health endpoint. " +
                $"Add 'health: <url>' to the service in the configuration, or leave the service out of the check.",
                service.Name);
        }

        var token = service.HealthTokenEnv is null
            ? null
            : SecretSource.FromEnvironment(service.HealthTokenEnv, $"environments.{service.Environment}.services[{service.Name}].healthTokenEnv");
        return new HealthTarget(service.Environment, service.Name, service.DisplayName, service.Health, token);
    }
}
