using Custodes.Common;

namespace Custodes.Application.Accounts;

/// <summary>What an API key may do: <c>*</c> (everything its owner may) or <c>read</c> (read only).</summary>
public static class ApiKeyScopes
{
    public const string All = "*";
    public const string Read = "read";

    public static IReadOnlyList<string> Validate(IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0) return [All];
        foreach (var scope in scopes)
            if (scope is not (All or Read)) throw new BadInputException($"unknown API key scope '{scope}'; expected '{All}' or '{Read}'", path: "$.scopes");
        return scopes.Distinct().ToArray();
    }

    public static bool IsReadOnly(IReadOnlyList<string> scopes) => !scopes.Contains(All);
}
