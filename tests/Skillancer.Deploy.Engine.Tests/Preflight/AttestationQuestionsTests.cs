using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Preflight;

namespace Skillancer.Deploy.Engine.Tests.Preflight;

/// <summary>The questions an interactive host asks before the checklist: in the runbook's order, a reason asked once.</summary>
public class AttestationQuestionsTests
{
    private static readonly DeployConfig Config = ConfigLoader.Parse("""
        environments:
          staging:
            url: http://127.0.0.1:9/
            services: []
            preflight:
              attest: [RollbackPlan]
        """, Path.Join(Path.GetTempPath(), "skdeploy.yml"));

    private static PreflightRequest Request => new(Config, Config.Environment("staging"), "1.2.3", ".") { Items = [PreflightItem.OnCall, PreflightItem.RollbackPlan] };

    [Fact]
    public void Each_unattested_item_is_asked_in_order_and_a_yes_with_a_reason_attests_it()
    {
        var asked = new List<string>();
        var reasons = 0;

        var answered = AttestationQuestions.Ask(Request, (item, question) => { asked.Add($"{item}: {question}"); return item == PreflightItem.OnCall; }, _ => { reasons++; return "Dana confirmed"; });

        Assert.Equal(2, asked.Count);
        Assert.StartsWith("RollbackPlan: No system answers \"Rollback plan documented\"", asked[0], StringComparison.Ordinal);
        Assert.Equal("OnCall: No system answers \"On-call engineer available\" for staging here. Did you check it yourself?", asked[1]);
        Assert.Equal([PreflightItem.OnCall], answered.Attest);
        Assert.Equal("Dana confirmed", answered.Reason);
        Assert.Equal(1, reasons);
    }

    [Fact]
    public void A_yes_without_a_reason_attests_nothing_and_an_item_already_attested_is_not_asked()
    {
        var without = AttestationQuestions.Ask(Request, (_, _) => true, _ => "  ");
        var asked = new List<PreflightItem>();
        AttestationQuestions.Ask(Request with { Attest = [PreflightItem.OnCall], Reason = "on the rota" }, (item, _) => { asked.Add(item); return false; }, _ => null);

        Assert.Empty(without.Attest);
        Assert.Equal([PreflightItem.RollbackPlan], asked);
    }
}
