using Custodes.Application.Letters;
using Custodes.Catalogs;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>
/// The facts a questionnaire's answers rest on, read now for one organization (<see cref="BasisKinds"/>): its own letters' statuses, and
/// for each provider it inherits from, that provider's current letter, the letter's score and what the provider covers. Stored with a
/// questionnaire when it is signed off, and read again to tell whether it is out of date (<see cref="StaleQuestionnaires"/>).
/// </summary>
public sealed class QuestionnaireBasis(Installation installation, CustomerInheritance inheritance, PortfolioGraphs portfolios, TimeProvider clock)
{
    /// <summary>The tenant's facts now; <paramref name="ownLetters"/> are the letter ids its questionnaires name (read together).</summary>
    public async Task<Facts> CurrentAsync(Tenant tenant, IEnumerable<string?> ownLetters, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var providers = new Dictionary<string, Provider>(StringComparer.Ordinal);
        var view = await inheritance.ForAsync(tenant, cancellationToken);
        if (view is not null)
        {
            var graph = (await portfolios.GetAsync(tenant, cancellationToken))?.Graph;
            var asOf = DateOnly.FromDateTime(now.UtcDateTime);
            foreach (var requirement in view.Result.Report.Requirements)
                foreach (var claim in requirement.Providers)
                {
                    if (!providers.TryGetValue(claim.Provider, out var p))
                    {
                        var letter = view.Letters.GetValueOrDefault(claim.Provider);
                        providers[claim.Provider] = p = new Provider(
                            graph?.Organization(claim.Provider)?.Name ?? claim.Provider,
                            letter is null ? AnswerBasis.None : $"{letter.State.LetterId} {InheritanceNames.Name(letter.State.Check(asOf))}",
                            letter?.State.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? AnswerBasis.None);
                    }
                    p.Covers.Add((requirement.Id, InheritanceNames.Name(claim.Responsibility)));
                }
        }
        var ids = ownLetters.Select(id => Guid.TryParse(id, out var g) ? g : (Guid?)null).Where(g => g is not null).Select(g => g!.Value).Distinct().ToArray();
        var statuses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ids.Length > 0)
        {
            await using var db = installation.OpenDb();
            foreach (var row in await db.Letters.AsNoTracking().Where(l => ids.Contains(l.Id)).ToListAsync(cancellationToken))
                statuses[row.Id.ToString()] = row.Status == LetterStatuses.Revoked ? LetterStatuses.Revoked
                    : row.SupersededBy is not null ? "superseded"
                    : LetterStore.IsExpiredAt(row, now.UtcDateTime) ? LetterStatuses.Expired
                    : LetterStatuses.Valid;
        }
        return new Facts(providers, statuses);
    }

    /// <summary>A provider the organization inherits from: its name, current letter, score, and the requirements it covers with its responsibility.</summary>
    public sealed record Provider(string Name, string Letter, string Score)
    {
        public SortedSet<(string Id, string Responsibility)> Covers { get; } = new(Comparer<(string Id, string Responsibility)>.Create((a, b) =>
        {
            var catalog = CatalogSet.NistR2;
            var order = catalog.OrdinalOf(a.Id).CompareTo(catalog.OrdinalOf(b.Id));
            return order != 0 ? order : string.CompareOrdinal(a.Id + a.Responsibility, b.Id + b.Responsibility);
        }));
    }

    /// <summary>An organization's facts at one moment, to be matched to each of its questionnaires.</summary>
    public sealed class Facts(IReadOnlyDictionary<string, Provider> providers, IReadOnlyDictionary<string, string> letterStatuses)
    {
        /// <summary>The facts one questionnaire rests on, each with the questions whose answers rest on it.</summary>
        public IReadOnlyList<BasisFact> For(QuestionnaireResponse questionnaire)
        {
            var facts = new List<BasisFact>();
            if (questionnaire.LetterId is { } letter)
                facts.Add(new BasisFact(BasisKinds.Letter, letter, letterStatuses.GetValueOrDefault(letter) ?? LetterStatuses.Unknown, AnswerBasis.Asserted(questionnaire)));
            var catalog = CatalogSet.Find(QuestionnaireTemplates.Find(questionnaire.TemplateId)?.Framework ?? Frameworks.NistR2) ?? CatalogSet.NistR2;
            foreach (var (id, p) in providers.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var questions = AnswerBasis.QuestionsOn(questionnaire, p.Covers.Select(c => c.Id).ToHashSet(StringComparer.Ordinal), catalog);
                facts.Add(new BasisFact(BasisKinds.ProviderLetter, id, p.Letter, questions, p.Name));
                facts.Add(new BasisFact(BasisKinds.ProviderScore, id, p.Score, questions, p.Name));
                facts.Add(new BasisFact(BasisKinds.ProviderCoverage, id, string.Join(", ", p.Covers.Select(c => $"{c.Id} {c.Responsibility}")), questions, p.Name));
            }
            return facts;
        }
    }
}
