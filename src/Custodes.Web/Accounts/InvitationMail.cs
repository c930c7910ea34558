using Custodes.Application.Accounts;
using Custodes.Application.Hosting;
using Custodes.Web.Alerting;
using MimeKit;

namespace Custodes.Web.Accounts;

/// <summary>Delivers an invitation's link: by email through the configured SMTP server, or, without one, back to the inviting owner to pass on.</summary>
/// <remarks>
/// Which of the two happens depends only on the installation's configuration, never on the invited email, so the answer to an
/// invitation says nothing about whether that email has an account here.
/// </remarks>
public sealed class InvitationMail(EmailSender email, SmtpOptions smtp, PublicAddress address, ILogger<InvitationMail> log)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>How the link went out: <see cref="Emailed"/>, or the link the owner must pass on (and why).</summary>
    public sealed record Outcome(bool Emailed, string? Link, string? Problem);

    public static string Link(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/account/invitation?token={Uri.EscapeDataString(token)}";

    /// <param name="request">The owner's request: the link shown to them points where they reached the app. Email links use the configured public URL,
    /// never the request's Host header, which a client chooses.</param>
    public async Task<Outcome> SendAsync(IssuedInvitation issued, string invitedBy, HttpRequest request, CancellationToken cancellationToken)
    {
        var shown = Link($"{request.Scheme}://{request.Host}{request.PathBase}", issued.Token);
        if (!smtp.Configured) return new Outcome(false, shown, null);
        var problem = await email.SendNowAsync(Compose(issued.Invitation, invitedBy, Link(address.Base, issued.Token)), Timeout, cancellationToken);
        if (problem is null) return new Outcome(true, null, null);
        log.LogWarning("invitation {Invitation} could not be emailed: {Problem}", issued.Invitation.Id, problem);
        return new Outcome(false, shown, problem);
    }

    public static MimeMessage Compose(Invitation invitation, string invitedBy, string link)
    {
        var message = new MimeMessage();
        message.To.Add(new MailboxAddress(null, invitation.Email));
        message.Subject = $"Invitation to join {invitation.OrganizationName} on Custodes";
        var text = $"""
            {invitedBy.Replace("api-key:", "").Replace("user:", "")} invites you to join {invitation.OrganizationName} on Custodes as {Article(invitation.Role)} {invitation.Role}.

            To accept or decline, open this link (it works once, until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):
            {link}

            If you do not know {invitation.OrganizationName}, decline or ignore this message: nothing changes for you until you accept.
            """;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private static string Article(string role) => role.Length > 0 && "aeiou".Contains(role[0]) ? "an" : "a";
}
