using System.Security.Cryptography;
using System.Text;
using Custodes.Application.Database;

namespace Custodes.Application.Accounts;

/// <summary>One-time recovery codes: issued when multi-factor sign-in is confirmed, each accepted once in place of a code from the app.</summary>
internal static class RecoveryCodes
{
    public const int Issued = 10;

    public static string New()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        Span<char> chars = stackalloc char[11];
        for (var i = 0; i < chars.Length; i++) chars[i] = i == 5 ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars);
    }

    // Recovery codes are 50 random bits; a fast hash is enough because they are never reused and are rate limited by lockout.
    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant())));

    /// <summary>Uses up the code if it is one of the user's (the row is changed; the caller saves it).</summary>
    public static bool Use(UserRow user, string code)
    {
        if (user.RecoveryCodes is null) return false;
        var hash = Hash(code);
        var codes = user.RecoveryCodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var index = codes.FindIndex(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c), Encoding.ASCII.GetBytes(hash)));
        if (index < 0) return false;
        codes.RemoveAt(index);
        user.RecoveryCodes = codes.Count == 0 ? null : string.Join('\n', codes);
        return true;
    }

    public static int Count(string? stored) => stored?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
}
