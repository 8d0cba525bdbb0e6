using System.Text.Json.Nodes;
using Skillancer.Deploy.Sandbox.Kubernetes.Patching;
using Skillancer.Deploy.Sandbox.Kubernetes.Store;

namespace Skillancer.Deploy.Sandbox.Tests.Kubernetes;

/// <summary>The three patch types, on the shapes kubectl and client libraries send.</summary>
public class PatchTests
{
    private static readonly JsonObject Deployment = JsonNode.Parse("""
        {"metadata":{"name":"api","labels":{"app":"api","team":"core"}},
         "spec":{"template":{"spec":{"containers":[
           {"name":"api","image":"api:1","ports":[{"containerPort":8080}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
           {"name":"sidecar","image":"proxy:1"}]}}}}
        """)!.AsObject();

    [Fact]
    public void Strategic_merge_merges_containers_by_name_and_keeps_the_rest()
    {
        var patched = Strategic("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"api"},{"name":"sidecar"}],"containers":[{"image":"api:2","name":"api"}]}}}}""");

        var containers = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["api", "sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("api:2", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal(8080, containers[0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("proxy:1", containers[1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Strategic_merge_follows_setElementOrder_and_adds_new_elements()
    {
        var patched = Strategic("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"init"},{"name":"sidecar"},{"name":"api"}],"containers":[{"name":"init","image":"init:1"}]}}}}""");

        Assert.Equal(["init", "sidecar", "api"], patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Strategic_merge_deletes_an_element_by_its_key_and_a_field_by_null()
    {
        var patched = Strategic("""{"metadata":{"labels":{"team":null}},"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"},{"name":"api","env":[{"name":"B","$patch":"delete"},{"name":"C","value":"3"}]}]}}}}""");

        var containers = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["api"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["A", "C"], containers[0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.False(patched["metadata"]!["labels"]!.AsObject().ContainsKey("team"));
    }

    [Fact]
    public void Strategic_merge_replaces_what_patch_replace_marks_and_lists_without_a_merge_key()
    {
        var patched = Strategic("""{"metadata":{"labels":{"$patch":"replace","only":"this"}},"spec":{"template":{"spec":{"containers":[{"name":"api","args":["--b"]}]}}}}""");

        Assert.Equal("""{"only":"this"}""", patched["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""["--b"]""", patched["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.ToJsonString());
    }

    [Fact]
    public void Json_merge_patch_replaces_lists_and_deletes_on_null()
    {
        var patched = (JsonObject)JsonMergePatch.Apply(Deployment, JsonNode.Parse("""{"metadata":{"labels":{"team":null}},"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x:1"}]}}}}"""))!;

        Assert.Equal(["only"], patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("""{"app":"api"}""", patched["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public void Json_patch_applies_operations_in_order_and_a_failed_test_is_422_Invalid_with_the_reason_as_a_cause()
    {
        var patched = JsonPatch.Apply(Deployment, """[{"op":"test","path":"/metadata/name","value":"api"},{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"api:3"},{"op":"move","from":"/metadata/labels/team","path":"/metadata/labels/owner"}]""");
        var failure = Assert.Throws<KubeException>(() => JsonPatch.Apply(Deployment, """[{"op":"test","path":"/metadata/name","value":"web"}]"""));

        Assert.Equal("api:3", patched["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("core", patched["metadata"]!["labels"]!["owner"]!.GetValue<string>());
        Assert.Equal(422, failure.Code);
        Assert.Equal("Invalid", failure.Status["reason"]!.GetValue<string>());
        var cause = failure.Status["details"]!["causes"]![0]!;
        Assert.Equal("patch", cause["field"]!.GetValue<string>());
        Assert.Equal("""testing value /metadata/name failed: test failed (the value is "api", the test wants "web")""", cause["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/spec/nothing/here","value":1}]""", "test operation does not apply: is missing path: /spec/nothing/here: missing value")]
    [InlineData("""[{"op":"test","path":"/metadata/labels/owner","value":"ops"}]""", "testing value /metadata/labels/owner failed: test failed (the value is missing, the test wants \"ops\")")]
    [InlineData("""[{"op":"replace","path":"/metadata/annotations","value":{}}]""", "replace operation does not apply: doc is missing key: /metadata/annotations: missing value")]
    [InlineData("""[{"op":"remove","path":"/spec/strategy/type"}]""", "remove operation does not apply: doc is missing path: \"/spec/strategy/type\": missing value")]
    [InlineData("""[{"op":"add","path":"/status/conditions/0","value":{}}]""", "add operation does not apply: doc is missing path: \"/status/conditions/0\": missing value")]
    [InlineData("""[{"op":"copy","from":"/metadata/owner","path":"/metadata/copy"}]""", "copy operation does not apply: doc is missing from path: /metadata/owner: missing value")]
    public void A_json_patch_operation_that_does_not_apply_says_why_in_the_json_patch_librarys_words(string patch, string reason)
    {
        var failure = Assert.Throws<KubeException>(() => JsonPatch.Apply(Deployment, patch));

        Assert.Equal(reason, failure.Status["details"]!["causes"]![0]!["message"]!.GetValue<string>());
        Assert.Equal($"the server rejected our request due to an error in our request: {reason}", failure.Status["message"]!.GetValue<string>());
    }

    [Fact]
    public void Custom_resources_refuse_strategic_merge_with_415()
    {
        var failure = Assert.Throws<KubeException>(() => PatchType.Apply(PatchType.Strategic, new JsonObject(), "{}", ResourceType.VirtualServices));

        Assert.Equal(415, failure.Code);
        Assert.Equal("UnsupportedMediaType", failure.Status["reason"]!.GetValue<string>());
    }

    private static JsonObject Strategic(string patch) => StrategicMergePatch.Apply(Deployment, JsonNode.Parse(patch)!.AsObject());
}
