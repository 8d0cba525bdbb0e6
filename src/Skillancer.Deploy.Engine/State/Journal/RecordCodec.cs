using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;
using Skillancer.Deploy.Engine.State.Lock;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// How a <see cref="DeploymentRecord"/> is kept in a ConfigMap, Helm-style: labels to find it by (managed-by,
/// environment, kind, status, version), and the record as JSON in <c>data.record.json</c>, or gzipped in
/// <c>binaryData.record.json.gz</c> when the JSON passes <see cref="PlainLimit"/>. Step output is capped so an
/// object stays far below the API server's 1 MiB limit, and every cap is recorded in the record's notes.
/// </summary>
public static partial class RecordCodec
{
    /// <summary>The longest step detail kept; a longer one is cut, and its SHA-256 kept.</summary>
    public const int DetailLimit = 4096;

    /// <summary>The most steps kept; the rest are counted in a note.</summary>
    public const int StepLimit = 500;

    /// <summary>The most points a chart's series keeps; a longer one is thinned evenly, its first and last points kept.</summary>
    public const int ChartPointLimit = 360;

    /// <summary>Above this many bytes of JSON the record is gzipped.</summary>
    public const int PlainLimit = 64 * 1024;

    /// <summary>The most bytes a stored record takes; above it, the step details are dropped (their digests kept).</summary>
    public const int ObjectLimit = 512 * 1024;

    /// <summary>The label every record carries, with <see cref="RecordComponent"/>.</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    /// <summary>The component label's value on a record.</summary>
    public const string RecordComponent = "deployment-record";

    /// <summary>The environment label.</summary>
    public const string EnvironmentLabel = "skillancer.com/environment";

    /// <summary>The kind label (lower case).</summary>
    public const string KindLabel = "skillancer.com/kind";

    /// <summary>The status label (lower case).</summary>
    public const string StatusLabel = "skillancer.com/status";

    /// <summary>The version label, when the version is a valid label value.</summary>
    public const string VersionLabel = "skillancer.com/version";

    private const string PlainKey = "record.json";
    private const string CompressedKey = "record.json.gz";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    /// <summary>The ConfigMap's name for a record of <paramref name="environment"/>.</summary>
    public static string ObjectName(string environment, string id) => $"skdeploy-{environment.ToLowerInvariant()}-{id}";

    /// <summary>The label selector of every record of <paramref name="environment"/>.</summary>
    public static string Selector(string environment) =>
        $"app.kubernetes.io/managed-by={EnvironmentLock.ManagedBy},{ComponentLabel}={RecordComponent},{EnvironmentLabel}={environment}";

    /// <summary>The record with its step output capped as this codec keeps it, the caps noted. Cap the whole record once, as it is written.</summary>
    public static DeploymentRecord Cap(DeploymentRecord record)
    {
        var notes = new List<string>();
        var steps = record.Steps;
        if (steps.Count > StepLimit)
        {
            notes.Add($"{steps.Count - StepLimit} more steps were left out (a record keeps {StepLimit}).");
            steps = [.. steps.Take(StepLimit)];
        }

        var cut = steps.Count(s => s.Detail.Length > DetailLimit);
        if (cut > 0)
        {
            notes.Add($"The output of {cut} step(s) was cut to {DetailLimit} characters; the SHA-256 of the whole output is kept.");
            steps = [.. steps.Select(s => s.Detail.Length > DetailLimit ? s with { Detail = s.Detail[..DetailLimit], DetailSha256 = Sha256(s.Detail) } : s)];
        }

        var charts = record.Charts;
        var thinned = charts.SelectMany(c => c.Series).Count(s => s.Points.Count > ChartPointLimit);
        if (thinned > 0)
        {
            notes.Add($"{thinned} chart series were thinned to {ChartPointLimit} evenly spaced points.");
            charts = [.. charts.Select(c => c with { Series = [.. c.Series.Select(Thin)] })];
        }

        if (notes.Count == 0)
        {
            return record;
        }

        return record with { Steps = steps, Charts = charts, Capped = true, Notes = [.. record.Notes, .. notes] };
    }

    // A series of at most ChartPointLimit points, evenly spaced over the original, its first and last kept.
    private static ChartSeries Thin(ChartSeries series)
    {
        var points = series.Points;
        if (points.Count <= ChartPointLimit)
        {
            return series;
        }

        var step = (points.Count - 1) / (double)(ChartPointLimit - 1);
        return series with { Points = [.. Enumerable.Range(0, ChartPointLimit).Select(i => points[(int)Math.Round(i * step)])] };
    }

    /// <summary>The ConfigMap that stores <paramref name="record"/> (capped) in namespace <paramref name="ns"/>.</summary>
    public static V1ConfigMap ToConfigMap(DeploymentRecord record, string ns)
    {
        var capped = Cap(record);
        var (data, binary) = Payload(capped);
        if (Size(data, binary) > ObjectLimit)
        {
            capped = capped with
            {
                Steps = [.. capped.Steps.Select(s => s with { Detail = string.Empty, DetailSha256 = s.DetailSha256 ?? Sha256(s.Detail) })],
                Charts = [],
                Capped = true,
                Notes = [.. capped.Notes, $"The step output and the charts were dropped: the record passed {ObjectLimit / 1024} KiB even compressed; the SHA-256 of each step's output is kept."],
            };
            (data, binary) = Payload(capped);
        }

        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/managed-by"] = EnvironmentLock.ManagedBy,
            [ComponentLabel] = RecordComponent,
            [EnvironmentLabel] = record.Environment,
            [KindLabel] = record.Kind.ToString().ToLowerInvariant(),
            [StatusLabel] = record.Status.ToString().ToLowerInvariant(),
        };
        if (record.Version is { } version && LabelValue().IsMatch(version))
        {
            labels[VersionLabel] = version;
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = ObjectName(record.Environment, record.Id), NamespaceProperty = ns, Labels = labels },
            Data = data,
            BinaryData = binary,
        };
    }

    /// <summary>The record a ConfigMap stores; null when it holds none this codec can read.</summary>
    public static DeploymentRecord? FromConfigMap(V1ConfigMap map)
    {
        try
        {
            if (map.Data?.TryGetValue(PlainKey, out var json) == true)
            {
                return FromJson(json);
            }

            if (map.BinaryData?.TryGetValue(CompressedKey, out var zipped) == true)
            {
                using var input = new GZipStream(new MemoryStream(zipped), CompressionMode.Decompress);
                return JsonSerializer.Deserialize<DeploymentRecord>(input, Json);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            return null;
        }

        return null;
    }

    /// <summary>The record as indented JSON (Export-SkDeploymentReport -Format Json).</summary>
    public static string ToJson(DeploymentRecord record) => JsonSerializer.Serialize(record, Indented);

    /// <summary>A record from its JSON (<see cref="ToJson"/>, or a ConfigMap's record.json).</summary>
    public static DeploymentRecord? FromJson(string json) => JsonSerializer.Deserialize<DeploymentRecord>(json, Json);

    private static (Dictionary<string, string>? Data, Dictionary<string, byte[]>? Binary) Payload(DeploymentRecord record)
    {
        var json = JsonSerializer.Serialize(record, Json);
        if (Encoding.UTF8.GetByteCount(json) <= PlainLimit)
        {
            return (new Dictionary<string, string> { [PlainKey] = json }, null);
        }

        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return (null, new Dictionary<string, byte[]> { [CompressedKey] = output.ToArray() });
    }

    // Bytes the API server stores: the JSON, or the gzip as base64.
    private static int Size(Dictionary<string, string>? data, Dictionary<string, byte[]>? binary) =>
        data is not null ? data.Values.Sum(Encoding.UTF8.GetByteCount) : binary!.Values.Sum(b => (b.Length + 2) / 3 * 4);

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
