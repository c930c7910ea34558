namespace Custodes.SupplyChain;

/// <summary>The wire names of one enum, in the order files and documentation list them.</summary>
/// <remarks>Explicit tables rather than a naming policy: <c>microsoft-365</c> and <c>n-able</c> do not follow from the C# names.</remarks>
public sealed class WireNames<T> where T : struct, Enum
{
    private readonly Dictionary<string, T> _byName;
    private readonly Dictionary<T, string> _byValue;

    public WireNames(params (T Value, string Name)[] pairs)
    {
        _byName = pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        _byValue = pairs.ToDictionary(p => p.Value, p => p.Name);
        All = pairs.Select(p => p.Name).ToArray();
        Values = pairs.Select(p => p.Value).ToArray();
    }

    /// <summary>Every wire name, in declaration order.</summary>
    public IReadOnlyList<string> All { get; }

    public IReadOnlyList<T> Values { get; }

    public string Name(T value) => _byValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    public bool TryParse(string? name, out T value)
    {
        if (name is not null && _byName.TryGetValue(name, out value)) return true;
        value = default;
        return false;
    }

    /// <summary>"one of a, b, c" for error messages.</summary>
    public string Expected => $"one of {string.Join(", ", All)}";
}
