using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlOps.Cli.Output;
using MlOps.Client.Platform;
using MlOps.Client.Registry;

namespace MlOps.Cli.Registry;

/// <summary>One registry command's run: the typed client, the output format, and where to print.</summary>
internal sealed class RegistryCall(RegistryClient client, RetrainingClient retraining, OutputFormat format, TextWriter output)
{
    public RegistryClient Client { get; } = client;

    /// <summary>The orchestrator's API (same address as the registry's under <c>mlops up</c>).</summary>
    public RetrainingClient Retraining { get; } = retraining;

    public TextWriter Out { get; } = output;

    /// <summary>Prints a response: <c>--format json</c> prints the API's document (the same source-generated shape the registry writes); tables get the record.</summary>
    public void Print<T>(T value, JsonTypeInfo<T> type, Action<T, TextWriter> table)
    {
        if (format == OutputFormat.Json)
        {
            Out.WriteLine(JsonSerializer.Serialize(value, type));
            return;
        }

        table(value, Out);
    }
}
