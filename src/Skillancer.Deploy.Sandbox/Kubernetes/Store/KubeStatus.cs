using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Store;

/// <summary>Kubernetes Status objects, the body of every API error, so that kubectl prints "Error from server (NotFound)".</summary>
internal static class KubeStatus
{
    public static JsonObject Failure(int code, string reason, string message, ResourceType? type = null, string? name = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (type is not null)
        {
            status["details"] = new JsonObject
            {
                ["name"] = name,
                ["group"] = type.Group,
                ["kind"] = type.Plural,
            };
        }

        return status;
    }

    public static JsonObject Success(ResourceType type, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = uid },
    };

    public static JsonObject NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", type, name);

    public static JsonObject AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", type, name);

    public static JsonObject Conflict(ResourceType type, string name) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", type, name);

    public static JsonObject Invalid(ResourceType type, string name, string field, string problem)
    {
        var kind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var status = Failure(422, "Invalid", $"{kind} \"{name}\" is invalid: {field}: {problem}", type, name);
        status["details"]!["kind"] = type.Kind; // an Invalid names the kind, so that kubectl prints "The Deployment \"x\" is invalid"
        status["details"]!["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = problem, ["field"] = field });
        return status;
    }

    public static JsonObject Gone(string message) => Failure(410, "Expired", message);

    public static JsonObject PathNotFound() => Failure(404, "NotFound", "the server could not find the requested resource");

    public static JsonObject MethodNotAllowed(string method) => Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    /// <summary>A write to a type only the sandbox's controller writes: 405, as a real server answers a verb a resource does not support, saying why.</summary>
    public static JsonObject ReadOnly(ResourceType type, string? name, string method) =>
        Failure(405, "MethodNotAllowed",
            $"{type.Plural} are read-only in the Skillancer sandbox: its controllers create, change and delete them, so {method} is not allowed; " +
            "scale, roll out or roll back the deployment instead",
            type, name);

    public static JsonObject BadRequest(string message) => Failure(400, "BadRequest", message);

    public static JsonObject Unauthorized() => Failure(401, "Unauthorized", "Unauthorized");

    /// <summary>A patch in a format the resource does not take: custom resources have no strategic merge patch.</summary>
    public static JsonObject UnsupportedMediaType(ResourceType type) =>
        Failure(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: " + (type.IsCustom
            ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
            : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"));

    /// <summary>
    /// A JSON patch whose operation does not apply. A real server answers 422 Invalid with its generic message
    /// and no causes, so kubectl prints only "The request is invalid"; the sandbox keeps the code, reason and
    /// message and adds the library's reason, in the message and as a cause on the field "patch" (the field the
    /// API server names for other patch failures), which kubectl prints.
    /// </summary>
    public static JsonObject PatchNotApplied(string reason)
    {
        var status = Failure(422, "Invalid", $"the server rejected our request due to an error in our request: {reason}");
        status["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = reason, ["field"] = "patch" }),
        };
        return status;
    }
}

/// <summary>An API failure carrying its Status object.</summary>
internal sealed class KubeException(JsonObject status) : Exception(status["message"]?.GetValue<string>())
{
    public JsonObject Status { get; } = status;

    public int Code => Status["code"]?.GetValue<int>() ?? 500;
}
