using System.Management.Automation;
using Skillancer.Deploy.Completers;
using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.State;

/// <summary>
/// <para type="synopsis">Writes a deployment record as a post-mortem-ready Markdown timeline or HTML page with its charts, as JSON, or as a JUnit file for CI runners.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "SkDeploymentReport", SupportsShouldProcess = true, DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportSkDeploymentReportCommand : ConfiguredCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string IdSet = "Id";

    /// <summary>
    /// <para type="description">The record to write, from Get-SkDeploymentLog (usually through the pipeline).</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public DeploymentRecord? InputObject { get; set; }

    /// <summary>
    /// <para type="description">The environment whose journal holds the record named by -Id.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>
    /// <para type="description">The id of the record to write (Get-SkDeploymentLog lists them).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>
    /// <para type="description">A kubeconfig to use instead of the environment's kubernetes.kubeconfig (with -Id).</para>
    /// </summary>
    [Parameter(ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>
    /// <para type="description">A kubeconfig context to use instead of the environment's kubernetes.context (with -Id).</para>
    /// </summary>
    [Parameter(ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>
    /// <para type="description">Markdown (the default): a summary, a timeline and the charts for the post-mortem; Html: the
    /// same as one self-contained page (no script, nothing loaded from anywhere), its charts inline SVG; Json: the whole
    /// record; JUnit: a test suite with a test case per step, a failed step a failure. The charts are what the action
    /// measured: the error ratio during a deployment's watch with the runbook's thresholds, each canary against stable
    /// (error ratio and p95, its steps and the abort or promotion marked), and each service's metrics before and after.</para>
    /// </summary>
    [Parameter]
    [ValidateSet("Markdown", "Html", "Json", "JUnit")]
    public string Format { get; set; } = "Markdown";

    /// <summary>
    /// <para type="description">A file to write the report to (UTF-8), replacing it; the files written are returned. A
    /// Markdown report's charts are written beside it as SVG files (report-chart-1.svg...) and linked from it. Without
    /// -Path, the report is written to the pipeline as one string, a Markdown report's charts listed by title.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <inheritdoc/>
    protected override void ProcessInput()
    {
        var record = InputObject ?? Read();
        if (record is null)
        {
            return;
        }

        var format = Enum.Parse<ReportFormat>(Format);
        if (Path is null)
        {
            WriteObject(DeploymentReport.Write(record, format));
            return;
        }

        var file = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(string.Join(", ", ReportFiles.Paths(record, format, file)), $"Write the {Format} report of deployment record {record.Id}"))
        {
            var written = Await((_, token) => ReportFiles.WriteAsync(record, format, file, token));
            WriteObject(written.Select(f => new FileInfo(f)), enumerateCollection: true);
        }
    }

    private DeploymentRecord? Read()
    {
        var environment = Config.Environment(Environment!);
        var query = new JournalQuery { Id = Id }.Validate();
        var kubeconfig = Kubeconfig is null ? null : GetUnresolvedProviderPathFromPSPath(Kubeconfig);
        var found = Await(async (host, token) =>
        {
            using var cluster = ClusterConnection.Open(environment.Kubernetes, kubeconfig, Context, host);
            return await DeploymentJournal.FindAsync(cluster, environment, query, token).ConfigureAwait(false);
        });
        if (found.Count == 0)
        {
            WriteError(DeploymentJournal.NotFound(environment, Id!));
            return null;
        }

        return found[0];
    }
}
