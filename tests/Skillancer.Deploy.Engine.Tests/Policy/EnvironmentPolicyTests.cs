using System.Globalization;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Policy;

/// <summary>
/// The environment policy with a real schedule in Europe/London (so summer time matters) and a fixed clock:
/// production requires approval and enforces the schedule, qa only enforces it, staging does neither.
/// </summary>
public class EnvironmentPolicyTests
{
    private static readonly DeployConfig Config = ConfigLoader.Parse("""
        environments:
          production:
            requireApproval: true
            enforceSchedule: true
            services: []
          qa:
            requireApproval: false
            enforceSchedule: true
            services: []
          staging:
            requireApproval: false
            enforceSchedule: false
            services: []
        schedule:
          timeZone: Europe/London
          windows:
            - { day: Wednesday, start: "09:00", end: "11:30" }
          avoid:
            days: [Friday, Monday]
            blackouts:
              - { name: Code freeze, start: 2026-12-16T00:00:00Z, end: 2026-12-17T23:59:59Z }
        """, Path.Join(Path.GetTempPath(), "skdeploy.yml"));

    // Wednesday 2026-07-01, British Summer Time (UTC+1): the window is 08:00-10:30 UTC.
    private const string InsideSummerWindow = "2026-07-01T08:30";
    private const string AfterSummerWindow = "2026-07-01T10:45";   // 11:45 in London: closed, although 10:45 < 11:30
    private const string InBlackout = "2026-12-16T10:00";          // a Wednesday, inside the window's hours

    [Fact]
    public void A_change_inside_the_window_goes_ahead_without_asking_where_no_approval_is_required()
    {
        var host = new RecordingHost();

        var answer = Policy(InsideSummerWindow).Admit(Request("qa"), host.Host);

        AssertAdmitted(answer);
        Assert.Empty(host.Asked);
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public void A_change_after_the_window_in_local_time_is_refused_naming_the_next_window_and_the_emergency_path()
    {
        var error = Assert.Throws<DeployException>(() => Policy(AfterSummerWindow).Admit(Request("qa"), new RecordingHost().Host));

        Assert.Equal("DeploymentWindowClosed", error.ErrorId);
        Assert.Contains("Next window: Wednesday 2026-07-08 09:00 Europe/London", error.Message);
        Assert.Contains("-Emergency -Reason '", error.Message);
        Assert.Contains("Start-SkRollout", error.Message);
        Assert.Contains("'qa'", error.Message);
    }

    [Fact]
    public void A_blackout_refuses_a_change_inside_the_window_hours_and_names_the_blackout()
    {
        var error = Assert.Throws<DeployException>(() => Policy(InBlackout).Admit(Request("qa"), new RecordingHost().Host));

        Assert.Equal("DeploymentWindowClosed", error.ErrorId);
        Assert.Contains("Code freeze", error.Message);
        Assert.Contains("Next window: Wednesday 2026-12-23 09:00 Europe/London", error.Message);
    }

    [Fact]
    public void An_emergency_with_a_reason_goes_ahead_outside_the_window_and_warns_with_the_runbook_duties()
    {
        var host = new RecordingHost();

        var answer = Policy(InBlackout).Admit(Request("qa", overrides: new(Emergency: true, Reason: "INC-42 payments down")), host.Host);

        AssertAdmitted(answer);
        Assert.Contains("INC-42 payments down", host.Warnings[0]);
        Assert.Equal(Engine.Schedule.DeploymentSchedule.EmergencyDuties.Select(d => $"  - {d}"), host.Warnings.Skip(1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void An_emergency_without_a_reason_is_refused_even_inside_the_window(string? reason)
    {
        var error = Assert.Throws<DeployException>(() =>
            Policy(InsideSummerWindow).Admit(Request("qa", overrides: new(Emergency: true, Reason: reason)), new RecordingHost().Host));

        Assert.Equal("EmergencyReasonRequired", error.ErrorId);
        Assert.Contains("-Emergency -Reason '", error.Message);
    }

    [Fact]
    public void A_recovery_action_is_never_blocked_by_the_schedule()
    {
        var host = new RecordingHost();

        var answer = Policy(InBlackout).Admit(Request("qa", StepKind.Recovery, step: "Undo-SkDeployment"), host.Host);

        AssertAdmitted(answer);
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public void An_environment_that_does_not_enforce_the_schedule_takes_changes_at_any_time()
    {
        AssertAdmitted(Policy(InBlackout).Admit(Request("staging"), new RecordingHost().Host));
        AssertAdmitted(Policy(AfterSummerWindow).Admit(Request("staging"), new RecordingHost().Host));
    }

    [Fact]
    public void A_change_where_approval_is_required_is_admitted_on_condition_of_its_version_s_approvals_and_asks_nobody()
    {
        var host = new RecordingHost();

        var admission = Policy(InsideSummerWindow).Admit(Request("production"), host.Host);

        Assert.True(admission.NeedsApproval);
        Assert.Null(admission.ApprovedVersion);
        Assert.Empty(host.Asked);
        var error = Assert.Throws<DeployException>(() => admission.Require(Config.Environment("production")));
        Assert.Equal("ApprovalRequired", error.ErrorId);
        Assert.Contains("Start-SkRollout", error.Message);
    }

    [Fact]
    public void A_recovery_action_or_an_environment_without_requireApproval_needs_no_approval()
    {
        var recovery = Policy(InsideSummerWindow).Admit(Request("production", StepKind.Recovery, step: "Undo-SkDeployment"), new RecordingHost().Host);
        var staging = Policy(InsideSummerWindow).Admit(Request("staging"), new RecordingHost().Host);

        Assert.False(recovery.NeedsApproval);
        Assert.False(staging.NeedsApproval);
        recovery.Require(Config.Environment("production"), StepKind.Recovery);
        staging.Require(Config.Environment("staging"));
    }

    [Fact]
    public void Emergency_overrides_the_schedule_but_not_the_approval()
    {
        var admission = Policy(InBlackout).Admit(Request("production", overrides: new(Emergency: true, Reason: "INC-42")), new RecordingHost().Host);

        Assert.Equal("INC-42", admission.EmergencyReason);
        Assert.True(admission.NeedsApproval);
    }

    [Fact]
    public void WhatIf_asks_nobody_and_turns_a_closed_window_into_a_warning()
    {
        var host = new RecordingHost(describeOnly: true);

        var answer = Policy(InBlackout).Admit(Request("production"), host.Host);

        Assert.Equal("production", answer.Environment);
        Assert.Empty(host.Asked);
        Assert.Contains(host.Warnings, w => w.StartsWith("What if: Start-SkRollout would be refused", StringComparison.Ordinal) && w.Contains("Code freeze", StringComparison.Ordinal));
    }

    [Fact]
    public void An_admission_covers_its_own_environment_only()
    {
        var admission = Policy(InsideSummerWindow).Admit(Request("staging"), new RecordingHost().Host)!;

        Assert.Same(admission, admission.Require(Config.Environment("staging")));
        var error = Assert.Throws<DeployException>(() => admission.Require(Config.Environment("production")));
        Assert.Equal(TargetMismatch.ErrorId, error.ErrorId);
        Assert.Contains("'staging'", error.Message);
        Assert.Contains("'production'", error.Message);
        Assert.Equal(TargetMismatch.ErrorId, Assert.Throws<DeployException>(() => admission.Require((string?)null)).ErrorId);
    }

    [Fact]
    public void A_recovery_admission_does_not_cover_a_change()
    {
        var admission = Policy(InBlackout).Admit(Request("qa", StepKind.Recovery, step: "Set-SkFeatureFlag"), new RecordingHost().Host)!;

        admission.Require(Config.Environment("qa"), StepKind.Recovery);
        var error = Assert.Throws<DeployException>(() => admission.Require(Config.Environment("qa")));
        Assert.Equal("ChangeNotAdmitted", error.ErrorId);
    }

    [Fact]
    public void A_database_without_an_environment_is_admitted_without_a_policy_and_only_that()
    {
        var admission = EnvironmentPolicy.WithoutEnvironment("Invoke-SkMigration");

        admission.Require((string?)null);
        Assert.Equal(TargetMismatch.ErrorId, Assert.Throws<DeployException>(() => admission.Require(Config.Environment("staging"))).ErrorId);
    }

    private static EnvironmentPolicy Policy(string utc) => new(Config.Schedule, new FixedClock(Utc(utc)));

    private static PolicyRequest Request(string environment, StepKind kind = StepKind.Change, PolicyOverrides? overrides = null, string step = "Start-SkRollout") =>
        new(Config.Environment(environment), step, kind, overrides ?? PolicyOverrides.None);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", CultureInfo.InvariantCulture);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static void AssertAdmitted(Admission? admission)
    {
        Assert.NotNull(admission);
        Assert.NotNull(admission.Environment);
    }

    private sealed class RecordingHost
    {
        public RecordingHost(bool describeOnly = false) =>
            Host = new OperationHost(_ => { }, Warnings.Add, _ => { }, (target, action) =>
            {
                Asked.Add($"{action} {target}");
                return Approval.Approved;
            }, describeOnly: describeOnly);

        public OperationHost Host { get; }

        public List<string> Warnings { get; } = [];

        public List<string> Asked { get; } = [];
    }
}
