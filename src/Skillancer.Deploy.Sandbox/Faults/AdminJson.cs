using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillancer.Deploy.Sandbox.Faults;

/// <summary>The admin API's JSON: camelCase, nulls left out.</summary>
internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
