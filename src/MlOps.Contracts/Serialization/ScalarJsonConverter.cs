using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Contracts.Serialization;

/// <summary>
/// Reads and writes a <see cref="Scalar"/> as the bare JSON value it stands for (number, string, boolean, null).
/// Public because <see cref="Scalar"/> names it in its <see cref="JsonConverterAttribute"/>, which other
/// assemblies' source-generated contexts must be able to instantiate.
/// </summary>
public sealed class ScalarJsonConverter : JsonConverter<Scalar>
{
    /// <summary>JSON <c>null</c> is a value (<see cref="Scalar.Missing"/>), so this converter sees it.</summary>
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override Scalar Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return Scalar.Missing;
            case JsonTokenType.True:
                return Scalar.Of(true);
            case JsonTokenType.False:
                return Scalar.Of(false);
            case JsonTokenType.String:
                return Scalar.Of(reader.GetString());
            case JsonTokenType.Number:
                if (reader.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return Scalar.Of(number);
                }

                throw new JsonException("Number is outside the range of a double.");
            default:
                throw new JsonException($"Expected a number, string, boolean or null but found {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Scalar value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.Kind)
        {
            case ScalarKind.Number:
                writer.WriteNumberValue(value.Number);
                break;
            case ScalarKind.Text:
                writer.WriteStringValue(value.Text);
                break;
            case ScalarKind.Boolean:
                writer.WriteBooleanValue(value.Boolean);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
