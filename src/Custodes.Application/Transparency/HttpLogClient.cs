using System.Net;
using System.Text.Json;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Application.Transparency;

/// <summary>
/// A log's server over HTTP (<c>custodes serve</c> or any C2SP tlog-tiles server with the Custodes status API): what <c>attest verify --log</c>,
/// <c>log monitor</c> and the check of another installation's trust page read. Unreachable is an environment failure (exit 3).
/// </summary>
public sealed class HttpLogClient : ILogClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly long? _maxBytes;
    private readonly Uri _base;

    public HttpLogClient(string baseUrl, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _ownsClient = true;
        _base = BaseOf(baseUrl);
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("custodes-verify/1");
    }

    /// <summary>Over a client the caller configured (timeout, redirects) and keeps; no answer may exceed <paramref name="maxBytes"/>.</summary>
    public HttpLogClient(HttpClient client, string baseUrl, long maxBytes)
    {
        _http = client;
        _maxBytes = maxBytes;
        _base = BaseOf(baseUrl);
    }

    private static Uri BaseOf(string baseUrl) =>
        Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new BadInputException($"the log's address '{baseUrl}' is not an http(s) URL", path: "log");

    public async Task<string> CheckpointAsync(CancellationToken cancellationToken = default) =>
        System.Text.Encoding.UTF8.GetString(await GetAsync("log/checkpoint", cancellationToken) ?? throw Unreachable("log/checkpoint", "404: the log has no checkpoint"));

    public async Task<string> VerifierKeyAsync(CancellationToken cancellationToken = default)
    {
        var body = await GetAsync(".well-known/custodes/keys", cancellationToken) ?? throw Unreachable(".well-known/custodes/keys", "404");
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("log").GetProperty("verifier_key").GetString() ?? throw new KeyNotFoundException();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Unreachable(".well-known/custodes/keys", "no log.verifier_key in the answer");
        }
    }

    private static DateTimeOffset? Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public async Task<RemoteLetterStatus?> StatusAsync(Guid letterId, CancellationToken cancellationToken = default)
    {
        var body = await GetAsync($"api/v1/letters/{letterId}/status", cancellationToken);
        if (body is null) return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new RemoteLetterStatus(
                Text("status") ?? "unknown",
                Text("revoked_at") is { } at && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var revokedAt) ? revokedAt : null,
                Text("reason"),
                root.TryGetProperty("revocation_index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt64(out var i) ? i : null,
                Guid.TryParse(Text("superseded_by"), out var by) ? by : null,
                Time(Text("superseded_at")),
                Time(Text("expired_at")),
                Text("expiry_reason"));
        }
        catch (JsonException)
        {
            throw Unreachable($"api/v1/letters/{letterId}/status", "the answer is not JSON");
        }
    }

    public async ValueTask<byte[][]> ReadTilesAsync(Tile[] tiles, CancellationToken cancellationToken = default)
    {
        var data = new byte[tiles.Length][];
        await Parallel.ForEachAsync(Enumerable.Range(0, tiles.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            data[i] = await GetAsync("log/" + tiles[i].Path, ct) ?? throw new TileMismatchException($"the log's server has no tile {tiles[i].Path} although its checkpoint covers it"));
        return data;
    }

    public async Task<byte[]> EntryBundleAsync(Tile tile, CancellationToken cancellationToken = default) =>
        await GetAsync("log/" + tile.Path, cancellationToken) ?? throw new TileMismatchException($"the log's server has no entry bundle {tile.Path}");

    // The body, or null on 404; anything else that is not 200 means the log cannot be used.
    private async Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_base, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode) throw Unreachable(path, $"HTTP {(int)response.StatusCode}");
            if (_maxBytes is not { } max) return await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return await BoundedBody.ReadAsync(response, max, cancellationToken) ?? throw Unreachable(path, $"the answer is larger than {max:N0} bytes");
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(path, e.Message);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(path, $"no answer in {_http.Timeout.TotalSeconds:0} s ({e.Message})");
        }
    }

    private EnvironmentFailureException Unreachable(string path, string why) => new($"{LogErrors.Unreachable}: cannot use the log at {new Uri(_base, path)}: {why}");

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}

/// <summary>Reads a response body up to a limit, never more: a remote server cannot make this one buffer without bound.</summary>
public static class BoundedBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes) return null;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
