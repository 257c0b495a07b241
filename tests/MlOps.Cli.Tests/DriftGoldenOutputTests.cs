namespace MlOps.Cli.Tests;

/// <summary>
/// <c>mlops drift</c> prints, byte for byte, what it printed before the reader and parser were made faster: the files in
/// Golden/ were written by the build before that change (the command line of each is in <see cref="Cases"/>). The
/// long-digits files hold 17-digit numbers, subnormals, wide exponents and an overflow, which the fast paths do not read.
/// </summary>
public class DriftGoldenOutputTests
{
    private const string Examples = "--reference examples/reference.csv --current examples/current.csv";
    private const string LongDigits = "--reference tests/MlOps.Cli.Tests/Golden/long-digits-reference.csv --current tests/MlOps.Cli.Tests/Golden/long-digits-current.csv";
    private const string NumericColumns = "--columns age,tenure_months,income";

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string format in new[] { "json", "table" })
        {
            cases.Add($"examples-auto-{format}", $"{Examples} --format {format}");
            cases.Add($"examples-ks-{format}", $"{Examples} {NumericColumns} --method ks --format {format}");
            cases.Add($"examples-wasserstein-{format}", $"{Examples} {NumericColumns} --method wasserstein --format {format}");
            cases.Add($"examples-ks,wasserstein-{format}", $"{Examples} {NumericColumns} --method ks,wasserstein --format {format}");
            cases.Add($"examples-auto,psi,jensenshannon-{format}", $"{Examples} --method auto,psi,jensenshannon --format {format}");
            cases.Add($"examples-schema-{format}", $"{Examples} --schema examples/schema.json --format {format}");
            cases.Add($"long-digits-ks,wasserstein,psi-{format}", $"{LongDigits} --method ks,wasserstein,psi --format {format}");
        }

        foreach (string method in new[] { "chisquare", "hellinger", "ztest" })
            cases.Add($"examples-{method}-json", $"{Examples} --method {method} --format json");
        cases.Add("examples-threshold-json", $"{Examples} --threshold 0.2 --format json");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Drift_prints_what_it_printed_before(string name, string arguments)
    {
        // The golden files were written from the repository's root with the relative paths above.
        string root = AppContext.BaseDirectory;
        string examples = Path.Combine(root, "examples") + Path.DirectorySeparatorChar;
        string golden = Path.Combine(root, "Golden") + Path.DirectorySeparatorChar;
        string[] args = ["drift", .. arguments.Split(' ').Select(a => a.Replace("examples/", examples, StringComparison.Ordinal).Replace("tests/MlOps.Cli.Tests/Golden/", golden, StringComparison.Ordinal))];

        var (code, output, error) = await CliRunner.Run(args);

        string printed = (output + error).Replace(examples, "examples/", StringComparison.Ordinal).Replace(golden, "tests/MlOps.Cli.Tests/Golden/", StringComparison.Ordinal) + $"exit {code}\n";
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(golden, name + ".txt")), printed);
    }
}
