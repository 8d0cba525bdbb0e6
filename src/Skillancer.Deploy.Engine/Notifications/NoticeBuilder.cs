using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Changelog;

namespace Skillancer.Deploy.Engine.Notifications;

/// <summary>
/// Fills in a notice from a <see cref="NoticeRequest"/>. A Complete notice given no key changes reads
/// them from its version's CHANGELOG.md section, so a notice sent in a later session still has them,
/// and says so plainly when the changelog has none.
/// </summary>
public static class NoticeBuilder
{
    /// <summary>Error id: the notice lacks a value its template needs.</summary>
    public const string NoticeFieldMissing = "NoticeFieldMissing";

    /// <summary>Builds the notice; fails with <c>NoticeFieldMissing</c> naming the parameter a template lacks.</summary>
    public static async Task<Notice> BuildAsync(NoticeRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        string Required(string? value, string parameter) => string.IsNullOrWhiteSpace(value)
            ? throw new DeployException(NoticeFieldMissing, DeployErrorCategory.InvalidArgument,
                $"A {request.Kind} notice needs -{parameter}. Pass it, or pipe in objects that have a {parameter} property.", parameter)
            : value;

        if (request.Kind == NoticeKind.Rollback)
        {
            return NoticeTemplates.Rollback(Required(request.Service, "Service"), Required(request.FromVersion, "FromVersion"), Required(request.ToVersion, "ToVersion"),
                Required(request.Reason, "Reason"), request.Time, request.Environment);
        }

        var version = Required(request.Version, "Version");
        var services = NoticeTemplates.Services(request.Services, request.ServiceCount == 0 ? request.Services.Count : request.ServiceCount);
        return request.Kind switch
        {
            NoticeKind.Complete => await CompleteAsync(request, version, services, host, cancellationToken).ConfigureAwait(false),
            NoticeKind.Started => NoticeTemplates.Started(version, Required(request.Environment, "Environment"), services, request.Time),
            _ => NoticeTemplates.Emergency(version, Required(request.Environment, "Environment"), Required(request.Reason, "Reason"), request.Time),
        };
    }

    private static async Task<Notice> CompleteAsync(NoticeRequest request, string version, string services, OperationHost host, CancellationToken cancellationToken)
    {
        var status = NoticeTemplates.HealthStatus(request.Health);
        if (request.KeyChanges is { } given)
        {
            return NoticeTemplates.Complete(version, request.Time, services, status, given, request.Environment, metrics: request.Metrics);
        }

        var excerpt = await ChangelogReader.ReadAsync(request.Folder, request.ChangelogPath, version, host, cancellationToken).ConfigureAwait(false);
        var file = Path.GetFileName(excerpt.Path);
        string? none = null;
        if (!excerpt.FileExists)
        {
            none = $"not recorded (no {file} was found).";
            host.Warning($"There is no changelog at {excerpt.Path}, so the notice says its key changes were not recorded. " +
                "Run the command in the service's repository (or pass -Path or -ChangelogPath), pipe in the section from Update-SkChangelog, or pass -KeyChanges.");
        }
        else if (!excerpt.SectionFound)
        {
            none = $"not recorded ({file} has no section for {version}).";
            host.Warning($"{excerpt.Path} has no section for {version}, so the notice says its key changes were not recorded. " +
                $"Write it with Update-SkChangelog -Version {excerpt.Version} -Commit, or pass -KeyChanges.");
        }
        else
        {
            host.Verbose($"Read the key changes of {version} from {excerpt.Path}: {excerpt.Entries.Count} entries.");
            none = excerpt.Entries.Count == 0 ? $"none ({file} lists no notable changes for {version})." : null;
        }

        return NoticeTemplates.Complete(version, request.Time, services, status, excerpt.Entries, request.Environment, none, request.Metrics);
    }
}
