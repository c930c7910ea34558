using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/Custodes.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
