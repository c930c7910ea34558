using System.Threading.Channels;
using Custodes.Application.Hosting;
using Custodes.Web.Alerting;
using MimeKit;

namespace Custodes.Web.Accounts;

/// <summary>
/// Account email (sign-up confirmation, password reset) through the installation's SMTP server (<c>Custodes:Smtp</c>, as alert email).
/// Messages are queued and sent in the background, so a page answers in the same time whether or not it sent one — the answer never
/// tells which emails have accounts. Links point at the installation's public address (<c>Custodes:PublicUrl</c>), never at the request's Host header, which a
/// requester controls. A message that cannot be sent is logged; the person asks again.
/// </summary>
public sealed class AccountMail(EmailSender email, SmtpOptions smtp, PublicAddress address, ILogger<AccountMail> log) : BackgroundService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Channel<MimeMessage> _queue = Channel.CreateBounded<MimeMessage>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Configured => smtp.Configured;

    /// <summary>An absolute link to a page of this installation.</summary>
    public string Link(string pathAndQuery) => address.Link(pathAndQuery);

    public void Send(string to, string subject, string text)
    {
        if (!Configured) throw new InvalidOperationException("SMTP is not configured");
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(new MailboxAddress(null, to));
        if (!_queue.Writer.TryWrite(message)) log.LogWarning("account email queue full; a message to {To} was dropped", to);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                if (await email.SendNowAsync(message, Timeout, stoppingToken) is not { } problem) break;
                log.LogWarning("account email to {To} failed (attempt {Attempt} of 3): {Problem}", message.To, attempt, problem);
                if (attempt < 3) await Task.Delay(TimeSpan.FromSeconds(2 * attempt), stoppingToken);
            }
        }
    }
}
