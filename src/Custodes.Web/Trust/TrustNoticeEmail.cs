using Custodes.Application.Trust;
using Custodes.Web.Alerting;
using MimeKit;

namespace Custodes.Web.Trust;

/// <summary>
/// The mail of trust-page subscriptions, in plain words for whoever subscribed (a customer's office manager, an insurer): the
/// confirmation, the "already subscribed" reminder and each notice, every one with its unsubscribe link. Plain text only: nothing
/// in them needs more, and nothing in them can then be made to look like something else.
/// </summary>
internal static class TrustNoticeEmail
{
    public static MimeMessage Compose(TrustNotices.Sent notice, MailboxAddress from, MailboxAddress to)
    {
        var (subject, headline) = notice.Event switch
        {
            TrustNotices.Revoked => ($"{notice.Organization}: a letter of attestation was withdrawn", $"{notice.Issuer} withdrew (revoked) its letter of attestation for {notice.Organization}."),
            TrustNotices.Expired => ($"{notice.Organization}: a letter of attestation expired", $"The letter of attestation {notice.Issuer} issued for {notice.Organization} is no longer in force: it expired."),
            TrustNotices.Superseded => ($"{notice.Organization}: a letter of attestation was replaced", $"{notice.Issuer} replaced its letter of attestation for {notice.Organization} with a newer one."),
            _ => ($"{notice.Organization}: a new letter of attestation", $"{notice.Issuer} issued a new letter of attestation for {notice.Organization}."),
        };
        var message = Message(from, to, subject, notice.UnsubscribeUrl);
        message.MessageId = $"{notice.Id}@custodes";
        message.Headers.Add(WebhookSignature.DeliveryHeader, notice.Id.ToString());
        var lines = new List<string> { headline, "" };
        if (notice.Reason is not null) lines.AddRange([$"Why: {notice.Reason}", ""]);
        lines.Add($"When: {notice.At.Replace('T', ' ').TrimEnd('Z')} UTC");
        lines.Add($"Framework: {notice.Framework}{(notice.Score is { } score ? $", score {score}" : "")}");
        lines.AddRange(["", $"See every letter of {notice.Organization}, with dates and reasons, on its trust page:", notice.PageUrl, "",
            "The letter itself, and the file anyone can check with 'custodes attest verify':", notice.LetterUrl, notice.BundleUrl]);
        message.Body = new TextPart("plain") { Text = string.Join('\n', lines) + Footer(notice.Organization, notice.UnsubscribeUrl) };
        return message;
    }

    /// <summary>The double opt-in: nothing is sent to the address until the link is opened.</summary>
    public static MimeMessage Confirmation(string organization, string confirmUrl, MailboxAddress to)
    {
        var message = Message(null, to, $"Confirm: news of {organization}'s letters of attestation", null);
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Someone (we hope you) asked to be told by email when a letter of attestation for {organization} is issued, replaced, withdrawn or expires.

                To confirm, open this link and press the button (it works for 48 hours):
                {confirmUrl}

                If it was not you, ignore this message: nothing more is sent to this address.
                """,
        };
        return message;
    }

    /// <summary>What an address already subscribed receives when it is subscribed again (the form's answer never tells the difference).</summary>
    public static MimeMessage AlreadySubscribed(string organization, string unsubscribeUrl, MailboxAddress to)
    {
        var message = Message(null, to, $"You already receive news of {organization}'s letters of attestation", unsubscribeUrl);
        message.Body = new TextPart("plain")
        {
            Text = $"Someone (we hope you) asked again to be told by email about {organization}'s letters of attestation. This address already receives that news: nothing changed."
                + Footer(organization, unsubscribeUrl),
        };
        return message;
    }

    private static MimeMessage Message(MailboxAddress? from, MailboxAddress to, string subject, string? unsubscribeUrl)
    {
        var message = new MimeMessage { Subject = subject };
        if (from is not null) message.From.Add(from);
        message.To.Add(to);
        if (unsubscribeUrl is not null)
        {
            // RFC 8058 one-click unsubscribe: the mail program posts to the link; the token in it is the authority.
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return message;
    }

    private static string Footer(string organization, string unsubscribeUrl) =>
        $"\n\n--\nYou receive this because this address subscribed to {organization}'s trust page. To stop, open:\n{unsubscribeUrl}\n";
}
