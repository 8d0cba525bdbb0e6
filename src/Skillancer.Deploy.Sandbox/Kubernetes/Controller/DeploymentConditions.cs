using System.Globalization;
using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Controller;

/// <summary>The Available and Progressing conditions, with the reasons and messages the real controller uses.</summary>
internal static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
    public const string TimedOut = "ProgressDeadlineExceeded";
    public const string Paused = "DeploymentPaused";

    /// <summary>A condition's state: status ("True", "False", "Unknown"), reason and message.</summary>
    public sealed record State(string Status, string Reason, string Message);

    public static State Availability(bool minimumAvailable) => minimumAvailable
        ? new State("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        : new State("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");

    public static State Complete(string replicaSet) => new("True", NewReplicaSetAvailable, $"ReplicaSet \"{replicaSet}\" has successfully progressed.");

    public static State Created(string replicaSet) => new("True", "NewReplicaSetCreated", $"Created new replica set \"{replicaSet}\"");

    public static State Updated(string replicaSet) => new("True", "ReplicaSetUpdated", $"ReplicaSet \"{replicaSet}\" is progressing.");

    public static State Found(string replicaSet) => new("True", "FoundNewReplicaSet", $"Found new replica set \"{replicaSet}\"");

    public static State Deadline(string replicaSet) => new("False", TimedOut, $"ReplicaSet \"{replicaSet}\" has timed out progressing.");

    public static State PausedState { get; } = new("Unknown", Paused, "Deployment is paused");

    public static State Resumed { get; } = new("Unknown", "DeploymentResumed", "Deployment is resumed");

    public static JsonObject? Find(JsonObject deployment, string type) =>
        (deployment["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == type);

    public static DateTimeOffset? LastUpdate(JsonObject? condition) =>
        DateTimeOffset.TryParse(condition?["lastUpdateTime"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>
    /// The condition to store: lastUpdateTime moves when the state changes or <paramref name="touched"/>;
    /// lastTransitionTime only when the status does.
    /// </summary>
    public static JsonObject Merge(JsonObject? existing, string type, State state, bool touched, DateTimeOffset now)
    {
        var stamp = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var same = existing?["status"]?.ToString() == state.Status;
        var unchanged = same && existing?["reason"]?.ToString() == state.Reason && existing?["message"]?.ToString() == state.Message;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = state.Status,
            ["lastUpdateTime"] = unchanged && !touched ? existing!["lastUpdateTime"]?.DeepClone() : stamp,
            ["lastTransitionTime"] = same ? existing!["lastTransitionTime"]?.DeepClone() : stamp,
            ["reason"] = state.Reason,
            ["message"] = state.Message,
        };
    }
}
