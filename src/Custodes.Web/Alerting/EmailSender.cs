using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Custodes.Application.Alerting;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Custodes.Web.Alerting;

/// <summary>Sends email through the configured SMTP server (a new connection per message): a delivery's (alert or trust notice), or an account message now.</summary>
public sealed class EmailSender(SmtpOptions options)
{
    public async Task<AttemptResult> SendAsync(string payload, string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var envelope = JsonSerializer.Deserialize<AlertEnvelope>(payload, Common.Json.Options)
            ?? throw new InvalidOperationException("an empty delivery payload");
        return await SendAsync(from => AlertEmail.Compose(envelope, from, new MailboxAddress(null, address)), timeout, cancellationToken);
    }

    /// <summary>Sends one delivery's message, composed for the configured sender, and says what came of it (retried by the outbox when it failed).</summary>
    public async Task<AttemptResult> SendAsync(Func<MailboxAddress, MimeMessage> compose, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (!options.Configured)
            return new AttemptResult(false, null, TimeSpan.Zero, $"SMTP is not configured: set {SmtpOptions.Section}:Host (README, Configuration)", Permanent: true);
        if (!MailboxAddress.TryParse(options.From, out var from))
            return new AttemptResult(false, null, TimeSpan.Zero, $"{SmtpOptions.Section}:From '{options.From}' is not an email address", Permanent: true);
        var message = compose(from);
        try
        {
            await TransmitAsync(message, timeout, cancellationToken);
            return new AttemptResult(true, 250, Stopwatch.GetElapsedTime(started), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, null, Stopwatch.GetElapsedTime(started), $"the SMTP server did not finish within {timeout.TotalSeconds:0.###} s");
        }
        catch (SmtpCommandException e)
        {
            // 5xx replies are permanent (unknown mailbox, policy refusal); 4xx ones are the server asking to try later.
            var code = (int)e.StatusCode;
            return new AttemptResult(false, code, Stopwatch.GetElapsedTime(started), $"SMTP {code}: {e.Message}", Permanent: code >= 500);
        }
        catch (Exception e) when (e is SmtpProtocolException or AuthenticationException or SslHandshakeException or ServiceNotConnectedException
                                     or IOException or SocketException or NotSupportedException)
        {
            return new AttemptResult(false, null, Stopwatch.GetElapsedTime(started), $"SMTP {options.Host}:{options.Port}: {e.Message}");
        }
    }

    /// <summary>Sends one composed message now, not through the alert outbox (account email); the error when it could not.</summary>
    public async Task<string?> SendNowAsync(MimeMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!options.Configured) return $"SMTP is not configured: set {SmtpOptions.Section}:Host";
        if (!MailboxAddress.TryParse(options.From, out var from)) return $"{SmtpOptions.Section}:From '{options.From}' is not an email address";
        message.From.Clear();
        message.From.Add(from);
        try
        {
            await TransmitAsync(message, timeout, cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the SMTP server did not finish within {timeout.TotalSeconds:0.###} s";
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
                                     or ServiceNotConnectedException or IOException or SocketException or NotSupportedException)
        {
            return $"SMTP {options.Host}:{options.Port}: {e.Message}";
        }
    }

    // The one place a message leaves for the SMTP server: a new connection per message, the whole exchange within the timeout.
    private async Task TransmitAsync(MimeMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        await client.ConnectAsync(options.Host!, options.Port, Security(options.Security), attempt.Token);
        if (!string.IsNullOrEmpty(options.Username)) await client.AuthenticateAsync(options.Username, options.Password ?? "", attempt.Token);
        await client.SendAsync(message, attempt.Token);
        await client.DisconnectAsync(quit: true, attempt.Token);
    }

    private static SecureSocketOptions Security(string security) => security.ToLowerInvariant() switch
    {
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.StartTlsWhenAvailable,
        "none" => SecureSocketOptions.None,
        _ => throw new InvalidOperationException($"{SmtpOptions.Section}:Security is '{security}'; expected starttls, tls, auto or none"),
    };
}
