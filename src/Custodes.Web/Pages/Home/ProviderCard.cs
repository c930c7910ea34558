using Custodes.Web.Words;
using Custodes.Application.Home;
using Custodes.SupplyChain;

namespace Custodes.Web.Pages.Home;

/// <summary>One provider on a customer's home page: the verdict in one sentence, what it means for the practice, and what to ask.</summary>
/// <param name="Tone">ok, warn or bad: the card's colour, repeated in words by <paramref name="Label"/>.</param>
public sealed record ProviderCard(ProviderVerdict Provider, string Label, string Tone, string Verdict, string Meaning, IReadOnlyList<string> Ask)
{
    /// <summary>Builds the card from the provider's verdict; <paramref name="customer"/> names the practice in the sentences.</summary>
    public static ProviderCard From(ProviderVerdict p, string customer, DataClasses? data)
    {
        var name = p.Name;
        // The same labels as the provider list and form ("Runs for you", "Access"), so the practice reads one set of words everywhere.
        var does = p.Services == Services.None ? "" : $" What it runs for you: {PlainWords.ServiceNames(p.Services)}.";
        var reach = p.Access == AccessLevels.None ? "" : $" Its access: {PlainWords.AccessNames(p.Access)}.";
        var role = does + reach;
        var patients = data is { } d && d.HasFlag(DataClasses.Phi) ? " Your patients' health records (PHI) are within its reach." : "";
        switch (p.Standing)
        {
            case ProviderStanding.Assessed:
            {
                var verdict = $"{name}: independently assessed {Date(p.AssessedOn)} by {p.Issuer}, letter valid until {(p.ValidUntil is { } v ? PlainWords.Month(v) : "an unstated date")}";
                if (p.OpenFixes is > 0 && p.Requirements is { } total)
                    verdict += $" — {p.OpenFixes} of {total} controls still being fixed{(p.FixesDue is { } due ? $", due {PlainWords.LongMonth(due)}" : "")}";
                else if (p.NotMet is > 0 && p.Requirements is { } all)
                    verdict += $" — {p.NotMet} of {all} controls not yet in place";
                else if (p.Requirements is { } every)
                    verdict += $" — all {every} controls in place";
                var meaning = $"An independent assessor firm checked how {name} protects itself and the access it holds, against the US government's NIST SP 800-171 standard.{role}{patients}"
                    + (p.Covers > 0 ? $" While the letter is valid, the {p.Covers} safeguards {name} runs for {customer} count as done in {customer}'s own assessment." : "");
                var ask = new List<string>();
                if (p.OpenFixes is > 0) ask.Add($"How are the {p.OpenFixes} fixes going{(p.FixesDue is { } d2 ? $", and will they be finished by {PlainWords.LongMonth(d2)}" : "")}?");
                ask.Add($"Who at {name} can reach our computers, and do they all use two-step sign-in?");
                ask.Add("How quickly will you tell us about a security incident that touches our computers or data?");
                if (p.ValidUntil is { } until) ask.Add($"Will you be reassessed before the letter ends in {PlainWords.Month(until)}?");
                return new ProviderCard(p, "Independently assessed", "ok", verdict + ".", meaning, ask);
            }
            case ProviderStanding.Revoked:
                return new ProviderCard(p, "Letter withdrawn", "bad",
                    $"{name}: its independent assessment letter was withdrawn by {p.Issuer}{(p.RevokedAt is { } r ? $" on {PlainWords.Day(r)}" : "")}{(p.RevocationReason is { Length: > 0 } why ? $" (reason given: {why})" : "")}.",
                    $"You can no longer rely on that assessment.{role}{patients} The safeguards {name} runs for {customer} no longer count in {customer}'s own assessment, and answers to your insurer that leaned on the letter may be out of date.",
                    [$"Why did {p.Issuer} withdraw your letter, and what are you doing about it?", "When will an independent firm assess you again?", "Until then, what has changed in how you protect our computers?"]);
            case ProviderStanding.Expired:
                return new ProviderCard(p, "Letter ended", "bad",
                    $"{name}: its independent assessment letter from {p.Issuer} ended{(p.ValidUntil is { } e ? $" in {PlainWords.Month(e)}" : "")}.",
                    $"The assessment is no longer current.{role}{patients} The safeguards {name} runs for {customer} no longer count in {customer}'s own assessment until a new letter is issued.",
                    ["When is your next independent assessment scheduled?", "Can you share the new letter, or your trust page, when it is issued?"]);
            case ProviderStanding.Unverified:
                return new ProviderCard(p, "Letter not verified", "bad",
                    $"{name}: a letter about it is on file, but its signature could not be checked here.",
                    $"Treat it as if there were no letter until it checks out.{role}{patients}",
                    ["Please send the letter's verification link from your assessor firm."]);
            case ProviderStanding.NoLetter:
                return new ProviderCard(p, "No assessment on file", "warn",
                    $"{name}: no independent assessment on file.",
                    $"Nothing here shows that an independent firm has checked {name}.{role}{patients}",
                    ["Has an independent firm assessed you against NIST SP 800-171 or CMMC? Please share the letter or your trust page.",
                     $"Who at {name} can reach our computers, and do they all use two-step sign-in?"]);
            default:
                return new ProviderCard(p, "Not connected", "warn",
                    $"{name}: not connected to an account here, so no assessment can be checked.",
                    $"{name} is on your list of providers, but not linked to its own account here.{role}{patients}",
                    [$"Does {name} have a trust page we can link to?", "Has an independent firm assessed you against NIST SP 800-171 or CMMC?"]);
        }
    }

    private static string Date(DateOnly? day) => day is { } d ? PlainWords.Day(d) : "(date not stated)";
}
