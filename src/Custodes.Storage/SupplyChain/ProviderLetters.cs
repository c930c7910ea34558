using Custodes.Assessment;
using Custodes.Attestation;
using Custodes.Catalogs;
using Custodes.Storage.Assessments;
using Custodes.Storage.Database;
using Custodes.Storage.Keys;
using Custodes.Storage.Letters;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.SupplyChain;

/// <summary>A provider's current letter as this installation holds it, and the state inheritance reads from it.</summary>
public sealed record ProviderLetter(LetterState State, LetterRow Letter);

/// <summary>
/// The letters a portfolio's providers hold in this installation: for each provider entry linked to a Custodes organization, the newest
/// letter about that organization, verified here (the firm's registered key signed it while the key was valid, not revoked, not expired),
/// with the requirements met in the assessment it attests (the letter's own signed copy, so later edits to the stored assessment do not change it).
/// </summary>
public sealed class ProviderLetters(Installation installation, SigningKeyRegistry keys)
{
    /// <summary>Provider id → its current letter, for every provider of the portfolio that has one here.</summary>
    public async Task<IReadOnlyDictionary<string, ProviderLetter>> ForAsync(StoredPortfolio portfolio, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, ProviderLetter>(StringComparer.Ordinal);
        foreach (var org in portfolio.Portfolio.Organizations)
        {
            if (!org.Kind.IsProvider() || !portfolio.Links.TryGetValue(org.Id, out var linked)) continue;
            if (await CurrentAsync(org.Id, linked, at, cancellationToken) is { } letter) result[org.Id] = letter;
        }
        return result;
    }

    /// <summary>The newest letter about a Custodes organization (by name, or through the assessment it attests), as a provider's letter state.</summary>
    public async Task<ProviderLetter?> CurrentAsync(string provider, Guid organization, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var name = await db.Organizations.AsNoTracking().Where(o => o.Id == organization).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null) return null;
        var about = db.Assessments.Where(a => a.SubjectOrganizationId == organization).Select(a => (Guid?)a.Id);
        var row = await db.Letters.AsNoTracking().Where(l => l.Subject == name || about.Contains(l.AssessmentId))
            .OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.LogIndex).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new ProviderLetter(await StateAsync(provider, row, at, cancellationToken), row);
    }

    /// <summary>The state of one stored letter at a time, for the portfolio's provider <paramref name="provider"/>.</summary>
    public async Task<LetterState> StateAsync(string provider, LetterRow row, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var key = await keys.FindAsync(row.KeyId, cancellationToken);
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
            Expired = at.UtcDateTime > row.ValidUntil,
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
    private static IReadOnlySet<string> Met(ParsedAssessment? attested)
    {
        var met = new HashSet<string>(StringComparer.Ordinal);
        if (attested is null) return met;
        var resolution = attested.Resolution;
        for (var i = 0; i < resolution.Catalog.Requirements.Count; i++)
            if (resolution.Statuses[i] == Status.Met) met.Add(resolution.Catalog.Requirements[i].Id);
        return met;
    }
}
