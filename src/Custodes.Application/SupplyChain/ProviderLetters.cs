using Custodes.Application.Assessments;
using Custodes.Application.Database;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.Catalogs;
using Custodes.SupplyChain;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>A provider's current letter as this installation holds it, and the state inheritance reads from it.</summary>
public sealed record ProviderLetter(LetterState State, LetterSummary Letter);

/// <summary>
/// The letters a portfolio's providers hold in this installation: for each provider entry linked to a Custodes organization, the newest
/// letter about that organization, verified here (the firm's registered key signed it while the key was valid, not revoked, not expired),
/// with the requirements met in the assessment it attests (the letter's own signed copy, so later edits to the stored assessment do not
/// change it). All providers' letters are read together, in a fixed number of queries.
/// </summary>
public sealed class ProviderLetters(Installation installation, SigningKeyRegistry keys)
{
    /// <summary>Provider id → its current letter, for every provider of the portfolio that has one here.</summary>
    public Task<IReadOnlyDictionary<string, ProviderLetter>> ForAsync(StoredPortfolio portfolio, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        CurrentAsync(portfolio.Portfolio.Organizations.Where(o => o.Kind.IsProvider() && portfolio.Links.ContainsKey(o.Id)).Select(o => (o.Id, portfolio.Links[o.Id])).ToArray(),
            at, cancellationToken);

    /// <summary>The newest letter about a Custodes organization (by name, or through the assessment it attests), as a provider's letter state.</summary>
    public async Task<ProviderLetter?> CurrentAsync(string provider, Guid organization, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        (await CurrentAsync([(provider, organization)], at, cancellationToken)).GetValueOrDefault(provider);

    /// <summary>Each provider's current letter (provider id → letter), from the newest letter about its organization.</summary>
    internal async Task<IReadOnlyDictionary<string, ProviderLetter>> CurrentAsync(IReadOnlyList<(string Provider, Guid Organization)> providers, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ProviderLetter>(StringComparer.Ordinal);
        if (providers.Count == 0) return result;
        await using var db = installation.OpenDb();
        var organizations = providers.Select(p => p.Organization).Distinct().ToArray();
        var names = await db.Organizations.AsNoTracking().Where(o => organizations.Contains(o.Id)).Select(o => new { o.Id, o.Name })
            .ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var named = names.ToLookup(n => n.Value, n => n.Key, StringComparer.Ordinal);
        var about = await db.Assessments.AsNoTracking().Where(a => a.SubjectOrganizationId != null && organizations.Contains(a.SubjectOrganizationId.Value))
            .Select(a => new { a.Id, Subject = a.SubjectOrganizationId!.Value }).ToDictionaryAsync(a => a.Id, a => a.Subject, cancellationToken);
        var subjects = named.Select(n => n.Key).ToArray();
        var aboutIds = about.Keys.Select(a => (Guid?)a).ToArray();
        var candidates = await db.Letters.AsNoTracking().Where(l => subjects.Contains(l.Subject) || aboutIds.Contains(l.AssessmentId))
            .Select(l => new { l.Id, l.Subject, l.AssessmentId, l.IssuedAt, l.LogIndex }).ToListAsync(cancellationToken);

        // Newest first, as for one organization: by issue time, then by place in the log.
        var newest = new Dictionary<Guid, Guid>();
        foreach (var letter in candidates.OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.LogIndex))
        {
            foreach (var organization in named[letter.Subject]) newest.TryAdd(organization, letter.Id);
            if (letter.AssessmentId is { } a && about.TryGetValue(a, out var subject) && names.ContainsKey(subject)) newest.TryAdd(subject, letter.Id);
        }
        if (newest.Count == 0) return result;

        var ids = newest.Values.Distinct().ToArray();
        var rows = await db.Letters.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        var registered = new Dictionary<string, RegisteredKey?>(StringComparer.Ordinal);
        foreach (var keyId in rows.Values.Select(r => r.KeyId).Distinct()) registered[keyId] = await keys.FindAsync(keyId, cancellationToken);
        foreach (var (provider, organization) in providers)
            if (newest.TryGetValue(organization, out var id))
                result[provider] = new ProviderLetter(State(provider, rows[id], registered[rows[id].KeyId], at), LetterSummary.From(rows[id]));
        return result;
    }

    private static LetterState State(string provider, LetterRow row, RegisteredKey? key, DateTimeOffset at)
    {
        var signatureValid = false;
        InTotoStatement? statement = null;
        LetterPredicate? predicate = null;
        if (key is not null)
        {
            var verification = LetterVerifier.Verify(row.Bundle, key.ToPublicKey(), at);
            if (verification.Signature == SignatureStatus.Ok)
            {
                statement = InTotoStatement.Parse(LetterBundle.Parse(row.Bundle, $"letter {row.Id}").Envelope.Payload.Span);
                predicate = LetterPredicate.FromJson(statement.Predicate);
                signatureValid = key.CoversIssuance(predicate.IssuedAt) && predicate.LetterId == row.Id;
            }
        }
        var catalog = CatalogSet.Find(row.Framework);
        return new LetterState
        {
            LetterId = row.Id.ToString(),
            Provider = provider,
            SignatureValid = signatureValid,
            Revoked = row.Status == LetterStatuses.Revoked && (row.RevokedAt is null || row.RevokedAt <= at.UtcDateTime),
            Expired = LetterStore.IsExpiredAt(row, at.UtcDateTime),
            ValidUntil = DateOnly.FromDateTime(row.ValidUntil),
            Framework = catalog?.Framework ?? row.Framework,
            Issuer = row.Issuer,
            AssessedOn = predicate?.AssessedOn,
            Score = row.Score,
            CmmcLevel2 = predicate is null ? null : Level2(predicate),
            MetRequirements = statement is null ? new HashSet<string>() : Met(AttestedAssessment.Read(row, statement)),
        };
    }

    private static string? Level2(LetterPredicate predicate) =>
        predicate.Cmmc.TryGetProperty("level2", out var l2) && l2.TryGetProperty("status", out var status) ? status.GetString() : null;

    /// <summary>The requirements met in the assessment a letter attests (its own signed copy; none when it holds no copy that matches the signature).</summary>
    private static HashSet<string> Met(ParsedAssessment? attested)
    {
        var met = new HashSet<string>(StringComparer.Ordinal);
        if (attested is null) return met;
        var resolution = attested.Resolution;
        for (var i = 0; i < resolution.Catalog.Requirements.Count; i++)
            if (resolution.Statuses[i] == Status.Met) met.Add(resolution.Catalog.Requirements[i].Id);
        return met;
    }
}
