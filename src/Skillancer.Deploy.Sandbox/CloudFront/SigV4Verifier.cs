using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Sandbox.CloudFront;

/// <summary>
/// Checks an AWS Signature Version 4 the way AWS does, written from the published algorithm (not with
/// the SDK that signs, so the two check each other): the canonical request (method, path, sorted query,
/// the signed headers, the payload's SHA-256), the string to sign and the derived signing key. A wrong
/// secret, a changed body or header, and a signature older (or newer) than five minutes all fail.
/// </summary>
internal sealed class SigV4Verifier(string accessKeyId, string secretAccessKey, string region, string service)
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is signed right; otherwise the AWS error (code and message).</summary>
    public (string Code, string Message)? Verify(HttpRequest request, byte[] body, DateTimeOffset now)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return ("MissingAuthenticationToken", "Missing Authentication Token");
        }

        var parts = authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)
            ? authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return ("IncompleteSignature", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={authorization.Split(' ')[0]}");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0] != accessKeyId)
        {
            return ("InvalidClientTokenId", "The security token included in the request is invalid.");
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return ("IncompleteSignature", "The request must contain the header 'X-Amz-Date'.");
        }

        if ((now - signedAt).Duration() > Skew)
        {
            return ("SignatureDoesNotMatch",
                $"Signature expired: {amzDate} is now earlier than {(now - Skew).UtcDateTime:yyyyMMdd'T'HHmmss'Z'} ({now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'} - 5 min.)");
        }

        if (scope[1] != amzDate[..8] || scope[2] != region || scope[3] != service || scope[4] != "aws4_request")
        {
            return ("SignatureDoesNotMatch", $"Credential should be scoped to a valid region and service: {string.Join('/', scope[1..])}.");
        }

        var payloadHash = Hex(SHA256.HashData(body));
        var declared = request.Headers["x-amz-content-sha256"].ToString();
        if (declared.Length > 0 && declared != payloadHash && declared != "UNSIGNED-PAYLOAD")
        {
            return ("SignatureDoesNotMatch", "The request body does not match the x-amz-content-sha256 header.");
        }

        var headerNames = signedHeaders.Split(';');
        var canonicalHeaders = string.Concat(headerNames.Select(name => $"{name}:{HeaderValue(request, name)}\n"));
        var canonicalRequest = string.Join('\n',
            request.Method,
            CanonicalPath(request.Path.Value ?? "/"),
            CanonicalQuery(request.Query),
            canonicalHeaders,
            signedHeaders,
            declared.Length > 0 ? declared : payloadHash);
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, string.Join('/', scope[1..]), Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), scope[1]), region), service), "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    private static string HeaderValue(HttpRequest request, string name) =>
        name == "host" ? request.Host.Value ?? string.Empty : string.Join(',', request.Headers[name].Select(v => string.Join(' ', (v ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))));

    // Each segment URI-encoded, as non-S3 services do (the path arrives decoded once already).
    private static string CanonicalPath(string path) =>
        string.Join('/', path.Split('/').Select(segment => Uri.EscapeDataString(Uri.EscapeDataString(segment))));

    private static string CanonicalQuery(IQueryCollection query) =>
        string.Join('&', query.SelectMany(p => p.Value.Select(v => (Key: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(v ?? string.Empty))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
