using System.Globalization;
using System.Text;

namespace MlOps.Cli.Tests;

/// <summary>A temporary folder for test files, deleted afterwards.</summary>
public sealed class TempFiles : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlops-cli-tests-").FullName;

    public string Write(string name, string content)
    {
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    public string Csv(string name, string header, IEnumerable<IEnumerable<object?>> rows)
    {
        var sb = new StringBuilder(header).Append('\n');
        foreach (var row in rows)
            sb.AppendJoin(',', row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")).Append('\n');
        return Write(name, sb.ToString());
    }

    public static string Reference(string file) => Path.Combine(AppContext.BaseDirectory, "Reference", file);

    public static string Example(string file) => Path.Combine(AppContext.BaseDirectory, "examples", file);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
