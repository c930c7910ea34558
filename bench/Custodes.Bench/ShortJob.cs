using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Custodes.Bench;

/// <summary>A short, repeatable job for a shared 2-core machine: one process, a few warm-ups, ten measured iterations.</summary>
public sealed class ShortJobAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty()
        .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
}
