using System.Collections.Frozen;
using Custodes.Common;

namespace Custodes.Application.Accounts;

/// <summary>A password's verdict: a 0–4 strength score and, when it is refused, why (in words a person can act on).</summary>
public sealed record PasswordVerdict(int Score, string? Problem)
{
    public bool Acceptable => Problem is null;
}

/// <summary>
/// What a password must be (OWASP ASVS 4.0.3 §2.1): at least <see cref="MinimumLength"/> characters, at most
/// <see cref="MaximumLength"/>, not a common or breached password nor one with predictable decoration (§2.1.7, the zxcvbn
/// list in <c>Accounts/Data</c>), and not built from the person's email or organization name. The server's check is the
/// rule; the pages' meter only hints.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    /// <summary>Checks a new password; <paramref name="email"/> and <paramref name="organization"/> must not be in it.</summary>
    public static PasswordVerdict Check(string password, string? email = null, string? organization = null)
    {
        if (password.Length < MinimumLength) return new(0, $"a password must have at least {MinimumLength} characters (yours has {password.Length}); a few unrelated words make a long one easy to remember");
        if (password.Length > MaximumLength) return new(0, $"a password can have at most {MaximumLength} characters");
        var lower = password.ToLowerInvariant();
        if (IsCommon(lower)) return new(0, "this password is on the list of passwords most often found in breaches; choose one nobody else would");
        if (!lower.Any(char.IsLetter)) return new(0, "a password of digits and symbols only is guessed quickly (dates, phone numbers); use words");
        if (Monotonous(lower)) return new(0, "a password made of one repeated character or a run like 123456789abc is guessed at once");
        foreach (var part in PersonalParts(email, organization))
            if (lower.Contains(part, StringComparison.Ordinal))
                return new(1, $"a password must not contain your email or organization name ('{part}')");
        return new(Score(password), null);
    }

    /// <summary>The problem with a new password, or null (the shorthand the use cases call).</summary>
    public static string? Problem(string password, string? email = null, string? organization = null) => Check(password, email, organization).Problem;

    /// <summary>Throws <see cref="BadInputException"/> (path <paramref name="path"/>) when the password is refused.</summary>
    public static void Require(string password, string? email = null, string? organization = null, string path = "password")
    {
        if (Problem(password, email, organization) is { } problem) throw new BadInputException(problem, path: path);
    }

    // On the list as typed, or once the usual decoration is taken off: "Password1234!" is "password" with a suffix, "P@ssw0rd2024" too.
    private static bool IsCommon(string lower)
    {
        var set = Common.Value;
        if (set.Contains(lower)) return true;
        var trimmed = lower.TrimEnd("0123456789!@#$%^&*?.-_+=~ ".ToCharArray()).TrimStart("0123456789!@#$%^&*?.-_+=~ ".ToCharArray());
        if (trimmed.Length >= 4 && set.Contains(trimmed)) return true;
        var unleet = Unleet(trimmed);
        if (unleet.Length >= 4 && set.Contains(unleet)) return true;
        // The same word twice ("passwordpassword") or a word with its digits doubled.
        if (lower.Length % 2 == 0 && lower[..(lower.Length / 2)] == lower[(lower.Length / 2)..] && set.Contains(lower[..(lower.Length / 2)])) return true;
        return false;
    }

    private static string Unleet(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
            span[i] = source[i] switch { '@' or '4' => 'a', '3' => 'e', '1' or '!' => 'i', '0' => 'o', '$' or '5' => 's', '7' => 't', _ => source[i] };
    });

    // One character repeated, or every step between neighbours the same (abcdef..., 987654..., 2468...).
    private static bool Monotonous(string lower)
    {
        if (lower.Distinct().Count() <= 2) return true;
        var step = lower[1] - lower[0];
        for (var i = 2; i < lower.Length; i++)
            if (lower[i] - lower[i - 1] != step) return false;
        return true;
    }

    private static IEnumerable<string> PersonalParts(string? email, string? organization)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            var at = email.IndexOf('@');
            var local = (at > 0 ? email[..at] : email).Trim().ToLowerInvariant();
            if (local.Length >= 4) yield return local;
            foreach (var piece in local.Split('.', '_', '-', '+'))
                if (piece.Length >= 4 && piece != local) yield return piece;
        }
        if (!string.IsNullOrWhiteSpace(organization))
        {
            var name = organization.Trim().ToLowerInvariant();
            var squeezed = new string(name.Where(char.IsLetterOrDigit).ToArray());
            if (squeezed.Length >= 4) yield return squeezed;
            foreach (var word in name.Split(' ', '.', ',', '-', '&', '\''))
                if (word.Length >= 5 && !GenericOrganizationWords.Contains(word)) yield return word;
        }
    }

    // Words an organization name shares with half the world; a password holding one of them is not personal.
    private static readonly FrozenSet<string> GenericOrganizationWords = FrozenSet.ToFrozenSet(["group", "services", "solutions", "technologies", "consulting", "partners", "systems", "dental", "office", "network", "networks", "company", "limited"]);

    // A rough 0–4 from length and variety (the refusals above already took out the guessable ones): a hint for the person, not a rule.
    private static int Score(string password)
    {
        var classes = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0) + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        var distinct = password.Distinct().Count();
        var score = password.Length >= 20 ? 3 : password.Length >= 16 ? 2 : 1;
        if (classes >= 3 || password.Contains(' ')) score++;
        if (distinct < password.Length / 3) score--;
        return Math.Clamp(score, 1, 4);
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Custodes.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("the common-password list is missing from the build");
        using var reader = new StreamReader(stream);
        var words = new List<string>(50_000);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) words.Add(line);
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
