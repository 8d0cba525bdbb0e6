using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Sandbox.Kubernetes.Patching;

/// <summary>
/// Reads the body of a server-side apply (application/apply-patch+yaml): one YAML document, or JSON, which
/// is YAML too and what kubectl sends. Plain scalars are typed by YAML 1.2's core schema (null, booleans,
/// integers, floats), as the API server's YAML decoder types them; quoted ones stay strings.
/// </summary>
internal static partial class ApplyConfiguration
{
    public static JsonObject Parse(string body)
    {
        try
        {
            var node = body.TrimStart().StartsWith('{') ? JsonNode.Parse(body) : FromYaml(body);
            return node as JsonObject ?? throw new KubeException(KubeStatus.BadRequest("error decoding YAML: the apply configuration must be an object"));
        }
        catch (Exception e) when (e is JsonException or YamlException)
        {
            throw new KubeException(KubeStatus.BadRequest($"error decoding YAML: {e.Message}"));
        }
    }

    private static JsonNode? FromYaml(string body)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(body));
        return stream.Documents.Count switch
        {
            0 => null,
            1 => Convert(stream.Documents[0].RootNode),
            _ => throw new KubeException(KubeStatus.BadRequest("error decoding YAML: an apply configuration is one document, not several")),
        };
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new KubeException(KubeStatus.BadRequest($"error decoding YAML: unsupported node at {node.Start}")),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new KubeException(KubeStatus.BadRequest($"error decoding YAML: a key at {key.Start} is not a string"));
            if (obj.ContainsKey(name))
            {
                throw new KubeException(KubeStatus.BadRequest($"error decoding YAML: mapping key \"{name}\" already defined at {key.Start}"));
            }

            obj[name] = Convert(value);
        }

        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return text;
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
            _ when Float().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
