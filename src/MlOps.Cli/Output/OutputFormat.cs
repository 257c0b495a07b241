using System.CommandLine;

namespace MlOps.Cli.Output;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>An aligned table for people.</summary>
    Table,

    /// <summary>A JSON document for scripts.</summary>
    Json,
}

/// <summary>The shared <c>--format table|json</c> option.</summary>
internal static class OutputFormats
{
    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    public static OutputFormat Parse(string? value) =>
        string.Equals(value, "json", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Table;
}
