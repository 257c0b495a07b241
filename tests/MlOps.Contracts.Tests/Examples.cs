using System.Text;
using System.Text.Json.Nodes;
using MlOps.Contracts.Schemas;
using MlOps.Contracts.Validation;

namespace MlOps.Contracts.Tests;

/// <summary>The JSON examples from DESIGN.md, the schemas they are checked against, and helpers to vary them.</summary>
internal static class Examples
{
    public const string Prediction = """
        { "schemaVersion": 1, "predictionId": "p-000123", "model": "churn", "modelVersion": "3",
          "timestamp": "2026-11-24T10:15:02.123Z",
          "features": { "age": 42, "tenure_months": 12, "plan": "gold", "income": null },
          "prediction": "1", "score": 0.73, "latencyMs": 8.4, "tags": { "region": "eu" } }
        """;

    public const string Outcome = """
        { "schemaVersion": 1, "predictionId": "p-000123", "model": "churn",
          "timestamp": "2026-11-25T08:00:00Z", "actual": "1" }
        """;

    public const string ChurnSchemaJson = """
        {"model":"churn","task":"binary","positiveClass":"1","classes":["0","1"],
         "features":[{"name":"age","type":"numeric","required":true},
                     {"name":"tenure_months","type":"numeric","required":true},
                     {"name":"plan","type":"categorical","required":false},
                     {"name":"income","type":"numeric"},
                     {"name":"is_student","type":"boolean"}]}
        """;

    public const string PriceSchemaJson = """
        {"model":"price","task":"regression",
         "features":[{"name":"sqft","type":"numeric","required":true},{"name":"has_garage","type":"boolean"}]}
        """;

    public static ModelSchema Churn { get; } = ModelSchema.Parse(ChurnSchemaJson);

    public static ModelSchema Price { get; } = ModelSchema.Parse(PriceSchemaJson);

    public static ModelSchema? Lookup(string model) => model switch
    {
        "churn" => Churn,
        "price" => Price,
        _ => null,
    };

    public static EventValidator Validator { get; } = new(Lookup);

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>The DESIGN.md prediction with <paramref name="change"/> applied.</summary>
    public static byte[] PredictionWith(Action<JsonObject> change) => With(Prediction, change);

    /// <summary>The DESIGN.md outcome with <paramref name="change"/> applied.</summary>
    public static byte[] OutcomeWith(Action<JsonObject> change) => With(Outcome, change);

    private static byte[] With(string json, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        change(node);
        return Utf8(node.ToJsonString());
    }
}
