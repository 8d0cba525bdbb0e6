namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>What a chart's values measure: a ratio (shown in percent) or seconds (shown in milliseconds).</summary>
public enum ChartUnit
{
    /// <summary>A fraction: 0.012 is 1.2%.</summary>
    Ratio,

    /// <summary>Seconds: 0.146 is 146 ms.</summary>
    Seconds,
}

/// <summary>
/// A chart a record keeps for the post-mortem: what the run measured over time (the error ratio during the watch, a
/// canary against stable, the time before a deployment against the time after it), with the thresholds it was judged
/// against and the moments that mattered (a canary's steps, its abort or promotion, the deployment). The report
/// (Export-SkDeploymentReport -Format Html, or the Markdown's images) draws it; the record keeps only the numbers.
/// </summary>
public sealed record RecordChart
{
    // Every list of a chart is kept as an array, whatever it is given: PowerShell indexes an array ($chart.Series[0]),
    // not the compiler's internal list that a collection expression makes.
    private readonly ChartSeries[] _series = [];
    private readonly ChartThreshold[] _thresholds = [];
    private readonly ChartMark[] _marks = [];

    /// <summary>What it shows, e.g. <c>web v1.2.5: error ratio, canary against stable</c>.</summary>
    public required string Title { get; init; }

    /// <summary>The unit of every value in it.</summary>
    public required ChartUnit Unit { get; init; }

    /// <summary>Its lines, each a series of points in time.</summary>
    public IReadOnlyList<ChartSeries> Series { get => _series; init => _series = [.. value]; }

    /// <summary>The fixed levels it was judged against, drawn across it.</summary>
    public IReadOnlyList<ChartThreshold> Thresholds { get => _thresholds; init => _thresholds = [.. value]; }

    /// <summary>The moments marked on it: step boundaries, the decision, the deployment.</summary>
    public IReadOnlyList<ChartMark> Marks { get => _marks; init => _marks = [.. value]; }

    /// <summary>How many measured points its series hold together (limits not counted).</summary>
    public int PointCount => Series.Where(s => !s.Limit).Sum(s => s.Points.Count);

    /// <summary>
    /// The charts of a run carried on after its process died: <paramref name="earlier"/> (what its record kept) with
    /// <paramref name="later"/> (what the resumed run measured) drawn on, chart by title and series by name, in time
    /// order; a chart or series only one side has is kept as it is.
    /// </summary>
    public static IReadOnlyList<RecordChart> Continued(IReadOnlyList<RecordChart> earlier, IReadOnlyList<RecordChart> later) =>
        [.. earlier.Concat(later).GroupBy(c => c.Title).Select(charts => charts.Aggregate((first, next) => first with
        {
            Series = [.. first.Series.Concat(next.Series).GroupBy(s => s.Name).Select(series => series.First() with
            {
                Points = [.. series.SelectMany(s => s.Points).DistinctBy(p => p.At).OrderBy(p => p.At)],
            })],
            Thresholds = [.. first.Thresholds.Concat(next.Thresholds).Distinct()],
            Marks = [.. first.Marks.Concat(next.Marks).Distinct().OrderBy(m => m.At)],
        }))];
}

/// <summary>One line of a chart: its name (the legend's) and its points, in time order.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points)
{
    private readonly ChartPoint[] _points = [.. Points];

    /// <summary>Its points, in time order (an array, as PowerShell indexes it).</summary>
    public IReadOnlyList<ChartPoint> Points { get => _points; init => _points = [.. value]; }

    /// <summary>True for a limit worked out from a measurement (stable plus the allowed increase), not a measurement: drawn dashed, without points.</summary>
    public bool Limit { get; init; }
}

/// <summary>One measured value, and when.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Value);

/// <summary>A fixed level across a chart: <c>consider rollback</c> at 0.05.</summary>
public sealed record ChartThreshold(string Name, double Value);

/// <summary>A moment marked on a chart: <c>step 2: 25%</c>, <c>aborted</c>, <c>deployed</c>.</summary>
public sealed record ChartMark(DateTimeOffset At, string Label);
