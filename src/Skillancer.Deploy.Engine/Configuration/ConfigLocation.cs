namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>Where in a configuration file a key sits: file, 1-based line and column, and the key's path.</summary>
public sealed record ConfigLocation(string File, long Line, long Column, string Key)
{
    /// <summary><c>/path/skdeploy.yml:12:7: environments.staging.url</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Key}";
}
