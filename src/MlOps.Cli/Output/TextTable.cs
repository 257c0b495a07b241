using System.Text;

namespace MlOps.Cli.Output;

/// <summary>A plain, aligned text table for terminals; numbers right-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException("One cell per column.", nameof(cells));
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (int i = 0; i < row.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        }

        var sb = new StringBuilder();
        AppendRow(sb, headers, widths, header: true);
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
            AppendRow(sb, row, widths, header: false);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, bool header)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
                sb.Append("  ");
            bool number = !header && cells[i].Length > 0 && (char.IsDigit(cells[i][0]) || cells[i][0] is '-' or '.');
            sb.Append(number ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        while (sb.Length > 0 && sb[^1] == ' ')
            sb.Length--;
        sb.Append('\n');
    }
}
