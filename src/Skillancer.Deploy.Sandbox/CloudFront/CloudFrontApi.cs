using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Skillancer.Deploy.Sandbox.CloudFront;

/// <summary>
/// CloudFront's invalidation API (version 2020-05-31) for the scenario's distributions:
/// CreateInvalidation (<c>POST /2020-05-31/distribution/{id}/invalidation</c> with an InvalidationBatch),
/// GetInvalidation (<c>GET .../invalidation/{id}</c>) and ListInvalidations (<c>GET .../invalidation</c>
/// with <c>Marker</c> and <c>MaxItems</c>: newest first, NextMarker the id of a page's last item), behind
/// real SigV4 verification against the credentials the sandbox writes. An invalidation is InProgress until
/// its delay has passed, then Completed. A repeated CallerReference with the same paths returns the first
/// invalidation, with other paths InvalidationBatchAlreadyExists, as CloudFront does. Errors are
/// CloudFront's XML.
/// </summary>
internal sealed class CloudFrontApi(SigV4Verifier verifier, IReadOnlySet<string> distributions, TimeSpan completionDelay)
{
    private static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    private const int DefaultMaxItems = 100;
    private readonly ConcurrentDictionary<string, Invalidation> _invalidations = new(StringComparer.Ordinal);
    private readonly object _creating = new();
    private long _sequence;

    public void Map(WebApplication app)
    {
        app.MapPost("/2020-05-31/distribution/{distribution}/invalidation", async (string distribution, HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            if (Refused(request, body) is { } refused) return refused;
            if (!distributions.Contains(distribution)) return Error(404, "NoSuchDistribution", "The specified distribution does not exist.");
            XElement batch;
            try
            {
                batch = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root!;
            }
            catch (System.Xml.XmlException e)
            {
                return Error(400, "MalformedInput", e.Message);
            }

            var reference = batch.Element(Ns + "CallerReference")?.Value;
            var paths = batch.Element(Ns + "Paths")?.Element(Ns + "Items")?.Elements(Ns + "Path").Select(p => p.Value).ToList() ?? [];
            var quantity = batch.Element(Ns + "Paths")?.Element(Ns + "Quantity")?.Value;
            if (batch.Name != Ns + "InvalidationBatch" || string.IsNullOrEmpty(reference) || paths.Count == 0 || quantity != paths.Count.ToString(CultureInfo.InvariantCulture))
            {
                return Error(400, "InvalidArgument", "The InvalidationBatch needs a CallerReference and Paths whose Quantity matches its Items.");
            }

            if (paths.FirstOrDefault(p => !p.StartsWith('/')) is { } bad)
            {
                return Error(400, "InvalidArgument", $"Your request contains one or more invalid invalidation paths: {bad}");
            }

            // One create at a time, so that two requests with the same reference get one invalidation, as from CloudFront.
            lock (_creating)
            {
                var existing = _invalidations.Values.FirstOrDefault(i => i.Distribution == distribution && i.CallerReference == reference);
                if (existing is not null)
                {
                    return existing.Paths.SequenceEqual(paths)
                        ? Xml(201, existing, request)
                        : Error(409, "InvalidationBatchAlreadyExists", "The CallerReference you attempted to use has already been used with a different InvalidationBatch.");
                }

                var id = "I" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10))[..13];
                var invalidation = _invalidations[id] = new Invalidation(
                    id, distribution, reference, paths, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + completionDelay, ++_sequence);
                return Xml(201, invalidation, request);
            }
        });
        app.MapGet("/2020-05-31/distribution/{distribution}/invalidation", async (string distribution, HttpRequest request) =>
        {
            if (Refused(request, await ReadAsync(request)) is { } refused) return refused;
            if (!distributions.Contains(distribution)) return Error(404, "NoSuchDistribution", "The specified distribution does not exist.");
            var maxItemsText = request.Query["MaxItems"].ToString();
            var maxItems = DefaultMaxItems;
            if (maxItemsText.Length > 0 && (!int.TryParse(maxItemsText, NumberStyles.None, CultureInfo.InvariantCulture, out maxItems) || maxItems < 1))
            {
                return Error(400, "InvalidArgument", $"MaxItems must be a positive whole number, not '{maxItemsText}'.");
            }

            var marker = request.Query["Marker"].ToString();
            var newestFirst = _invalidations.Values.Where(i => i.Distribution == distribution).OrderByDescending(i => i.Sequence).ToList();
            var start = 0;
            if (marker.Length > 0)
            {
                start = newestFirst.FindIndex(i => i.Id == marker) + 1;
                if (start == 0) return Error(400, "InvalidArgument", $"The Marker '{marker}' is not the id of an invalidation of this distribution.");
            }

            var page = newestFirst.Skip(start).Take(maxItems).ToList();
            var truncated = start + page.Count < newestFirst.Count;
            var list = new XElement(Ns + "InvalidationList",
                new XElement(Ns + "Marker", marker),
                truncated ? new XElement(Ns + "NextMarker", page[^1].Id) : null,
                new XElement(Ns + "MaxItems", maxItems),
                new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
                new XElement(Ns + "Quantity", page.Count),
                page.Count == 0 ? null : new XElement(Ns + "Items", page.Select(i => new XElement(Ns + "InvalidationSummary",
                    new XElement(Ns + "Id", i.Id),
                    new XElement(Ns + "CreateTime", Timestamp(i.Created)),
                    new XElement(Ns + "Status", Status(i))))));
            return new XmlResult(200, new XDeclaration("1.0", "UTF-8", null) + "\n" + list, null);
        });
        app.MapGet("/2020-05-31/distribution/{distribution}/invalidation/{id}", async (string distribution, string id, HttpRequest request) =>
        {
            if (Refused(request, await ReadAsync(request)) is { } refused) return refused;
            if (!distributions.Contains(distribution)) return Error(404, "NoSuchDistribution", "The specified distribution does not exist.");
            return _invalidations.TryGetValue(id, out var found) && found.Distribution == distribution
                ? Xml(200, found, null)
                : Error(404, "NoSuchInvalidation", "The specified invalidation does not exist.");
        });
    }

    private XmlResult? Refused(HttpRequest request, byte[] body) =>
        verifier.Verify(request, body, DateTimeOffset.UtcNow) is { } failure
            ? Error(failure.Code is "IncompleteSignature" ? 400 : 403, failure.Code, failure.Message)
            : null;

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static XmlResult Xml(int status, Invalidation invalidation, HttpRequest? created)
    {
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "Invalidation",
            new XElement(Ns + "Id", invalidation.Id),
            new XElement(Ns + "Status", Status(invalidation)),
            new XElement(Ns + "CreateTime", Timestamp(invalidation.Created)),
            new XElement(Ns + "InvalidationBatch",
                new XElement(Ns + "Paths",
                    new XElement(Ns + "Quantity", invalidation.Paths.Count),
                    new XElement(Ns + "Items", invalidation.Paths.Select(p => new XElement(Ns + "Path", p)))),
                new XElement(Ns + "CallerReference", invalidation.CallerReference))));
        return new XmlResult(status, document.Declaration + "\n" + document.Root, created is null ? null
            : $"{created.Scheme}://{created.Host}/2020-05-31/distribution/{invalidation.Distribution}/invalidation/{invalidation.Id}");
    }

    private static string Status(Invalidation invalidation) => DateTimeOffset.UtcNow >= invalidation.CompletesAt ? "Completed" : "InProgress";

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static XmlResult Error(int status, string code, string message) =>
        new XmlResult(status, new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", Guid.NewGuid().ToString())).ToString(), null);

    private sealed record Invalidation(
        string Id, string Distribution, string CallerReference, IReadOnlyList<string> Paths, DateTimeOffset Created, DateTimeOffset CompletesAt, long Sequence);

    // text/xml with an optional Location header, as CloudFront answers.
    private sealed class XmlResult(int status, string xml, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            context.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString();
            if (location is not null) context.Response.Headers.Location = location;
            return context.Response.WriteAsync(xml);
        }
    }
}
