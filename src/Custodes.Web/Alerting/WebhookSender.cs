using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Custodes.Application.Alerting;

namespace Custodes.Web.Alerting;

/// <summary>One signed POST of a delivery's body to a webhook, and what came of it.</summary>
internal sealed class WebhookSender(TimeProvider clock, AlertingOptions options) : IDisposable
{
    // One long-lived client: connections are pooled per receiver and renewed every few minutes (DNS changes are seen).
    // Redirects are not followed: the signed alert goes to the URL the owner registered, nowhere else. Every connection goes
    // through WebhookTargets, which refuses internal addresses unless the installation allows them.
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateWebhookTargets, cancellationToken),
    }) { Timeout = Timeout.InfiniteTimeSpan };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await WebhookTargets.ResolveAsync(endpoint.Host, allowPrivate, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static readonly ProductInfoHeaderValue UserAgent = new("Custodes-Webhooks", "1");

    public async Task<AttemptResult> SendAsync(Guid deliveryId, string url, string secret, string body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), bytes));
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, deliveryId.ToString());
        // The network's time, not the installation's clock: a receiver answers in real time whatever that clock says (a fake one in tests).
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var status = (int)response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (response.IsSuccessStatusCode) return new AttemptResult(true, status, elapsed, null);
            TimeSpan? retryAfter = status is 429 or 503 ? RetryAfter(response.Headers.RetryAfter) : null;
            // 408 and 429 are the receiver asking for another try; any other 4xx (and a redirect) will answer the same again.
            var permanent = status is >= 300 and < 500 and not 408 and not 429;
            var error = status is >= 300 and < 400
                ? $"HTTP {status}: redirects are not followed; register the final URL ({response.Headers.Location})"
                : $"HTTP {status} {response.ReasonPhrase}";
            return new AttemptResult(false, status, elapsed, error, permanent, retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, null, Stopwatch.GetElapsedTime(started), $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException refused)
        {
            return new AttemptResult(false, null, Stopwatch.GetElapsedTime(started), refused.Message, Permanent: true);
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(false, null, Stopwatch.GetElapsedTime(started), e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow(),
        _ => null,
    };

    public void Dispose() => _http.Dispose();
}
