namespace Custodes.Watch.Simulation;

/// <summary>SplitMix64: a tiny generator whose output for a seed never changes across .NET versions, so simulations are
/// reproducible forever. Streams are derived from (seed, msp, day, purpose) so adding an attack leaves the rest unchanged.</summary>
internal struct Prng(ulong seed)
{
    private ulong _state = seed;

    public static Prng For(int seed, params ReadOnlySpan<int> parts)
    {
        var s = Mix((ulong)(uint)seed ^ 0x5EED_C057_0DE5UL);
        foreach (var p in parts) s = Mix(s ^ (ulong)(uint)p);
        return new Prng(s);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => max <= 0 ? 0 : (int)(NextULong() % (ulong)max);

    /// <summary>Uniform in [min, max].</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public double Between(double min, double max) => min + NextDouble() * (max - min);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
