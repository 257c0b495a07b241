using System.Text.Json.Serialization.Metadata;
using MlOps.Cli.Output;

namespace MlOps.Cli.Registry;

/// <summary>One registry command's run: the client, the output format, and where to print.</summary>
internal sealed class RegistryCall(RegistryClient client, OutputFormat format, TextWriter output)
{
    public RegistryClient Client { get; } = client;

    public TextWriter Out { get; } = output;

    /// <summary>Prints a response: <c>--format json</c> prints the API's document unchanged; the table writer gets it parsed.</summary>
    public void Print<T>(string body, JsonTypeInfo<T> type, Action<T, TextWriter> table)
    {
        if (format == OutputFormat.Json)
        {
            Out.WriteLine(body);
            return;
        }

        table(Client.Read(body, type), Out);
    }
}
