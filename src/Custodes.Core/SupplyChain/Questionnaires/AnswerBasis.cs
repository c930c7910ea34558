using Custodes.Catalogs;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>The kinds of fact a signed questionnaire's answers rest on.</summary>
public static class BasisKinds
{
    /// <summary>The organization's own letter attesting the assessment answered from; value: its status (valid, revoked, expired, superseded, unknown).</summary>
    public const string Letter = "letter";
    /// <summary>A provider's current letter; value: <c>&lt;letter id&gt; &lt;inheritance cause&gt;</c>, or <c>none</c>.</summary>
    public const string ProviderLetter = "provider-letter";
    /// <summary>The score in a provider's current letter; value: the score, or <c>none</c>.</summary>
    public const string ProviderScore = "provider-score";
    /// <summary>What a provider covers for the organization in its portfolio; value: <c>3.5.3 shared, 3.8.9 provider</c> in catalog order.</summary>
    public const string ProviderCoverage = "provider-coverage";
}

/// <summary>One fact a signed questionnaire rested on, as it was at sign-off, and the questions whose answers rest on it.</summary>
/// <param name="Subject">The letter id (own letter) or the provider's id in the portfolio.</param>
/// <param name="Name">The provider's name, for people.</param>
public sealed record BasisFact(string Kind, string Subject, string Value, IReadOnlyList<string> Questions, string? Name = null);

/// <summary>A fact that changed since sign-off: what it was, what it is, the questions whose answers it affects, and why, in plain words.</summary>
public sealed record StaleFact(string Kind, string Subject, string? Name, string Before, string After, IReadOnlyList<string> Questions, string Why);

/// <summary>What a questionnaire's answers rest on, and which of those facts changed since it was signed (the questionnaire is then out of date).</summary>
/// <remarks>
/// The organization's own letter props up the answers that assert something (yes or partial): a revoked letter does not make a "no"
/// wrong. A provider's letter, its score and what it covers prop up the answers mapping to a requirement the provider covers. A change
/// counts only when an answer rests on it; a provider that starts covering a requirement after sign-off counts too (its answers now read
/// differently), its letter and score do not on their own.
/// </remarks>
public static class AnswerBasis
{
    public const string None = "none";

    /// <summary>The questions answered yes or partial (the final answer, else the proposed one).</summary>
    public static IReadOnlyList<string> Asserted(QuestionnaireResponse questionnaire) =>
        [.. questionnaire.Answers.Where(a => (a.Final ?? a.Proposed) is Answer.Yes or Answer.Partial).Select(a => a.QuestionId)];

    /// <summary>The questions mapping to any of the requirements (an objective counts as its requirement).</summary>
    public static IReadOnlyList<string> QuestionsOn(QuestionnaireResponse questionnaire, IReadOnlySet<string> requirements, Catalog catalog) =>
        [.. questionnaire.Answers.Where(a => a.MapsTo.Any(id => requirements.Contains(catalog.FindObjective(id)?.RequirementId ?? id))).Select(a => a.QuestionId)];

    /// <summary>The facts that changed between sign-off and now, and the questions each affects.</summary>
    public static IReadOnlyList<StaleFact> Compare(IReadOnlyList<BasisFact> signed, IReadOnlyList<BasisFact> current)
    {
        var now = new Dictionary<(string, string), BasisFact>();
        foreach (var f in current) now[(f.Kind, f.Subject)] = f;
        var then = signed.Select(f => (f.Kind, f.Subject)).ToHashSet();
        var stale = new List<StaleFact>();
        foreach (var before in signed)
        {
            now.TryGetValue((before.Kind, before.Subject), out var after);
            var value = after?.Value ?? None;
            if (value == before.Value) continue;
            IReadOnlyList<string> questions = before.Kind == BasisKinds.ProviderCoverage && after is not null
                ? [.. before.Questions.Union(after.Questions, StringComparer.Ordinal)]
                : before.Questions;
            if (questions.Count == 0) continue;
            var name = before.Name ?? after?.Name;
            stale.Add(new StaleFact(before.Kind, before.Subject, name, before.Value, value, questions, Why(before.Kind, name ?? before.Subject, before.Value, value)));
        }
        foreach (var added in current.Where(f => f.Kind == BasisKinds.ProviderCoverage && !then.Contains((f.Kind, f.Subject)) && f.Questions.Count > 0))
            stale.Add(new StaleFact(added.Kind, added.Subject, added.Name, None, added.Value, added.Questions, Why(added.Kind, added.Name ?? added.Subject, None, added.Value)));
        return stale;
    }

    /// <summary>Why a change makes answers out of date, in words an office manager follows.</summary>
    public static string Why(string kind, string name, string before, string after) => kind switch
    {
        BasisKinds.Letter => $"your own attestation letter was {LetterWords(before)} when the questionnaire was signed and is now {LetterWords(after)}",
        BasisKinds.ProviderLetter => $"{name}'s attestation letter: {ProviderLetterWords(before)} when the questionnaire was signed, now {ProviderLetterWords(after)}",
        BasisKinds.ProviderScore => $"{name}'s assessed score was {(before == None ? "not known" : before)} when the questionnaire was signed and is now {(after == None ? "not known" : after)}",
        BasisKinds.ProviderCoverage => before == None ? $"{name} now covers requirements your answers rely on ({after})"
            : after == None ? $"{name} no longer covers requirements your answers relied on (it covered {before})"
            : $"what {name} covers for you changed in your portfolio (was {before}; now {after})",
        _ => $"{name} changed from {before} to {after}",
    };

    private static string LetterWords(string status) => status switch
    {
        "valid" => "in force",
        "superseded" => "replaced by a newer letter",
        _ => status,
    };

    private static string ProviderLetterWords(string value)
    {
        if (value == None) return "no letter";
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var (id, cause) = space < 0 ? (value, "") : (value[..space], value[(space + 1)..]);
        var shortId = id.Length > 8 ? id[..8] + "…" : id;
        return cause switch
        {
            "holds" => $"letter {shortId} in force",
            "letter-revoked" => $"letter {shortId} revoked",
            "letter-expired" => $"letter {shortId} expired",
            "signature-invalid" => $"letter {shortId} with a signature that does not verify",
            _ => $"letter {shortId} ({cause})",
        };
    }
}
