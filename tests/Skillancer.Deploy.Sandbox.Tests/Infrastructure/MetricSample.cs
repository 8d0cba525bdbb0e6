namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>One line of Prometheus' text format: the metric's name, its labels, its value, and the value as written.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, string Written);
