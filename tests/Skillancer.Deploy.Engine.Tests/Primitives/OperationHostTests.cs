using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Primitives;

/// <summary>A procedure's host shows its steps' progress bars as children of its own.</summary>
public class OperationHostTests
{
    [Fact]
    public void Within_makes_every_other_activity_a_child_and_leaves_the_parent_and_explicit_parents_alone()
    {
        var shown = new List<ProgressUpdate>();
        var host = new OperationHost(_ => { }, _ => { }, shown.Add).Within("Invoke-SkDeployment");

        host.Progress(new ProgressUpdate("Invoke-SkDeployment", "Rollout (4 of 9)", 33));
        host.Progress(new ProgressUpdate("Rolling out web (staging)", "2 of 3 updated"));
        host.Progress(new ProgressUpdate("Watching", "sample 3", ParentActivity: "Elsewhere"));

        Assert.Equal([null, "Invoke-SkDeployment", "Elsewhere"], shown.Select(u => u.ParentActivity));
    }
}
