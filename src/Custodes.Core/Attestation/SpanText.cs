using Custodes.Transparency;
namespace Custodes.Attestation;

// Strict character checks for the text formats of this folder (tile paths, note keys).
internal static class SpanText
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');

    public static bool ContainsOnlyHex(this ReadOnlySpan<char> s) => s.Length > 0 && s.IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;
}
