using System.Text;
using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Api;

/// <summary>
/// A Secret as the API server stores it: <c>data</c> holds base64, <c>stringData</c> is write-only and merged
/// into <c>data</c> (its keys win), and <c>type</c> defaults to Opaque.
/// </summary>
internal static class SecretData
{
    public static void Store(JsonObject secret)
    {
        var data = secret["data"] as JsonObject;
        foreach (var (key, value) in data?.ToList() ?? [])
        {
            var text = value?.GetValue<string>() ?? "";
            Span<byte> buffer = new byte[text.Length];
            if (!Convert.TryFromBase64String(text, buffer, out _))
            {
                throw new KubeException(KubeStatus.BadRequest(
                    $"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data.{key}"));
            }
        }

        if (secret["stringData"] is JsonObject stringData)
        {
            data ??= (JsonObject)(secret["data"] = new JsonObject());
            foreach (var (key, value) in stringData.ToList())
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
            }

            secret.Remove("stringData");
        }

        secret["type"] ??= "Opaque";
    }
}
