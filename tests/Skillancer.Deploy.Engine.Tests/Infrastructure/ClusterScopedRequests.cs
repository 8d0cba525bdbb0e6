namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>
/// Test classes that send, or count, requests outside any one test's namespace (<c>/api/v1/namespaces</c>)
/// share this collection, so they run one after the other: the sandbox's request log cannot tell whose a
/// cluster-scoped request was, and a namespace another test creates would otherwise show up in
/// ClusterPermissionsTests' count (it did, once, on CI's two cores).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterScopedRequests
{
    public const string Name = "Cluster-scoped requests";
}
