using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>Operation hosts for tests: one that records what it hears, answering every question the same way.</summary>
public sealed class RecordingHost
{
    public RecordingHost(Approval answer = Approval.Approved, string? declineAt = null)
    {
        Host = new OperationHost(Verbose.Add, Warnings.Add, _ => { }, (target, action) =>
        {
            Asked.Add(action);
            return declineAt is not null && action.StartsWith(declineAt, StringComparison.Ordinal) ? Approval.Declined : answer;
        });
    }

    public OperationHost Host { get; }

    public List<string> Verbose { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Asked { get; } = [];
}
