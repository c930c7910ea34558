namespace Custodes.SupplyChain;

/// <summary>
/// What a customer inherits from: its direct providers that publish a responsibility matrix, once per relationship (a provider's own letter
/// attests what it inherits from its subcontractors, so inheritance never runs further). The one rule used by the stored inheritance view,
/// <c>custodes supply-chain inherit</c> and the recompute after a letter changes (<see cref="RecomputeAfterLetterChange"/>).
/// </summary>
public static class CoveringProviders
{
    /// <summary>The customer's covering providers with their matrices, enumerated without allocating (the recompute runs it per customer).</summary>
    public static Enumerable Of(PortfolioGraph graph, int customerNode, IReadOnlyDictionary<string, ResponsibilityMatrix> matrices) =>
        new(graph, graph.RelationshipsOfCustomer(customerNode), matrices);

    /// <summary>The customer's covering providers, each with its matrix and the letter held for it (null: none).</summary>
    public static ProviderCoverage[] Coverage(PortfolioGraph graph, int customerNode, IReadOnlyDictionary<string, ResponsibilityMatrix> matrices,
        IReadOnlyDictionary<string, LetterState> letters)
    {
        var coverage = new List<ProviderCoverage>();
        foreach (var (provider, matrix) in Of(graph, customerNode, matrices)) coverage.Add(new ProviderCoverage(matrix, letters.GetValueOrDefault(provider)));
        return [.. coverage];
    }

    public readonly ref struct Enumerable(PortfolioGraph graph, ReadOnlySpan<int> relationships, IReadOnlyDictionary<string, ResponsibilityMatrix> matrices)
    {
        private readonly ReadOnlySpan<int> _relationships = relationships;

        public Enumerator GetEnumerator() => new(graph, _relationships, matrices);
    }

    public ref struct Enumerator(PortfolioGraph graph, ReadOnlySpan<int> relationships, IReadOnlyDictionary<string, ResponsibilityMatrix> matrices)
    {
        private readonly ReadOnlySpan<int> _relationships = relationships;
        private int _next;

        public (string Provider, ResponsibilityMatrix Matrix) Current { get; private set; }

        public bool MoveNext()
        {
            while (_next < _relationships.Length)
            {
                var provider = graph.IdOf(graph.ProviderOf(_relationships[_next++]));
                if (!matrices.TryGetValue(provider, out var matrix)) continue;
                Current = (provider, matrix);
                return true;
            }
            return false;
        }
    }
}
