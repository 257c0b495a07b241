using System.Text;

namespace MlOps.Kafka.Tests;

/// <summary>A writer another thread can read while a command writes to it.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly StringBuilder text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (text)
            text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (text)
            text.Append(value);
    }

    public string Text
    {
        get
        {
            lock (text)
                return text.ToString();
        }
    }

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
