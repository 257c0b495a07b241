namespace MlOps.Cli.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Missing_file_names_the_file()
    {
        string missing = Path.Combine(Path.GetTempPath(), "does-not-exist.csv");
        await AssertOneLineError(["drift", "--reference", missing, "--current", TempFiles.Example("current.csv")], missing, "no such file");
    }

    [Fact]
    public async Task Empty_file_says_a_header_is_needed()
    {
        string empty = _files.Write("empty.csv", "");
        await AssertOneLineError(["drift", "--reference", empty, "--current", TempFiles.Example("current.csv")], empty, "empty");
    }

    [Fact]
    public async Task File_without_header_is_named()
    {
        string headerless = _files.Write("numbers.csv", "1,2\n3,4\n");
        await AssertOneLineError(["drift", "--reference", headerless, "--current", headerless], headerless, "no header row");
    }

    [Fact]
    public async Task Unknown_column_names_file_and_column()
    {
        await AssertOneLineError(
            ["drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--columns", "age,salary"],
            "reference.csv",
            "unknown column 'salary'");
    }

    [Fact]
    public async Task Text_in_a_numeric_schema_column_names_file_line_and_column()
    {
        string schema = _files.Write("s.json", """{"model":"m","task":"regression","features":[{"name":"x","type":"numeric"}]}""");
        string good = _files.Csv("good.csv", "x", Enumerable.Range(0, 10).Select(i => new object?[] { i }));
        string bad = _files.Write("bad.csv", "x\n1\n2\nthree\n4\n");
        await AssertOneLineError(["drift", "--reference", good, "--current", bad, "--schema", schema], "bad.csv: line 4, column 'x': 'three' is not a number");
    }

    [Fact]
    public async Task Unknown_method_lists_the_choices()
    {
        await AssertOneLineError(
            ["drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--method", "kolmogorov"],
            "unknown method 'kolmogorov'",
            "ks, wasserstein, psi");
    }

    [Fact]
    public async Task Numeric_only_method_on_a_categorical_column_is_refused()
    {
        await AssertOneLineError(
            ["drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--method", "ks"],
            "column 'plan' is categorical");
    }

    [Fact]
    public async Task Invalid_schema_is_reported()
    {
        string schema = _files.Write("s.json", "{ not json");
        await AssertOneLineError(["drift", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"), "--schema", schema], "s.json", "not a valid model schema");
    }

    [Fact]
    public async Task Evaluate_reports_a_non_numeric_score_with_its_line()
    {
        string input = _files.Write("p.csv", "y,p\n1,0.9\n0,high\n");
        await AssertOneLineError(["evaluate", "--input", input, "--actual", "y", "--score", "p", "--task", "binary"], "p.csv: line 3, column 'p'", "not a finite number");
    }

    [Fact]
    public async Task Argument_errors_print_usage_and_exit_2()
    {
        var (code, output, error) = await CliRunner.Run("drift", "--reference", "a.csv");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--current", error);
        Assert.Contains("mlops drift --help", error);
    }

    [Fact]
    public async Task Unknown_task_is_an_argument_error()
    {
        var (code, _, error) = await CliRunner.Run("evaluate", "--input", "x.csv", "--actual", "y", "--prediction", "p", "--task", "ranking");
        Assert.Equal(2, code);
        Assert.Contains("ranking", error);
    }

    private static async Task AssertOneLineError(string[] args, params string[] fragments)
    {
        var (code, output, error) = await CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        Assert.StartsWith("mlops: error: ", lines[0]);
        foreach (string fragment in fragments)
            Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain("   at ", error);
    }
}
