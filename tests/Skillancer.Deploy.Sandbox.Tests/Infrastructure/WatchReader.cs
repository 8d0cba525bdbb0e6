using System.Text.Json.Nodes;

namespace Skillancer.Deploy.Sandbox.Tests.Infrastructure;

/// <summary>Reads a watch response line by line: each line one {type, object} event.</summary>
public sealed class WatchReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private WatchReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<WatchReader> OpenAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return new WatchReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync()
    {
        var line = await _reader.ReadLineAsync(_timeout.Token);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>Events until one satisfies <paramref name="until"/>, which is returned last.</summary>
    public async Task<List<JsonObject>> ReadUntilAsync(Func<JsonObject, bool> until)
    {
        var events = new List<JsonObject>();
        while (await NextAsync() is { } next)
        {
            events.Add(next);
            if (until(next))
            {
                return events;
            }
        }

        throw new InvalidOperationException($"the watch ended after {events.Count} events without the one awaited");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await _timeout.CancelAsync();
        _timeout.Dispose();
    }
}
