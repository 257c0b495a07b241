using System.Text;
using System.Text.Json;

namespace MlOps.Cli.Output;

/// <summary>
/// Writes the drift documents with a <see cref="Utf8JsonWriter"/>, byte for byte what <see cref="DriftJsonContext"/>
/// serialises (indented, camel-case names, non-finite numbers as strings): the serializer's metadata is compiled on
/// first use, which costs a one-shot command like <c>mlops drift</c> more time than writing the document.
/// </summary>
internal static class DriftJsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static string Write(DriftReportJson document) => Write(writer => Report(writer, null, document));

    public static string Write(MultiMethodDriftJson document) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("referenceRows", document.ReferenceRows);
        writer.WriteNumber("currentRows", document.CurrentRows);
        writer.WriteStartArray("methods");
        foreach (var method in document.Methods)
            Report(writer, method.Method, new DriftReportJson(method.ReferenceRows, method.CurrentRows, method.Features, method.DriftedShare, method.DatasetDrift));
        writer.WriteEndArray();
        writer.WriteBoolean("datasetDrift", document.DatasetDrift);
        writer.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
            write(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Report(Utf8JsonWriter writer, string? method, DriftReportJson document)
    {
        writer.WriteStartObject();
        if (method is not null)
            writer.WriteString("method", method);
        writer.WriteNumber("referenceRows", document.ReferenceRows);
        writer.WriteNumber("currentRows", document.CurrentRows);
        writer.WriteStartArray("features");
        foreach (var f in document.Features)
        {
            writer.WriteStartObject();
            writer.WriteString("name", f.Name);
            writer.WriteString("type", f.Type);
            writer.WriteString("method", f.Method);
            Number(writer, "statistic", f.Statistic);
            if (f.PValue is { } p)
                Number(writer, "pValue", p);
            else
                writer.WriteNull("pValue");
            Number(writer, "threshold", f.Threshold);
            writer.WriteBoolean("drifted", f.Drifted);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        Number(writer, "driftedShare", document.DriftedShare);
        writer.WriteBoolean("datasetDrift", document.DatasetDrift);
        writer.WriteEndObject();
    }

    // JsonNumberHandling.AllowNamedFloatingPointLiterals: NaN and the infinities as the strings the serializer writes.
    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumber(name, value);
        else
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
