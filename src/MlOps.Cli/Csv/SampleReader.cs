namespace MlOps.Cli.Csv;

/// <summary>Reads chosen columns of a CSV file into <see cref="ColumnSample"/>s, streaming row by row.</summary>
internal static class SampleReader
{
    /// <summary>Reads the columns; returns the samples and the number of data rows.</summary>
    public static (IReadOnlyList<ColumnSample> Columns, long Rows) Read(
        string path,
        IReadOnlyList<(string Name, ColumnType Type)> columns,
        ProgressReporter progress,
        CancellationToken cancellationToken)
    {
        using var source = CsvSource.Open(path);
        var samples = columns.Select(c => new ColumnSample(c.Name, source.Ordinal(c.Name), c.Type)).ToArray();
        using var task = progress.Track(source);
        while (source.Read())
        {
            if ((source.Row & 0x3FFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                task.Report();
            }

            foreach (var sample in samples)
            {
                var field = source.Field(sample.Ordinal);
                if (sample.Type == ColumnType.Categorical)
                {
                    if (CsvSource.IsMissing(field))
                        sample.Missing++;
                    else
                        sample.AddLabel(field);
                    continue;
                }

                if (sample.NotNumeric)
                    continue;
                if (CsvSource.TryParseNumber(field, out double value))
                {
                    if (double.IsFinite(value))
                        sample.Numbers.Add(value);
                    else
                        sample.Missing++; // pandas reads NaN as missing, and Evidently drops ±inf too
                }
                else if (CsvSource.IsMissing(field))
                {
                    sample.Missing++;
                }
                else if (sample.Type == ColumnType.Numeric)
                {
                    throw source.Error(sample.Name, $"'{Shorten(field)}' is not a number, but the schema says the column is numeric");
                }
                else
                {
                    sample.NotNumeric = true;
                    sample.FirstText = Shorten(field);
                }
            }
        }

        return (samples, source.Row);
    }

    private static string Shorten(ReadOnlySpan<char> field) => field.Length <= 40 ? field.ToString() : string.Concat(field[..40], "…");
}
