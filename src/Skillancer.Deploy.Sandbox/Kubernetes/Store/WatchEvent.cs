using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>One change in the store: ADDED, MODIFIED or DELETED, with the object as it was then.</summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, ResourceType Resource, string? Namespace, JsonObject Object);
