using BenchmarkDotNet.Running;
using MlOps.Benchmarks;

// Run from the repository root, always in Release:
//   dotnet run -c Release --project benchmarks/MlOps.Benchmarks -- --filter '*'
// One class:           ... -- --filter '*WindowEvaluation*'
// Quick, less precise: ... -- --filter '*' --job short
// The job, exporters and filters come from the arguments (see --help); nothing is fixed here, so the
// same build serves a quick check and a careful measurement.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(TargetSummary).Assembly).Run(args);
TargetSummary.Print(summaries, Console.Out);
return 0;
