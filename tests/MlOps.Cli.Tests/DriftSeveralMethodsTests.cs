using System.Globalization;
using System.Text.Json;

namespace MlOps.Cli.Tests;

public sealed class DriftSeveralMethodsTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string, string[]> Cases => new()
    {
        // The example files (KS exact: both sides <= 10 000 values), numeric columns only for KS and Wasserstein.
        { "ks,wasserstein", ["--columns", "age,income,tenure_months"] },
        { "wasserstein,KS,auto", ["--columns", "age,income,tenure_months"] },
        // Categorical columns too, with a threshold that applies to every method.
        { "auto,psi,jensenshannon", ["--threshold", "0.2"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_method_gives_exactly_what_a_run_of_it_alone_prints(string methods, string[] options)
    {
        string[] files = ["--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv")];
        await AssertSameAsSingleRuns(files, methods, options);
    }

    [Fact]
    public async Task Ks_and_wasserstein_on_large_columns_match_two_single_runs_bit_for_bit()
    {
        // Above 10 000 values KS takes the asymptotic p-value, and the radix sort and parallel reading take over.
        var random = new Random(7);
        string Write(string name, double shift) => _files.Csv(name, "a,b,c", Enumerable.Range(0, 30_000).Select(_ => new object?[]
        {
            (Normal(random) + shift).ToString("G6", CultureInfo.InvariantCulture),
            (50 + (10 * Normal(random))).ToString("G6", CultureInfo.InvariantCulture),
            random.Next(100),
        }));
        string[] files = ["--reference", Write("r.csv", 0), "--current", Write("c.csv", 0.03)];
        await AssertSameAsSingleRuns(files, "ks,wasserstein", []);
    }

    [Fact]
    public async Task The_table_has_a_row_per_feature_and_method_and_a_verdict_per_method()
    {
        var (code, output, error) = await CliRunner.Run(
            "drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--columns", "age,income", "--method", "ks,auto");
        Assert.True(code == 0, error);
        string[] rows = output.Split('\n').Where(l => l.StartsWith("age ", StringComparison.Ordinal) || l.StartsWith("income ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Matches(@"^age\s+numeric\s+ks\s", rows[0]);
        Assert.Matches(@"^age\s+numeric\s+wasserstein \(auto\)\s", rows[1]);
        Assert.Matches(@"^income\s+numeric\s+ks\s", rows[2]);
        Assert.Contains("\nks: drifted features: 1 of 2 (50.0 %); dataset drift: YES", output, StringComparison.Ordinal);
        Assert.Contains("\nauto: drifted features: 1 of 2 (50.0 %); dataset drift: YES", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_drift_fails_when_any_method_finds_the_dataset_drifted()
    {
        string[] files = ["drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--columns", "age,income,tenure_months"];
        // At 0.3 Wasserstein sees one feature of three drift (no dataset drift), KS two (two p-values are below 0.3).
        var alone = await CliRunner.Json([.. files, "--method", "wasserstein", "--threshold", "0.3", "--format", "json"]);
        Assert.False(alone.GetProperty("datasetDrift").GetBoolean());
        var (code, output, _) = await CliRunner.Run([.. files, "--method", "wasserstein,ks", "--threshold", "0.3", "--fail-on-drift", "--format", "json"]);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.True(report.GetProperty("datasetDrift").GetBoolean());
        Assert.Equal(1, code);
        var (wasserstein, _, _) = await CliRunner.Run([.. files, "--method", "wasserstein,wasserstein", "--threshold", "0.3", "--fail-on-drift"]);
        Assert.Equal(0, wasserstein);
    }

    [Fact]
    public async Task A_repeated_method_counts_once_and_an_empty_name_is_refused()
    {
        string[] files = ["--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv")];
        var single = await CliRunner.Run(["drift", .. files, "--method", "psi", "--format", "json"]);
        var repeated = await CliRunner.Run(["drift", .. files, "--method", "psi, PSI", "--format", "json"]);
        Assert.Equal(single.Out, repeated.Out);

        var empty = await CliRunner.Run(["drift", .. files, "--method", "ks,,psi"]);
        Assert.Equal(2, empty.ExitCode);
        Assert.StartsWith("mlops: error: --method: an empty method name", empty.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_refuses_several_methods_before_reading_anything()
    {
        string output = _files.Write("placeholder", "");
        File.Delete(output);
        var (code, _, error) = await CliRunner.Run(
            "report", "--reference", "no-such.csv", "--current", "no-such.csv", "--method", "ks,wasserstein", "-o", output);
        Assert.Equal(2, code);
        Assert.Equal("mlops: error: --method: a report draws one method, not 'ks,wasserstein' (mlops drift compares several at once)\n", error);
        Assert.False(File.Exists(output));
    }

    private static async Task AssertSameAsSingleRuns(string[] files, string methods, string[] options)
    {
        var several = await CliRunner.Json(["drift", .. files, .. options, "--method", methods, "--format", "json"]);
        string[] names = methods.Split(',').Select(m => m.Trim().ToLowerInvariant()).ToArray();
        var elements = several.GetProperty("methods").EnumerateArray().ToArray();
        Assert.Equal(names, elements.Select(e => e.GetProperty("method").GetString()));
        bool anyDrift = false;
        for (int m = 0; m < names.Length; m++)
        {
            var alone = await CliRunner.Json(["drift", .. files, .. options, "--method", names[m], "--format", "json"]);
            var element = elements[m];
            // Every property of the single run, with the same text: the same doubles to the last bit.
            Assert.Equal(alone.EnumerateObject().Select(p => (p.Name, Compact(p.Value))), element.EnumerateObject().Skip(1).Select(p => (p.Name, Compact(p.Value))));
            anyDrift |= alone.GetProperty("datasetDrift").GetBoolean();
        }

        Assert.Equal(several.GetProperty("referenceRows").GetInt64(), elements[0].GetProperty("referenceRows").GetInt64());
        Assert.Equal(several.GetProperty("currentRows").GetInt64(), elements[0].GetProperty("currentRows").GetInt64());
        Assert.Equal(anyDrift, several.GetProperty("datasetDrift").GetBoolean());
    }

    // The value's text without indentation (numbers keep their exact text).
    private static string Compact(JsonElement value) => JsonSerializer.Serialize(value);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
