using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Hosting.Problems;

/// <summary>
/// Reads every string of a JSON request body (values and dictionary keys) under <see cref="RequestText"/>: a string it
/// refuses fails binding, which <see cref="BadRequestExceptionHandler"/> answers as 400 problem+json naming the field.
/// Writing is unchanged.
/// </summary>
internal sealed class RequestTextJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Checked(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Checked(string value) =>
        RequestText.Problem(value) is { } problem ? throw new JsonException($"The value {problem}.") : value;
}
