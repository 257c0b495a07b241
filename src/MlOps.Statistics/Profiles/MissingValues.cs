namespace MlOps.Statistics.Profiles;

/// <summary>
/// Which text cells of tabular data mean "missing": empty, or one of pandas' default NA strings, so a CSV means the same
/// to MlOps as it does in a notebook. Shared by every CSV reader (the CLI's and the registry's reference builder).
/// </summary>
public static class MissingValues
{
    private static readonly HashSet<string> Tokens = new(StringComparer.Ordinal)
    {
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Tokens.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when the cell (surrounding spaces ignored) is empty or an NA string.</summary>
    public static bool IsMissing(ReadOnlySpan<char> cell)
    {
        if (cell.IsEmpty)
            return true;
        return cell.Length <= 9 && Lookup.Contains(cell.Trim());
    }
}
