using System.Text;
using Custodes.Application.Alerting;
using Custodes.Watch.Events;
using MimeKit;

namespace Custodes.Web.Alerting;

/// <summary>The alert email: a plain-text part and the same facts as HTML, with the link to the alert's page.</summary>
internal static class AlertEmail
{
    public static MimeMessage Compose(AlertEnvelope envelope, MailboxAddress from, MailboxAddress to)
    {
        var alert = envelope.Alert;
        var test = envelope.Type == AlertEnvelope.Test;
        var severity = alert.Severity.ToString().ToUpperInvariant();
        var message = new MimeMessage
        {
            Subject = $"[Custodes{(test ? " test" : "")}] {severity} {alert.Rule} at {alert.MspName}{(alert.Actor is null ? "" : $": {alert.Actor}")}",
            Date = envelope.Created,
            MessageId = $"{envelope.Id}@custodes",
        };
        message.From.Add(from);
        message.To.Add(to);
        message.Headers.Add(WebhookSignature.DeliveryHeader, envelope.Id.ToString());
        var facts = Facts(alert);
        var body = new BodyBuilder { TextBody = Text(alert, facts, test), HtmlBody = Html(alert, facts, test) };
        message.Body = body.ToMessageBody();
        return message;
    }

    private static List<(string Name, string Value)> Facts(AlertNotice alert)
    {
        var facts = new List<(string, string)>
        {
            ("Rule", alert.Rule),
            ("Severity", alert.Severity.ToString().ToLowerInvariant()),
            ("MSP", alert.MspName),
            ("Actor", alert.Actor ?? "unknown"),
            ("Tenants", alert.Tenants.Count == 0 ? "none named" : $"{alert.Tenants.Count}: {string.Join(", ", alert.Tenants.Take(20))}{(alert.Tenants.Count > 20 ? ", …" : "")}"),
            ("First seen", EventJson.FormatTime(alert.FirstSeen)),
            ("Last seen", EventJson.FormatTime(alert.LastSeen)),
            ("Events", alert.EventCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (alert.Subject is not null) facts.Add(("About", alert.Subject));
        return facts;
    }

    private static string Text(AlertNotice alert, List<(string Name, string Value)> facts, bool test)
    {
        var text = new StringBuilder();
        if (test) text.AppendLine("This is a test: no such alert was raised.").AppendLine();
        text.AppendLine(alert.Summary).AppendLine();
        foreach (var (name, value) in facts) text.Append(name).Append(": ").AppendLine(value);
        text.AppendLine().Append("See the alert and the events behind it: ").AppendLine(alert.Link);
        return text.ToString();
    }

    private static string Html(AlertNotice alert, List<(string Name, string Value)> facts, bool test) =>
        Views.RazorHtml.Render<Views.AlertEmailBody>(new Dictionary<string, object?>
        {
            [nameof(Views.AlertEmailBody.Summary)] = alert.Summary,
            [nameof(Views.AlertEmailBody.Facts)] = (IReadOnlyList<(string Name, string Value)>)facts,
            [nameof(Views.AlertEmailBody.Link)] = alert.Link,
            [nameof(Views.AlertEmailBody.Test)] = test,
        });
}
