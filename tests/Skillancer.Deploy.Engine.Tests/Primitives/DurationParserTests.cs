using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Primitives;

public class DurationParserTests
{
    [Theory]
    [InlineData("30m", 30 * 60_000)]
    [InlineData("5s", 5_000)]
    [InlineData("1h30m", 90 * 60_000)]
    [InlineData("250ms", 250)]
    [InlineData("1m30s", 90_000)]
    [InlineData("00:30:00", 30 * 60_000)]
    [InlineData(" 2h ", 2 * 3_600_000)]
    public void Parses_the_documented_forms(string text, long expectedMs)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("thirty minutes")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("-5s")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData(90 * 60_000, "1h30m")]
    [InlineData(5_000, "5s")]
    [InlineData(250, "250ms")]
    public void Formats_the_way_configuration_writes_durations(long ms, string expected)
    {
        Assert.Equal(expected, DurationParser.Format(TimeSpan.FromMilliseconds(ms)));
    }
}
