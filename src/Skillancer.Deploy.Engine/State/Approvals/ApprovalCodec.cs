using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Skillancer.Deploy.Engine.State.Journal;
using Skillancer.Deploy.Engine.State.Lock;

namespace Skillancer.Deploy.Engine.State.Approvals;

/// <summary>
/// How a <see cref="DeploymentApproval"/> is kept: a Secret of type <c>skillancer.com/approval</c>, labelled like the
/// journal's records (managed-by, component, environment, version), the approval as JSON in <c>data.approval.json</c>.
/// A Secret and not a ConfigMap because RBAC then separates the two: deployers write the journal's ConfigMaps and only
/// read Secrets; only approvers create Secrets.
/// </summary>
public static class ApprovalCodec
{
    /// <summary>The Secret type of an approval.</summary>
    public const string SecretType = "skillancer.com/approval";

    /// <summary>The component label's value on an approval.</summary>
    public const string ApprovalComponent = "approval";

    private const string Key = "approval.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The Secret's name for an approval of <paramref name="environment"/>.</summary>
    public static string ObjectName(string environment, string id) => $"skdeploy-approval-{environment.ToLowerInvariant()}-{id}";

    /// <summary>The label selector of every approval of <paramref name="environment"/>.</summary>
    public static string Selector(string environment) =>
        $"app.kubernetes.io/managed-by={EnvironmentLock.ManagedBy},{RecordCodec.ComponentLabel}={ApprovalComponent},{RecordCodec.EnvironmentLabel}={environment}";

    /// <summary>The Secret that keeps <paramref name="approval"/> in namespace <paramref name="ns"/>.</summary>
    public static V1Secret ToSecret(DeploymentApproval approval, string ns)
    {
        var secret = NewSecret(approval, ns);
        if (approval.Version.Length <= 63)
        {
            secret.Metadata.Labels[RecordCodec.VersionLabel] = approval.Version;
        }

        return secret;
    }

    private static V1Secret NewSecret(DeploymentApproval approval, string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = SecretType,
        Metadata = new V1ObjectMeta
        {
            Name = ObjectName(approval.Environment, approval.Id),
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = EnvironmentLock.ManagedBy,
                [RecordCodec.ComponentLabel] = ApprovalComponent,
                [RecordCodec.EnvironmentLabel] = approval.Environment,
            },
        },
        Data = new Dictionary<string, byte[]> { [Key] = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(approval, Json)) },
    };

    /// <summary>The approval a Secret keeps; null for one of another type, or one this codec cannot read.</summary>
    public static DeploymentApproval? FromSecret(V1Secret secret)
    {
        if (secret.Type != SecretType || secret.Data?.TryGetValue(Key, out var bytes) != true)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DeploymentApproval>(bytes, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
