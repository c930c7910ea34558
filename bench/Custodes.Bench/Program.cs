using BenchmarkDotNet.Running;
using Custodes.Bench.Attestation;

// BenchmarkDotNet:   dotnet run -c Release --project bench/Custodes.Bench -- --filter '*'
// Throughput runs:   dotnet run -c Release --project bench/Custodes.Bench -- log-append [entries] [batch]
//                    dotnet run -c Release --project bench/Custodes.Bench -- tile-load [seconds] [connections]
switch (args.FirstOrDefault())
{
    case "log-append":
        await LogAppendThroughput.RunAsync(args[1..]);
        break;
    case "tile-load":
        await TileLoad.RunAsync(args[1..]);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
