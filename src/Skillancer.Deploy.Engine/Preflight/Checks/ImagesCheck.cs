namespace Skillancer.Deploy.Engine.Preflight.Checks;

/// <summary>
/// Every image exists: the registry holds {registry}/{image}:{version} for every service (the OCI distribution API), so a
/// typo'd tag or an unbuilt release fails here, before any pod goes into ImagePullBackOff.
/// </summary>
public sealed class ImagesCheck : PreflightCheck
{
    /// <inheritdoc/>
    public override PreflightItem Item => PreflightItem.Images;

    /// <inheritdoc/>
    public override string Checklist => "Every image exists in the registry";

    /// <inheritdoc/>
    public override async Task<PreflightVerdict> CheckAsync(PreflightContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.RegistryApi is not { } settings)
        {
            return PreflightVerdict.NotConfigured($"{environment.Name} has no registry section (registry: {{ url, usernameEnv, passwordEnv }}): nothing says where its images live.");
        }

        using var registry = new OciManifests(settings);
        var images = environment.Services.Select(s => $"{environment.Registry}/{s.Image}").Distinct(StringComparer.Ordinal).ToList();
        var digests = await Task.WhenAll(images.Select(name => registry.DigestAsync(name, context.Tag, cancellationToken))).ConfigureAwait(false);
        var missing = images.Where((_, i) => digests[i] is null).ToList();
        return missing.Count == 0
            ? PreflightVerdict.Passed($"The registry at {settings.Url.Authority} holds all {images.Count} images at {context.Tag}.", $"{images.Count} manifests")
            : PreflightVerdict.Failed(
                $"The registry at {settings.Url.Authority} has no {string.Join(", ", missing.Select(m => $"{m}:{context.Tag}"))}. Check the version for a typo, or build and push the release's images first.",
                $"{missing.Count} missing");
    }
}
