using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Policy;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Schedule;

namespace Skillancer.Deploy.Engine.Tests.Schedule;

public class DeploymentScheduleTests
{
    private static readonly DeploymentSchedule Runbook = new(ScheduleSettings.Runbook);

    [Fact]
    public void Tuesday_afternoon_is_inside_the_best_window()
    {
        var decision = Runbook.Check(Utc("2026-12-01T15:30"));

        Assert.True(decision.Allowed);
        Assert.Equal("Tuesday 14:00-18:00", decision.Window);
        Assert.Equal(Utc("2026-12-01T18:00"), decision.WindowEnd);
        Assert.Equal(decision.At, decision.NextWindowStart);
    }

    [Fact]
    public void A_window_includes_its_start_and_excludes_its_end()
    {
        Assert.True(Runbook.Check(Utc("2026-12-03T14:00")).Allowed);
        var atEnd = Runbook.Check(Utc("2026-12-03T16:00"));

        Assert.False(atEnd.Allowed);
        Assert.Contains("Outside the deployment windows", atEnd.Reason);
        Assert.Equal(Utc("2026-12-08T14:00"), atEnd.NextWindowStart);
    }

    [Fact]
    public void Tuesday_morning_waits_for_the_afternoon()
    {
        var decision = Runbook.Check(Utc("2026-12-01T09:00"));

        Assert.False(decision.Allowed);
        Assert.Equal(Utc("2026-12-01T14:00"), decision.NextWindowStart);
    }

    [Fact]
    public void Fridays_are_avoided_for_lack_of_weekend_support_and_the_next_window_is_Tuesday()
    {
        var decision = Runbook.Check(Utc("2026-12-04T15:00"));

        Assert.False(decision.Allowed);
        Assert.Contains("Fridays (no weekend support)", decision.Reason);
        Assert.Equal(Utc("2026-12-08T14:00"), decision.NextWindowStart);
    }

    [Fact]
    public void Mondays_are_avoided_even_if_a_window_says_otherwise()
    {
        var schedule = new DeploymentSchedule(ScheduleSettings.Runbook with
        {
            Windows = [new DeploymentWindow(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(17, 0))],
        });

        var decision = schedule.Check(Utc("2026-12-07T10:00"));

        Assert.False(decision.Allowed);
        Assert.Contains("Mondays", decision.Reason);
        Assert.Null(decision.NextWindowStart);
    }

    [Fact]
    public void Thanksgiving_is_a_US_holiday_even_inside_a_Thursday_window()
    {
        var decision = Runbook.Check(Utc("2026-11-26T14:30"));

        Assert.False(decision.Allowed);
        Assert.Contains("public holiday in US: Thanksgiving", decision.Reason);
        Assert.Equal(Utc("2026-12-01T14:00"), decision.NextWindowStart);
    }

    [Fact]
    public void Holidays_follow_the_configured_country()
    {
        var uk = new DeploymentSchedule(ScheduleSettings.Runbook with { HolidayCountry = "GB" });

        Assert.True(uk.Check(Utc("2026-11-26T14:30")).Allowed);
        var boxingDay = uk.Check(Utc("2024-12-26T14:30"));
        Assert.False(boxingDay.Allowed);
        Assert.Contains("public holiday in GB", boxingDay.Reason);
        Assert.True(Runbook.Check(Utc("2024-12-26T14:30")).Allowed);
    }

    [Fact]
    public void A_blackout_blocks_and_the_next_window_starts_after_it()
    {
        var schedule = new DeploymentSchedule(ScheduleSettings.Runbook with
        {
            Blackouts = [new Blackout("Release freeze", Utc("2026-12-01T00:00"), Utc("2026-12-02T15:00"))],
        });

        var decision = schedule.Check(Utc("2026-12-01T15:00"));

        Assert.False(decision.Allowed);
        Assert.Contains("Blackout 'Release freeze'", decision.Reason);
        Assert.Equal(Utc("2026-12-02T15:00:01"), decision.NextWindowStart);
    }

    [Fact]
    public void The_example_Black_Friday_campaign_blocks_the_Tuesday_after_it_only_until_it_ends()
    {
        var config = ConfigLoader.Load(Infrastructure.RepositoryFiles.ExampleConfig);
        var schedule = new DeploymentSchedule(config.Schedule);

        var saturday = schedule.Check(Utc("2026-11-28T15:00"), config.Environment("production"));

        Assert.False(saturday.Allowed);
        Assert.Contains("Black Friday campaign", saturday.Reason);
        Assert.Equal(Utc("2026-12-01T14:00"), saturday.NextWindowStart);
    }

    [Fact]
    public void Windows_are_read_in_the_schedule_time_zone_across_daylight_saving()
    {
        var london = new DeploymentSchedule(ScheduleSettings.Runbook with
        {
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London"),
            HolidayCountry = null,
        });

        Assert.True(london.Check(Utc("2026-07-07T13:30")).Allowed);
        Assert.False(london.Check(Utc("2026-07-07T17:30")).Allowed);
        Assert.True(london.Check(Utc("2026-12-08T17:30")).Allowed);
    }

    [Fact]
    public void An_environment_that_does_not_enforce_the_schedule_is_always_allowed()
    {
        var staging = ConfigLoader.Load(Infrastructure.RepositoryFiles.ExampleConfig).Environment("staging");

        var decision = Runbook.Check(Utc("2026-12-04T22:00"), staging);

        Assert.True(decision.Allowed);
        Assert.Equal("staging", decision.Environment);
        Assert.Contains("does not enforce", decision.Reason);
    }

    [Fact]
    public void An_emergency_lets_the_deployment_through_and_carries_the_runbook_duties()
    {
        var emergency = Runbook.Test(Utc("2026-12-04T15:00"), null, new PolicyOverrides(Emergency: true, Reason: "payments are down"));
        var ordinary = Runbook.Test(Utc("2026-12-04T15:00"), null, PolicyOverrides.None);
        var noReason = Assert.Throws<DeployException>(() => Runbook.Test(Utc("2026-12-04T15:00"), null, new PolicyOverrides(Emergency: true)));

        Assert.True(emergency.Allowed);
        Assert.True(emergency.Emergency);
        Assert.Contains("payments are down", emergency.Reason);
        Assert.Contains("Fridays", emergency.Reason);
        Assert.Equal(4, emergency.Duties.Count);
        Assert.Contains(emergency.Duties, d => d.Contains("post-mortem", StringComparison.Ordinal));
        Assert.False(ordinary.Allowed);
        Assert.False(ordinary.Emergency);
        Assert.Equal("EmergencyReasonRequired", noReason.ErrorId);
    }

    [Fact]
    public void Every_decision_sums_itself_up_in_a_few_words_for_the_table_view()
    {
        var freeze = new DeploymentSchedule(ScheduleSettings.Runbook with
        {
            Blackouts = [new Blackout("Release freeze", Utc("2026-12-01T00:00"), Utc("2026-12-02T15:00"))],
        });
        var staging = ConfigLoader.Load(Infrastructure.RepositoryFiles.ExampleConfig).Environment("staging");

        Assert.Equal("in Tuesday 14:00-18:00", Runbook.Check(Utc("2026-12-01T15:30")).Summary);
        Assert.Equal("outside the windows", Runbook.Check(Utc("2026-12-01T09:00")).Summary);
        Assert.Equal("avoid Fridays", Runbook.Check(Utc("2026-12-04T15:00")).Summary);
        Assert.Equal("holiday: Thanksgiving", Runbook.Check(Utc("2026-11-26T14:30")).Summary);
        Assert.Equal("blackout: Release freeze", freeze.Check(Utc("2026-12-01T15:00")).Summary);
        Assert.Equal("schedule not enforced", Runbook.Check(Utc("2026-12-04T22:00"), staging).Summary);
        Assert.Equal("emergency: payments are down", Runbook.Test(Utc("2026-12-04T15:00"), null, new PolicyOverrides(true, "payments are down")).Summary);
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);
}
