using Skillancer.Deploy.Engine.Kubernetes.Cluster;
using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.State.Journal;

namespace Skillancer.Deploy.Engine.Orchestration.Deployment;

/// <summary>
/// The run's reports for a CI runner, from its closed journal record (the same exporter as Export-SkDeploymentReport):
/// Markdown (with its charts as SVG files beside it), HTML and JUnit files in -ReportPath, and the Markdown appended to
/// GitHub Actions' step summary (its charts listed by title: the summary shows no images from elsewhere).
/// </summary>
public static class DeploymentReports
{
    /// <summary>
    /// Writes the reports <paramref name="request"/> asks for and returns their paths. A report that cannot be written
    /// is a warning: it never changes how the deployment ended.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        ClusterConnection cluster, DeploymentRequest request, string recordId, OperationHost host, CancellationToken cancellationToken)
    {
        if (request.ReportPath is null && request.StepSummaryPath is null)
        {
            return [];
        }

        var written = new List<string>();
        try
        {
            var record = await DeploymentJournal.ReadAsync(cluster, request.Environment, recordId, cancellationToken).ConfigureAwait(false)
                ?? throw DeploymentJournal.NotFound(request.Environment, recordId);
            if (request.ReportPath is { } folder)
            {
                Directory.CreateDirectory(folder);
                var stem = Path.Join(folder, $"deploy-{record.Environment}-{record.Id}");
                written.AddRange(await ReportFiles.WriteAsync(record, ReportFormat.Markdown, stem + ".md", cancellationToken).ConfigureAwait(false));
                written.AddRange(await ReportFiles.WriteAsync(record, ReportFormat.Html, stem + ".html", cancellationToken).ConfigureAwait(false));
                written.AddRange(await ReportFiles.WriteAsync(record, ReportFormat.JUnit, stem + ".xml", cancellationToken).ConfigureAwait(false));
            }

            if (request.StepSummaryPath is { } summary)
            {
                await File.AppendAllTextAsync(summary, DeploymentReport.ToMarkdown(record) + Environment.NewLine, cancellationToken).ConfigureAwait(false);
                written.Add(summary);
            }
        }
        catch (Exception e) when (e is DeployException or IOException or UnauthorizedAccessException)
        {
            host.Warning($"The run's reports could not all be written ({e.Message}); the record keeps everything: Export-SkDeploymentReport -Environment {request.Environment.Name} -Id {recordId}.");
        }

        foreach (var path in written)
        {
            host.Verbose($"Report written: {path}");
        }

        return written;
    }
}
