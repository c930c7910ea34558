using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Custodes.Testing;

/// <summary>A message the sink accepted: the envelope (MAIL FROM, RCPT TO) and the DATA as sent (dot-unstuffed).</summary>
public sealed record SmtpMessage(string From, IReadOnlyList<string> Recipients, string Data, string? User);

/// <summary>A tiny SMTP server on 127.0.0.1 (random port) that records what it is sent: EHLO/HELO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.</summary>
/// <remarks>No TLS: configure the client for a plain connection. Enough of RFC 5321 for a real client (MailKit) to deliver to it.</remarks>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentQueue<SmtpMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public IReadOnlyCollection<SmtpMessage> Messages => _messages;

    /// <summary>Waits for the next message, or fails after <paramref name="timeout"/>.</summary>
    public async Task<SmtpMessage> NextAsync(TimeSpan timeout)
    {
        if (!await _arrived.WaitAsync(timeout)) throw new TimeoutException($"no message reached the SMTP sink within {timeout}");
        lock (_seen) return _seen.Dequeue();
    }

    private readonly Queue<SmtpMessage> _seen = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string? from = null;
        string? user = null;
        var recipients = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 sink.test ESMTP Custodes test sink");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink.test");
                        await writer.WriteLineAsync("250-AUTH PLAIN");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 sink.test");
                        break;
                    case "AUTH":
                        var parts = line.Split(' ');
                        var token = parts.Length > 2 ? parts[2] : await AskAsync(writer, reader);
                        user = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\0') is { Length: 3 } plain ? plain[1] : null;
                        await writer.WriteLineAsync(user is null ? "535 5.7.8 bad credentials" : "235 2.7.0 accepted");
                        break;
                    case "MAIL":
                        from = Address(line);
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 ok");
                        break;
                    case "RCPT":
                        recipients.Add(Address(line));
                        await writer.WriteLineAsync("250 2.1.5 ok");
                        break;
                    case "DATA":
                        if (from is null || recipients.Count == 0)
                        {
                            await writer.WriteLineAsync("503 5.5.1 MAIL FROM and RCPT TO first");
                            break;
                        }
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        var message = new SmtpMessage(from, recipients.ToArray(), data.ToString(), user);
                        _messages.Enqueue(message);
                        lock (_seen) _seen.Enqueue(message);
                        _arrived.Release();
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        from = null;
                        recipients.Clear();
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 ok");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 ok");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task<string> AskAsync(StreamWriter writer, StreamReader reader)
    {
        await writer.WriteLineAsync("334 ");
        return await reader.ReadLineAsync() ?? "";
    }

    // "MAIL FROM:<a@b> SIZE=123" → a@b
    private static string Address(string line)
    {
        var start = line.IndexOf('<');
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':') + 1)..].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
