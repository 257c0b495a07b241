using System.Globalization;
using System.Text.Json;

namespace MlOps.Cli.Tests;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TempFiles _files = new();
    private readonly JsonElement _metrics = JsonDocument.Parse(File.ReadAllBytes(TempFiles.Reference("metrics.json"))).RootElement;

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Binary_from_scores_equals_scikit_learn(int index)
    {
        var c = _metrics.GetProperty("binary")[index];
        var actual = c.GetProperty("actual").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var score = c.GetProperty("score").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        string input = _files.Csv("b.csv", "y,p", actual.Select((a, i) => new object?[] { a, score[i].ToString("R", CultureInfo.InvariantCulture) }));
        var m = await CliRunner.Json("evaluate", "--input", input, "--actual", "y", "--score", "p", "--task", "binary", "--format", "json");
        foreach (var (key, reference) in new[] { ("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"), ("f1", "f1"), ("rocAuc", "roc_auc"), ("logLoss", "log_loss"), ("brier", "brier") })
            Close(c.GetProperty(reference).GetDouble(), m.GetProperty(key).GetDouble(), key);
        var cm = c.GetProperty("confusion_matrix_tn_fp_fn_tp").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var matrix = m.GetProperty("confusionMatrix");
        Assert.Equal(cm, new[] { matrix.GetProperty("tn").GetInt64(), matrix.GetProperty("fp").GetInt64(), matrix.GetProperty("fn").GetInt64(), matrix.GetProperty("tp").GetInt64() });
        Assert.False(m.TryGetProperty("mae", out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Multiclass_equals_scikit_learn(int index)
    {
        var c = _metrics.GetProperty("multiclass")[index];
        var actual = c.GetProperty("actual").EnumerateArray().Select(v => v.GetString()).ToArray();
        var predicted = c.GetProperty("predicted").EnumerateArray().Select(v => v.GetString()).ToArray();
        string input = _files.Csv("m.csv", "actual,predicted", actual.Select((a, i) => new object?[] { a, predicted[i] }));
        var m = await CliRunner.Json("evaluate", "--input", input, "--actual", "actual", "--prediction", "predicted", "--task", "multiclass", "--format", "json");
        foreach (var (key, reference) in new[] { ("accuracy", "accuracy"), ("macroPrecision", "macro_precision"), ("macroRecall", "macro_recall"), ("macroF1", "macro_f1") })
            Close(c.GetProperty(reference).GetDouble(), m.GetProperty(key).GetDouble(), key);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Regression_equals_scikit_learn(int index)
    {
        var c = _metrics.GetProperty("regression")[index];
        var actual = c.GetProperty("actual").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var predicted = c.GetProperty("predicted").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        string input = _files.Csv("r.csv", "y,yhat", actual.Select((a, i) => new object?[] { a.ToString("R", CultureInfo.InvariantCulture), predicted[i].ToString("R", CultureInfo.InvariantCulture) }));
        var m = await CliRunner.Json("evaluate", "--input", input, "--actual", "y", "--prediction", "yhat", "--task", "regression", "--format", "json");
        foreach (var (key, reference) in new[] { ("mae", "mae"), ("rmse", "rmse"), ("r2", "r2"), ("meanError", "mean_error") })
            Close(c.GetProperty(reference).GetDouble(), m.GetProperty(key).GetDouble(), key);
        Assert.False(m.TryGetProperty("accuracy", out _));
    }

    [Fact]
    public async Task Predicted_labels_and_text_positive_class_are_supported()
    {
        string input = _files.Csv("t.csv", "actual,predicted", [["churn", "churn"], ["stay", "churn"], ["churn", "stay"], ["stay", "stay"], ["", "stay"]]);
        var m = await CliRunner.Json("evaluate", "--input", input, "--actual", "actual", "--prediction", "predicted", "--task", "binary", "--positive-class", "churn", "--format", "json");
        Assert.Equal(4, m.GetProperty("rows").GetInt64());
        Assert.Equal(1, m.GetProperty("skippedRows").GetInt64());
        Assert.Equal(0.5, m.GetProperty("accuracy").GetDouble());
        Assert.False(m.TryGetProperty("rocAuc", out _));
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 + 1e-7 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");
}
