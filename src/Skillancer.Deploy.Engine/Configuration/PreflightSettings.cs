namespace Skillancer.Deploy.Engine.Configuration;

/// <summary>The pre-deployment checklist's settings (<c>preflight</c>, usually under <c>defaults</c>).</summary>
/// <param name="NoticeWithin">"Stakeholders notified": a notice sent this recently counts (<c>preflight.noticeWithin</c>, default 24h).</param>
/// <param name="Attest">Items that only a person can answer here: they pass only when attested (<c>preflight.attest</c>).</param>
public sealed record PreflightSettings(TimeSpan NoticeWithin, IReadOnlyList<string> Attest)
{
    /// <summary>24 hours, nothing attested beyond what no system can answer.</summary>
    public static PreflightSettings Default { get; } = new(TimeSpan.FromHours(24), []);
}
