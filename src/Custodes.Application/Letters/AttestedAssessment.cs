using System.Security.Cryptography;
using Custodes.Application.Assessments;
using Custodes.Application.Database;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.SupplyChain;
using Custodes.Transparency;

namespace Custodes.Application.Letters;

/// <summary>How the assessment a letter attests differs from the stored assessment today: the requirements whose result changed.</summary>
/// <param name="AssessmentId">The stored assessment the letter was issued from.</param>
/// <param name="Requirements">Requirement ids whose status (met, not met, not applicable, unassessed, or partial) differs, in catalog order.</param>
public sealed record AttestedAssessmentDrift(Guid AssessmentId, IReadOnlyList<string> Requirements);

/// <summary>
/// The assessment a letter attests, as the letter's own copy (<see cref="LetterRow.AttestedAssessment"/>): the exact bytes whose SHA-256
/// the assessor signed. What a letter covers is read from this copy, so editing the stored assessment after issuance cannot change what
/// customers inherit; <see cref="DriftAsync"/> tells the firm when the stored assessment no longer matches what it attested.
/// </summary>
internal static class AttestedAssessment
{
    /// <summary>The attested assessment, or null when the letter holds no copy or the copy is not what the statement's subject digest names.</summary>
    internal static ParsedAssessment? Read(LetterRow row, InTotoStatement statement)
    {
        if (row.AttestedAssessment is not { } bytes) return null;
        if (statement.Subject is not [var subject] || !subject.Digest.TryGetValue("sha256", out var signed)) return null;
        if (!string.Equals(signed, Convert.ToHexStringLower(SHA256.HashData(bytes)), StringComparison.Ordinal)) return null;
        return AssessmentFile.Parse(bytes, $"the assessment attested by letter {row.Id}");
    }

    /// <summary>The attested assessment of a stored letter, its statement read from the letter's own bundle.</summary>
    internal static ParsedAssessment? Read(LetterRow row) =>
        Read(row, InTotoStatement.Parse(LetterBundle.Parse(row.Bundle, $"letter {row.Id}").Envelope.Payload.Span));

    /// <summary>
    /// For a letter issued from a stored assessment: the requirements whose result differs between what the letter attests and the stored
    /// assessment now (none when unchanged); null when the letter was issued from a file, holds no copy, or the assessment is gone.
    /// </summary>
    internal static async Task<AttestedAssessmentDrift?> DriftAsync(Installation installation, LetterRow letter, CancellationToken cancellationToken = default)
    {
        if (letter.AssessmentId is not { } id || Read(letter) is not { } attested) return null;
        await using var db = installation.OpenDb();
        // The stored assessment's kept statuses (or its determinations, for one stored before they were kept), as recompute reads them.
        if ((await CompactAssessments.LoadAsync(db, [id], cancellationToken)).GetValueOrDefault(id) is not { } current) return null;
        var before = CompactAssessment.From(attested.Assessment);
        if (before.Catalog.Framework != current.Catalog.Framework)
            return new AttestedAssessmentDrift(id, [.. before.Catalog.Requirements.Select(r => r.Id)]);
        // One letter per requirement in catalog order, status and partial credit together (CompactAssessment.ToCodes).
        var (was, now) = (before.ToCodes(), current.ToCodes());
        var changed = new List<string>();
        for (var i = 0; i < was.Length; i++)
            if (was[i] != now[i]) changed.Add(before.Catalog.Requirements[i].Id);
        return new AttestedAssessmentDrift(id, changed);
    }
}
