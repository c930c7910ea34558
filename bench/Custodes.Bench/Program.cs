using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Custodes.Bench.Attestation;

// BenchmarkDotNet:   dotnet run -c Release --project bench/Custodes.Bench -- --filter '*'
// Throughput runs:   dotnet run -c Release --project bench/Custodes.Bench -- log-append [entries] [batch]
//                    dotnet run -c Release --project bench/Custodes.Bench -- tile-load [seconds] [connections]
//                    dotnet run -c Release --project bench/Custodes.Bench -- trust-load [seconds] [connections]
//                    dotnet run -c Release --project bench/Custodes.Bench -- engagement-issue [count]
//                    dotnet run -c Release --project bench/Custodes.Bench -- trust-notify [subscribers]
//                    dotnet run -c Release --project bench/Custodes.Bench -- recovery [runs] [sqlite|postgres] [memory]
switch (args.FirstOrDefault())
{
    case "log-append":
        await LogAppendThroughput.RunAsync(args[1..]);
        break;
    case "tile-load":
        await TileLoad.RunAsync(args[1..]);
        break;
    case "trust-load":
        await Custodes.Bench.Trust.TrustLoad.RunAsync(args[1..]);
        break;
    case "trust-notify":
        await Custodes.Bench.Trust.TrustNotifyLatency.RunAsync(args[1..]);
        break;
    case "engagement-issue":
        await EngagementIssueLoad.RunAsync(args[1..]);
        break;
    case "recovery":
        await Custodes.Bench.RecoveryLoad.RunAsync(args[1..]);
        break;
    default:
        // The generated benchmark project builds slowly on a busy 2-core machine; the default 2-minute build timeout is too short.
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
        break;
}
