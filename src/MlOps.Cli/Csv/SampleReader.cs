namespace MlOps.Cli.Csv;

/// <summary>
/// Reads chosen columns of a CSV file into <see cref="ColumnSample"/>s: in parallel segments of UTF-8 bytes when the
/// file is plain (<see cref="ChunkedSampleReader"/>), else row by row through <see cref="CsvSource"/>, which handles
/// quotes, comments and other encodings. Both give the same samples, row count and errors.
/// </summary>
internal static class SampleReader
{
    /// <summary>Reads the columns; returns the samples and the number of data rows.</summary>
    public static (IReadOnlyList<ColumnSample> Columns, long Rows) Read(
        string path,
        IReadOnlyList<(string Name, ColumnType Type)> columns,
        ProgressReporter progress,
        CancellationToken cancellationToken) =>
        Read(path, columns, progress, cancellationToken, ChunkedSampleReader.DefaultSegmentBytes);

    /// <summary>Reads the columns; <paramref name="segmentBytes"/> = 0 reads row by row (for tests).</summary>
    internal static (IReadOnlyList<ColumnSample> Columns, long Rows) Read(
        string path,
        IReadOnlyList<(string Name, ColumnType Type)> columns,
        ProgressReporter progress,
        CancellationToken cancellationToken,
        int segmentBytes)
    {
        using var source = CsvSource.Open(path);
        var ordinals = columns.Select(c => (c.Name, c.Type, source.Ordinal(c.Name))).ToArray();
        if (segmentBytes > 0 && ChunkedSampleReader.TryRead(path, ordinals, progress, cancellationToken, segmentBytes) is { } read)
            return read;
        return ReadRows(source, ordinals, progress, cancellationToken);
    }

    internal static string Shorten(ReadOnlySpan<char> field) => field.Length <= 40 ? field.ToString() : string.Concat(field[..40], "…");

    private static (IReadOnlyList<ColumnSample> Columns, long Rows) ReadRows(
        CsvSource source,
        IReadOnlyList<(string Name, ColumnType Type, int Ordinal)> columns,
        ProgressReporter progress,
        CancellationToken cancellationToken)
    {
        var samples = columns.Select(c => new ColumnSample(c.Name, c.Ordinal, c.Type)).ToArray();
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
}
