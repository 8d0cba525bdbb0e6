using Skillancer.Deploy.Sandbox.Scenario;

namespace Skillancer.Deploy.Sandbox.Services;

/// <summary>The requests per second one ReplicaSet's ready pods of a track serve, and how their image behaves.</summary>
internal readonly record struct GroupLoad(double RequestsPerSecond, ImageBehaviour Behaviour);
