using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>Writes API answers: JSON bodies as application/json, failures as Status objects with their code.</summary>
internal static class KubeResponse
{
    // Quotes as \" like Go's encoder, not \u0022: clients and people read the messages inside.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode body) => body.ToJsonString(Options);

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Serialize(body), context.RequestAborted);
    }

    public static Task FailAsync(HttpContext context, JsonObject status) =>
        WriteAsync(context, (int)StoredObject.Long(status["code"], 500), status);
}
