using Custodes.Web.Words;
using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;

namespace Custodes.Web.SupplyChain;

/// <summary>One provider's standing in a sentence: whether an independent assessor checked it and whether that still counts.</summary>
/// <param name="Tone">A CSS class: <c>good</c>, <c>warn</c> or <c>bad</c>.</param>
public sealed record ProviderVerdict(string Headline, string Detail, string Tone)
{
    public static ProviderVerdict Of(string name, ProviderLetter? letter, DateOnly today)
    {
        if (letter is null)
            return new("Not independently assessed.", $"No assessor's letter about {name} is held here: ask them for one, or link their trust page if they publish one.", "warn");
        var l = letter.Letter;
        var state = letter.State;
        var assessed = state.AssessedOn is { } on ? $"assessed {on:d MMM yyyy} by {l.Issuer}" : $"assessed by {l.Issuer}";
        var score = l.Score is { } s ? $" Score {s} of 110." : "";
        return state.Check(today) switch
        {
            InheritanceCause.Holds => new("Independently assessed.", $"{Capital(assessed)}; letter valid until {l.ValidUntil:d MMM yyyy}.{score}", "good"),
            InheritanceCause.LetterRevoked => new("Its letter was revoked.",
                $"{l.Issuer} withdrew the letter{(l.RevokedAt is { } at ? $" on {at:d MMM yyyy}" : "")}{(l.RevocationReason is { } why ? $" (reason given: {why})" : "")}. What {name} took care of for you no longer counts until a new letter is issued.", "bad"),
            InheritanceCause.LetterExpired => new("Its letter has expired.", $"The letter ({assessed}) ran out on {l.ValidUntil:d MMM yyyy}. Ask {name} for a new assessment.", "bad"),
            _ => new("Its letter cannot be relied on.", $"The letter ({assessed}) does not check out here: {PlainWords.Cause(state.Check(today))}.", "bad"),
        };
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
