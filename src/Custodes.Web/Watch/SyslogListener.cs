using System.Net;
using System.Net.Sockets;
using System.Text;
using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Web.Watch;

/// <summary>
/// Receives syslog (RFC 5424 or RFC 3164, parsed by the <c>syslog</c> format) on a loopback address, over UDP (one message
/// per datagram) and TCP (RFC 6587 octet counting or non-transparent framing, see <see cref="SyslogTcpFramer"/>), for one configured MSP, into the same
/// ingestion queue as the API. What it has read is committed to the inbox before it handles more of that connection (or
/// socket): syslog acknowledges nothing, so the listener's promise is that nothing it read is lost once committed, and that
/// it stops reading (TCP makes the sender wait) rather than drop. Loopback only: a forwarder on the host (rsyslog,
/// syslog-ng) relays the network's logs.
/// </summary>
internal sealed class SyslogListener(IngestionQueue queue, WatchMspStore msps, WatchOptions options, ILogger<SyslogListener> log) : BackgroundService
{
    private const int MaxLines = 1000;
    private const int MaxMessageBytes = 64 * 1024;

    /// <summary>Parses <c>host:port</c> and refuses anything but a loopback address.</summary>
    public static IPEndPoint ParseEndpoint(string text)
    {
        if (!IPEndPoint.TryParse(text.Trim(), out var endpoint) || endpoint.Port == 0 && !text.TrimEnd().EndsWith(":0", StringComparison.Ordinal))
            throw new BadInputException($"--syslog '{text}' is not an address and port such as 127.0.0.1:5514");
        if (!IPAddress.IsLoopback(endpoint.Address))
            throw new BadInputException($"--syslog {text}: the syslog listener only listens on a loopback address (127.0.0.1 or [::1]); relay remote logs through the host's syslog daemon");
        return endpoint;
    }

    /// <summary>Where the listener is bound once started (for a port 0 configuration).</summary>
    public IPEndPoint? UdpEndpoint { get; private set; }
    public IPEndPoint? TcpEndpoint { get; private set; }

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once both sockets are bound.</summary>
    public Task Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Syslog)) return;
        var endpoint = ParseEndpoint(options.Syslog);
        var msp = options.SyslogMsp ?? throw new BadInputException("the syslog listener needs the MSP whose events it receives (--syslog-msp)");
        var profile = await msps.EnsureAsync(msp, stoppingToken);
        var read = new ReadOptions { Msp = profile.EventName, Refuse = profile.Refuse };

        using var udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(endpoint);
        UdpEndpoint = (IPEndPoint)udp.LocalEndPoint!;
        var tcp = new TcpListener(endpoint.Address, endpoint.Port == 0 ? 0 : endpoint.Port);
        tcp.Start();
        TcpEndpoint = (IPEndPoint)tcp.LocalEndpoint;
        _started.TrySetResult();
        log.LogInformation("syslog: listening on udp {Udp} and tcp {Tcp} for MSP {Msp}", UdpEndpoint, TcpEndpoint, profile.EventName);
        try
        {
            await Task.WhenAll(ReceiveUdpAsync(udp, msp, read, stoppingToken), AcceptTcpAsync(tcp, msp, read, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            tcp.Stop();
        }
    }

    private async Task ReceiveUdpAsync(Socket socket, Guid msp, ReadOptions read, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        var pending = new StringBuilder();
        var lines = 0;
        long datagram = 0;
        var from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            var receive = socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken);
            // Whenever the next datagram is not already there, what came so far is parsed and queued.
            if (!receive.IsCompleted && lines > 0)
            {
                await QueueAsync(msp, read, $"syslog udp {socket.LocalEndPoint}", pending, datagram - lines, cancellationToken);
                lines = 0;
            }
            var result = await receive;
            datagram++;
            var text = Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes).TrimEnd('\r', '\n', '\0').Replace('\n', ' ');
            pending.Append(text).Append('\n');
            if (++lines >= MaxLines)
            {
                await QueueAsync(msp, read, $"syslog udp {socket.LocalEndPoint}", pending, datagram - lines, cancellationToken);
                lines = 0;
            }
        }
    }

    private async Task AcceptTcpAsync(TcpListener listener, Guid msp, ReadOptions read, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            connections.RemoveAll(t => t.IsCompleted);
            connections.Add(ReceiveTcpAsync(client, msp, read, cancellationToken));
        }
        await Task.WhenAll(connections);
    }

    private async Task ReceiveTcpAsync(TcpClient client, Guid msp, ReadOptions read, CancellationToken cancellationToken)
    {
        using var _ = client;
        var name = $"syslog tcp {client.Client.RemoteEndPoint}";
        var frames = new SyslogTcpFramer(client.GetStream(), MaxMessageBytes);
        var pending = new StringBuilder();
        long line = 0;
        var lines = 0;
        try
        {
            while (true)
            {
                var next = frames.NextAsync(cancellationToken);
                if (!next.IsCompleted && lines > 0)
                {
                    await QueueAsync(msp, read, name, pending, line - lines, cancellationToken);
                    lines = 0;
                }
                var text = await next;
                if (text is null) break;
                line++;
                pending.Append(text).Append('\n');
                if (++lines >= MaxLines)
                {
                    await QueueAsync(msp, read, name, pending, line - lines, cancellationToken);
                    lines = 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            // The messages received before the break are sound: they are still queued below.
            log.LogWarning("syslog: connection {Name} ended after message {Line}: {Message}", name, line, e.Message);
        }
        if (lines > 0) await QueueAsync(msp, read, name, pending, line - lines, cancellationToken);
    }

    // Parses the gathered messages with the syslog format; line numbers count from the connection's (or socket's) first message.
    private async Task QueueAsync(Guid msp, ReadOptions read, string source, StringBuilder pending, long firstLine, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(pending.ToString());
        pending.Clear();
        var quarantined = new List<QuarantineEntry>();
        var quarantine = new Quarantine(e => quarantined.Add(e with { Line = e.Line + firstLine }), keep: 0);
        var events = new List<WatchEvent>();
        using (var stream = new MemoryStream(bytes))
            events.AddRange(new EventReader(EventFormats.Get("syslog"), read, quarantine).Read(stream, source));
        // Durable before the caller reads on: what the listener has read and acknowledged by reading further is never lost.
        if (events.Count > 0 || quarantined.Count > 0) await queue.AcceptAsync(new IngestItem(msp, events, quarantined), cancellationToken);
    }
}
