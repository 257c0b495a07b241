using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using MlOps.Cli.Csv;

namespace MlOps.Benchmarks;

/// <summary>
/// Reading the numeric columns of a CSV file as <c>mlops drift</c> does: 200 000 rows × 20 columns of 6-significant-digit
/// numbers (the shape of <c>compare-scipy.sh</c>'s files, 32 MB), with the parallel UTF-8 reader (every core) and with
/// the row-by-row reader (Sylvan, one core) it falls back to. <c>OperationsPerInvoke</c> makes the time per value.
/// </summary>
[MemoryDiagnoser]
public class CsvReadBenchmarks
{
    private const int Rows = 200_000;
    private const int Columns = 20;

    private readonly (string Name, ColumnType Type)[] _columns = Enumerable.Range(0, Columns).Select(j => ($"f{j:00}", ColumnType.Infer)).ToArray();
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"mlops-bench-{Environment.ProcessId}.csv");
        var columns = Enumerable.Range(0, Columns).Select(j => SyntheticData.Normal(Rows, mean: j % 4 == 1 ? 50 : 0, std: j % 4 == 1 ? 10 : 1, seed: 100 + j)).ToArray();
        var text = new StringBuilder(string.Join(',', _columns.Select(c => c.Name))).Append('\n');
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
                text.Append(j == 0 ? "" : ",").Append(columns[j][i].ToString("G6", CultureInfo.InvariantCulture));
            text.Append('\n');
        }

        File.WriteAllText(_path, text.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    /// <summary>Segments of bytes parsed in parallel (<see cref="ChunkedSampleReader"/>).</summary>
    [Benchmark(OperationsPerInvoke = Rows * Columns)]
    public long Chunked() => SampleReader.Read(_path, _columns, ProgressReporter.None, CancellationToken.None, ChunkedSampleReader.DefaultSegmentBytes).Rows;

    /// <summary>Row by row through Sylvan (the reader for quoted files and other special cases).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows * Columns)]
    public long RowByRow() => SampleReader.Read(_path, _columns, ProgressReporter.None, CancellationToken.None, segmentBytes: 0).Rows;
}
