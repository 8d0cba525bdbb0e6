using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Verification.ErrorRate;

namespace Skillancer.Deploy.Engine.Tests.Verification;

public class ErrorRateJudgeTests
{
    [Theory]
    [InlineData(0.0, ErrorRateLevel.Ok, 0.01)]
    [InlineData(0.01, ErrorRateLevel.Ok, 0.01)] // "> 1%": exactly 1% is not above it
    [InlineData(0.0101, ErrorRateLevel.Investigate, 0.01)]
    [InlineData(0.05, ErrorRateLevel.Investigate, 0.01)]
    [InlineData(0.0501, ErrorRateLevel.ConsiderRollback, 0.05)]
    [InlineData(0.10, ErrorRateLevel.ConsiderRollback, 0.05)]
    [InlineData(0.1001, ErrorRateLevel.ImmediateRollback, 0.10)]
    [InlineData(3.5, ErrorRateLevel.ImmediateRollback, 0.10)]
    public void Levels_follow_the_runbook_thresholds(double rate, ErrorRateLevel level, double threshold) =>
        Assert.Equal((level, threshold), ErrorRateJudge.Judge(rate, ErrorRateThresholds.Runbook));

    [Fact]
    public void The_runbook_line_quotes_the_configured_threshold()
    {
        var thresholds = new ErrorRateThresholds(0.02, 0.04, 0.08);

        Assert.Equal("Error rate > 2%: Investigate", ErrorRateJudge.RunbookLine(ErrorRateLevel.Investigate, thresholds));
        Assert.Equal("Error rate > 4%: Consider rollback", ErrorRateJudge.RunbookLine(ErrorRateLevel.ConsiderRollback, thresholds));
        Assert.Equal("Error rate > 8%: Immediate rollback", ErrorRateJudge.RunbookLine(ErrorRateLevel.ImmediateRollback, thresholds));
    }
}
