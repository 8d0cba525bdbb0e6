namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>Which part of an object a write may change, as the API server splits the main resource from /status.</summary>
internal enum WriteScope
{
    /// <summary>The main resource: status is kept as stored, for types that have a status subresource.</summary>
    Object,

    /// <summary>The /status subresource: spec is kept as stored.</summary>
    Status,

    /// <summary>Everything: the controller's own writes.</summary>
    All,
}
