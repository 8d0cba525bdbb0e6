using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.State.Journal;

/// <summary>
/// A report written to a file: the report itself (UTF-8, no BOM), and for Markdown each chart beside it as an SVG file
/// (<c>deploy.md</c> links <c>deploy-chart-1.svg</c>...), so that the Markdown shows its charts wherever it is read
/// with its folder (a CI artifact, a repository). Export-SkDeploymentReport -Path and Invoke-SkDeployment -ReportPath both
/// write through it.
/// </summary>
public static class ReportFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The files <see cref="WriteAsync"/> writes for <paramref name="record"/> at <paramref name="path"/>, the report first.</summary>
    public static IReadOnlyList<string> Paths(DeploymentRecord record, ReportFormat format, string path) =>
        [path, .. format == ReportFormat.Markdown ? record.Charts.Select((_, i) => ChartPath(path, i + 1)) : []];

    /// <summary>Writes the report (and a Markdown report's charts), replacing what is there; the files written, the report first.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(DeploymentRecord record, ReportFormat format, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteFilesAsync(record, format, path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeployException(StateErrors.ReportNotWritten, DeployErrorCategory.WriteError,
                $"The {format} report of record {record.Id} could not be written to {path}: {e.Message} Give a -Path in a folder that exists and that you may write to.", path, e);
        }
    }

    private static async Task<IReadOnlyList<string>> WriteFilesAsync(DeploymentRecord record, ReportFormat format, string path, CancellationToken cancellationToken)
    {
        var report = format == ReportFormat.Markdown
            ? DeploymentReport.ToMarkdown(record, (number, _) => Path.GetFileName(ChartPath(path, number)))
            : DeploymentReport.Write(record, format);
        await File.WriteAllTextAsync(path, report, Utf8, cancellationToken).ConfigureAwait(false);
        if (format == ReportFormat.Markdown)
        {
            for (var i = 0; i < record.Charts.Count; i++)
            {
                var svg = new XDocument(SvgChart.Draw(record.Charts[i]));
                await File.WriteAllTextAsync(ChartPath(path, i + 1), svg.ToString(), Utf8, cancellationToken).ConfigureAwait(false);
            }
        }

        return Paths(record, format, path);
    }

    // deploy.md -> deploy-chart-2.svg, in the same folder.
    private static string ChartPath(string report, int number) =>
        Path.Join(Path.GetDirectoryName(report), string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(report)}-chart-{number}.svg"));
}
