using System.Text.Json;

namespace MlOps.Statistics.Tests;

/// <summary>Loads the SciPy/scikit-learn reference vectors shipped next to the tests.</summary>
internal static class ReferenceData
{
    private static readonly Dictionary<string, JsonDocument> Cache = [];
    private static readonly Lock Gate = new();

    public static JsonElement Load(string file)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(file, out var document))
            {
                string path = Path.Combine(AppContext.BaseDirectory, "Reference", file);
                document = JsonDocument.Parse(File.ReadAllBytes(path));
                Cache[file] = document;
            }

            return document.RootElement;
        }
    }

    public static JsonElement Case(string file, string section, int index) => Load(file).GetProperty(section)[index];

    public static int Count(string file, string section) => Load(file).GetProperty(section).GetArrayLength();

    public static TheoryData<int> Indices(string file, string section)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Count(file, section); i++)
            data.Add(i);
        return data;
    }

    public static double[] Doubles(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(x => x.GetDouble()).ToArray();

    public static long[] Longs(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(x => x.GetInt64()).ToArray();

    public static string[] Strings(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToArray();

    public static double Double(this JsonElement e, string property) => e.GetProperty(property).GetDouble();

    public static double[] Sorted(double[] values)
    {
        var copy = (double[])values.Clone();
        Array.Sort(copy);
        return copy;
    }
}
