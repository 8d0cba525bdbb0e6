namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>Something in the configuration that does not stop the command, such as an unknown key.</summary>
public sealed record ConfigWarning(ConfigLocation Location, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Location}: {Message}";
}
