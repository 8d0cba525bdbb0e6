using System.Management.Automation;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Hosting;

/// <summary>Lets a TimeSpan parameter take the configuration's duration forms too: 30s, 5m, 1h30m, 250ms, or a number of seconds.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            TimeSpan span => span,
            // 30s in PowerShell 7 is the number 30 of type short: every number counts as seconds.
            byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
                TimeSpan.FromSeconds(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
            string text when DurationParser.TryParse(text, out var duration) => duration,
            string text when double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not {DurationParser.AcceptedForms}."),
        };
    }
}
