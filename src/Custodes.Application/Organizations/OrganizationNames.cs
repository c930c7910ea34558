using System.Text;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Organizations;

/// <summary>
/// Organization names are unique per kind, compared trimmed, with runs of spaces as one and without case: a second
/// "Northgate Security Assessors LLC" assessor firm would make letters, sharing and the CLI's <c>--issuer</c> ambiguous.
/// </summary>
/// <remarks>
/// Organizations created before the rule keep a null normalized name, so an installation that already holds duplicates
/// migrates without failing and without renaming anyone; new names are still checked against them (by their lower-cased name),
/// and the unique index on (kind, normalized name) settles two sign-ups racing for the same new name.
/// </remarks>
public static class OrganizationNames
{
    public const int MaxLength = 200;

    /// <summary>The trimmed name with single spaces, as shown.</summary>
    public static string Clean(string? name, string path = "organization")
    {
        var cleaned = string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (cleaned.Length == 0) throw new BadInputException("an organization needs a name", path: path);
        if (cleaned.Length > MaxLength) throw new BadInputException($"an organization name has at most {MaxLength} characters", path: path);
        return cleaned;
    }

    /// <summary>The form that must be unique per kind.</summary>
    public static string Normalize(string name) => Clean(name).Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>Refuses a name another organization of the same kind already has; returns the normalized name to store.</summary>
    internal static async Task<string> RequireAvailableAsync(CustodesDb db, string name, string kind, string path, CancellationToken cancellationToken)
    {
        var normalized = Normalize(name);
        if (await TakenAsync(db, normalized, kind, cancellationToken))
            throw new BadInputException($"an organization of kind {kind} named '{Clean(name)}' already exists; choose another name (add your city or legal form, for example)", path: path);
        return normalized;
    }

    /// <summary>True when the name is taken (after a failed insert: whether the unique index refused it).</summary>
    internal static Task<bool> TakenAsync(CustodesDb db, string normalized, string kind, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking().AnyAsync(o => o.Kind == kind
            && (o.NormalizedName == normalized || (o.NormalizedName == null && o.Name.Trim().ToLower() == normalized)), cancellationToken);
}
