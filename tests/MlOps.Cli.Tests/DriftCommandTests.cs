using System.Globalization;
using System.Text.Json;

namespace MlOps.Cli.Tests;

public sealed class DriftCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Ks_on_reference_csvs_gives_scipy_statistic_and_p_value()
    {
        var cases = JsonDocument.Parse(File.ReadAllBytes(TempFiles.Reference("ks_2samp.json"))).RootElement.GetProperty("cases");
        // One CSV column per reference case; columns are ragged, the short ones padded with empty (missing) cells.
        var (reference, current) = (WriteColumns("ref.csv", cases, "reference"), WriteColumns("cur.csv", cases, "current"));
        var report = await CliRunner.Json("drift", "--reference", reference, "--current", current, "--method", "ks", "--format", "json");
        var features = report.GetProperty("features");
        Assert.Equal(cases.GetArrayLength(), features.GetArrayLength());
        for (int i = 0; i < cases.GetArrayLength(); i++)
        {
            var expected = cases[i];
            var f = features[i];
            Assert.Equal($"c{i}", f.GetProperty("name").GetString());
            Assert.Equal("numeric", f.GetProperty("type").GetString());
            Assert.Equal("ks", f.GetProperty("method").GetString());
            Close(expected.GetProperty("statistic").GetDouble(), f.GetProperty("statistic").GetDouble());
            Close(expected.GetProperty("pvalue_exact").GetDouble(), f.GetProperty("pValue").GetDouble());
            Assert.Equal(expected.GetProperty("pvalue_exact").GetDouble() <= 0.05, f.GetProperty("drifted").GetBoolean());
        }
    }

    [Fact]
    public async Task Default_method_counts_distinct_values_of_both_files_as_evidently_does()
    {
        // 3 distinct values in the reference, 9 in reference and current together: Evidently picks Wasserstein
        // (reference > 1000 rows, numeric, > 5 distinct together), not Jensen–Shannon.
        var reference = new System.Text.StringBuilder("x\n");
        var current = new System.Text.StringBuilder("x\n");
        for (int i = 0; i < 2000; i++)
        {
            reference.Append(CultureInfo.InvariantCulture, $"{i % 3}\n");
            current.Append(CultureInfo.InvariantCulture, $"{i % 9}\n");
        }

        var report = await CliRunner.Json("drift", "--reference", _files.Write("ref.csv", reference.ToString()), "--current", _files.Write("cur.csv", current.ToString()), "--format", "json");
        Assert.Equal("wasserstein", report.GetProperty("features")[0].GetProperty("method").GetString());
    }

    [Fact]
    public async Task Wasserstein_on_reference_csvs_is_normalised_by_the_population_std()
    {
        var cases = JsonDocument.Parse(File.ReadAllBytes(TempFiles.Reference("wasserstein.json"))).RootElement.GetProperty("cases");
        var (reference, current) = (WriteColumns("ref.csv", cases, "reference"), WriteColumns("cur.csv", cases, "current"));
        var report = await CliRunner.Json("drift", "--reference", reference, "--current", current, "--method", "wasserstein", "--format", "json");
        for (int i = 0; i < cases.GetArrayLength(); i++)
        {
            var expected = cases[i];
            var f = report.GetProperty("features")[i];
            Close(expected.GetProperty("distance").GetDouble() / expected.GetProperty("reference_std_population").GetDouble(), f.GetProperty("statistic").GetDouble());
            Assert.Equal(JsonValueKind.Null, f.GetProperty("pValue").ValueKind);
            Assert.Equal(0.1, f.GetProperty("threshold").GetDouble());
        }
    }

    [Fact]
    public async Task Auto_follows_evidently_and_reports_the_json_contract()
    {
        var report = await CliRunner.Json("drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--format", "json");
        Assert.Equal(2000, report.GetProperty("referenceRows").GetInt64());
        Assert.Equal(1500, report.GetProperty("currentRows").GetInt64());
        var byName = report.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["age", "tenure_months", "income", "plan", "region", "has_support_ticket"], byName.Keys);
        Assert.Equal("wasserstein", byName["age"].GetProperty("method").GetString());
        Assert.Equal("jensenshannon", byName["plan"].GetProperty("method").GetString());
        Assert.Equal("categorical", byName["plan"].GetProperty("type").GetString());
        Assert.True(byName["age"].GetProperty("drifted").GetBoolean());
        Assert.True(byName["plan"].GetProperty("drifted").GetBoolean());
        Assert.False(byName["region"].GetProperty("drifted").GetBoolean());
        Assert.Equal(2.0 / 6, report.GetProperty("driftedShare").GetDouble(), 1e-12);
        Assert.False(report.GetProperty("datasetDrift").GetBoolean());
        foreach (string key in new[] { "name", "type", "method", "statistic", "pValue", "threshold", "drifted" })
            Assert.True(byName["age"].TryGetProperty(key, out _), key);
    }

    [Fact]
    public async Task Small_reference_uses_ks_chi_square_and_z_test()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 300).Select(i => new object?[] { random.NextDouble(), i % 4, i % 2 == 0 ? "yes" : "no", "abc"[i % 3].ToString() });
        string reference = _files.Csv("r.csv", "x,small_int,flag,letter", rows);
        string current = _files.Csv("c.csv", "x,small_int,flag,letter", rows);
        var report = await CliRunner.Json("drift", "--reference", reference, "--current", current, "--format", "json");
        var methods = report.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("method").GetString()!).ToArray();
        Assert.Equal(["ks", "chisquare", "ztest", "chisquare"], methods);
        Assert.All(report.GetProperty("features").EnumerateArray(), f => Assert.False(f.GetProperty("drifted").GetBoolean()));
    }

    [Fact]
    public async Task Schema_types_override_inference_and_columns_select()
    {
        string reference = _files.Csv("r.csv", "code,score", Enumerable.Range(0, 50).Select(i => new object?[] { i % 7, i * 0.5 }));
        string current = _files.Csv("c.csv", "code,score", Enumerable.Range(0, 50).Select(i => new object?[] { i % 7, i * 0.5 }));
        string schema = _files.Write("s.json", """{"model":"m","task":"regression","features":[{"name":"code","type":"categorical"},{"name":"score","type":"numeric"}]}""");
        var report = await CliRunner.Json("drift", "--reference", reference, "--current", current, "--schema", schema, "--columns", "code", "--format", "json");
        var f = Assert.Single(report.GetProperty("features").EnumerateArray());
        Assert.Equal("categorical", f.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_column_with_text_is_inferred_categorical_in_both_files()
    {
        string reference = _files.Csv("r.csv", "v", Enumerable.Range(0, 100).Select(i => new object?[] { i % 5 }));
        string current = _files.Csv("c.csv", "v", Enumerable.Range(0, 100).Select(i => new object?[] { i == 50 ? "unknown" : (i % 5).ToString(CultureInfo.InvariantCulture) }));
        var report = await CliRunner.Json("drift", "--reference", reference, "--current", current, "--method", "chisquare", "--format", "json");
        Assert.Equal("categorical", report.GetProperty("features")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Threshold_and_fail_on_drift_set_verdict_and_exit_code()
    {
        string args = TempFiles.Example("reference.csv");
        var (code, output, _) = await CliRunner.Run("drift", "--reference", args, "--current", TempFiles.Example("current.csv"), "--threshold", "0.01", "--fail-on-drift");
        Assert.Equal(1, code);
        Assert.Contains("dataset drift: YES", output);
        Assert.Contains("DRIFT", output);
    }

    [Fact]
    public async Task Handles_a_million_rows()
    {
        var random = new Random(1);
        string Write(string name, double shift)
        {
            string path = Path.Combine(Path.GetTempPath(), $"mlops-{Guid.NewGuid():N}-{name}");
            using var w = new StreamWriter(path);
            w.Write("a,b\n");
            for (int i = 0; i < 1_000_000; i++)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{random.NextDouble() + shift:G6},{random.Next(1000)}\n"));
            return path;
        }

        string reference = Write("r.csv", 0), current = Write("c.csv", 0.01);
        try
        {
            var report = await CliRunner.Json("drift", "--reference", reference, "--current", current, "--method", "ks", "--format", "json");
            Assert.Equal(1_000_000, report.GetProperty("referenceRows").GetInt64());
            var a = report.GetProperty("features")[0];
            Assert.InRange(a.GetProperty("statistic").GetDouble(), 0.005, 0.015);
            Assert.True(a.GetProperty("drifted").GetBoolean());
            Assert.False(report.GetProperty("features")[1].GetProperty("drifted").GetBoolean());
        }
        finally
        {
            File.Delete(reference);
            File.Delete(current);
        }
    }

    private string WriteColumns(string name, JsonElement cases, string property)
    {
        var columns = cases.EnumerateArray().Select(c => c.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        int rows = columns.Max(c => c.Length);
        return _files.Csv(
            name,
            string.Join(',', Enumerable.Range(0, columns.Length).Select(i => $"c{i}")),
            Enumerable.Range(0, rows).Select(r => columns.Select(c => r < c.Length ? (object?)c[r].ToString("R", CultureInfo.InvariantCulture) : null)));
    }

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 + 1e-7 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
