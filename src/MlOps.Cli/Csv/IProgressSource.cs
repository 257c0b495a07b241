namespace MlOps.Cli.Csv;

/// <summary>A file being read, as <see cref="ProgressReporter"/> shows it.</summary>
internal interface IProgressSource
{
    /// <summary>Bytes read so far.</summary>
    long Position { get; }

    /// <summary>Bytes in the file.</summary>
    long Length { get; }
}
