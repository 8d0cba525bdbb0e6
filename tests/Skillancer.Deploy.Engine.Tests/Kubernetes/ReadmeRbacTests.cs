using k8s;
using k8s.Models;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Skillancer.Deploy.Engine.Tests.Kubernetes;

/// <summary>
/// README's "Connect to real systems" RBAC: it must be valid rbac.authorization.k8s.io/v1, and grant
/// exactly what ClusterPermissions lists (which ClusterPermissionsTests holds to the requests the engine sends).
/// The sandbox does not serve RBAC kinds yet, so it is checked here rather than applied there.
/// </summary>
public class ReadmeRbacTests
{
    private const string Section = "Kubernetes: one Role per namespace";
    private const string ApproverSection = "Kubernetes: who may approve";
    private static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] SubjectKinds = ["User", "Group", "ServiceAccount"];

    [Fact]
    public void The_Role_is_valid_rbac_v1_and_grants_every_namespaced_permission_the_module_calls_and_no_other()
    {
        var (role, binding) = Pair<V1Role, V1RoleBinding>(0);

        Assert.Equal("rbac.authorization.k8s.io/v1", role.ApiVersion);
        Assert.False(string.IsNullOrEmpty(role.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(role.Metadata.NamespaceProperty));
        Assert.Equal(Expected(clusterScoped: false), Granted(role.Rules));
        Assert.Equal(("Role", "rbac.authorization.k8s.io", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.ApiGroup, binding.RoleRef.Name));
        Assert.Equal(role.Metadata.NamespaceProperty, binding.Metadata.NamespaceProperty);
        CheckSubjects(binding.Subjects);
    }

    [Fact]
    public void The_optional_ClusterRole_grants_only_the_cluster_wide_permission_New_SkConfiguration_uses()
    {
        var (role, binding) = Pair<V1ClusterRole, V1ClusterRoleBinding>(1);

        Assert.Equal("rbac.authorization.k8s.io/v1", role.ApiVersion);
        Assert.Equal(Expected(clusterScoped: true), Granted(role.Rules));
        Assert.Equal(["list namespaces"], Expected(clusterScoped: true));
        Assert.Equal(("ClusterRole", "rbac.authorization.k8s.io", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.ApiGroup, binding.RoleRef.Name));
        CheckSubjects(binding.Subjects);
    }

    [Fact]
    public void The_approver_Role_is_valid_rbac_v1_and_grants_exactly_what_an_approver_s_cmdlets_call()
    {
        var blocks = ReadmeBlocks.In(ApproverSection, "yaml");
        var objects = KubernetesYaml.LoadAllFromString(Assert.Single(blocks), strict: true);
        var role = Assert.IsType<V1Role>(objects[0]);
        var binding = Assert.IsType<V1RoleBinding>(objects[1]);

        Assert.Equal(ApproverPermissions.All.Select(p => p.ToString()).Order(StringComparer.Ordinal), Granted(role.Rules));
        Assert.DoesNotContain("create secrets", Expected(clusterScoped: false));
        Assert.Equal(("Role", role.Metadata.Name, role.Metadata.NamespaceProperty), (binding.RoleRef.Kind, binding.RoleRef.Name, binding.Metadata.NamespaceProperty));
        CheckSubjects(binding.Subjects);
    }

    [Fact]
    public void Every_rule_names_its_groups_resources_and_verbs_literally()
    {
        foreach (var block in ReadmeBlocks.In(Section, "yaml").Concat(ReadmeBlocks.In(ApproverSection, "yaml")))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(block));
            foreach (var document in stream.Documents.Select(d => (YamlMappingNode)d.RootNode))
            {
                if (!document.Children.TryGetValue(new YamlScalarNode("rules"), out var rules)) continue;
                foreach (var rule in ((YamlSequenceNode)rules).Children.Cast<YamlMappingNode>())
                {
                    Assert.Equal(["apiGroups", "resources", "verbs"], rule.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order());
                    var values = rule.Children.Values.SelectMany(v => ((YamlSequenceNode)v).Children.Cast<YamlScalarNode>().Select(s => s.Value!)).ToList();
                    Assert.DoesNotContain("*", values);
                    Assert.All(((YamlSequenceNode)rule.Children[new YamlScalarNode("verbs")]).Children.Cast<YamlScalarNode>(), v => Assert.Contains(v.Value, Verbs));
                }
            }
        }
    }

    // The Role (block 0) or the ClusterRole (block 1) with its binding, loaded strictly: an unknown field fails.
    private static (TRole Role, TBinding Binding) Pair<TRole, TBinding>(int block)
    {
        var blocks = ReadmeBlocks.In(Section, "yaml");
        Assert.Equal(2, blocks.Count);
        var objects = KubernetesYaml.LoadAllFromString(blocks[block], strict: true);
        Assert.Equal(2, objects.Count);
        return (Assert.IsType<TRole>(objects[0]), Assert.IsType<TBinding>(objects[1]));
    }

    private static List<string> Expected(bool clusterScoped) =>
        ClusterPermissions.All.Where(p => p.ClusterScoped == clusterScoped).Select(p => p.ToString()).Order(StringComparer.Ordinal).ToList();

    // Every (group, resource, verb) the rules grant, each once.
    private static List<string> Granted(IEnumerable<V1PolicyRule> rules)
    {
        var granted = rules.SelectMany(r =>
            from g in r.ApiGroups from res in r.Resources from v in r.Verbs select new ApiAccess(g, res, v).ToString()).ToList();
        Assert.Equal(granted.Count, granted.Distinct().Count());
        return granted.Order(StringComparer.Ordinal).ToList();
    }

    private static void CheckSubjects(IList<Rbacv1Subject> subjects)
    {
        Assert.NotEmpty(subjects);
        Assert.All(subjects, s =>
        {
            Assert.Contains(s.Kind, SubjectKinds);
            Assert.False(string.IsNullOrEmpty(s.Name));
            Assert.True(s.Kind == "ServiceAccount" ? !string.IsNullOrEmpty(s.NamespaceProperty) : s.ApiGroup == "rbac.authorization.k8s.io", $"subject {s.Kind}/{s.Name}");
        });
    }
}
