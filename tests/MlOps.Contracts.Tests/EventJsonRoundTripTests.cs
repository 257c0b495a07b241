using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Contracts.Events;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Tests;

public class EventJsonRoundTripTests
{
    [Fact]
    public void Design_prediction_example_deserializes_to_the_expected_values()
    {
        var e = JsonSerializer.Deserialize(Examples.Prediction, ContractsJsonContext.Default.PredictionEvent)!;

        Assert.Equal(1, e.SchemaVersion);
        Assert.Equal("p-000123", e.PredictionId);
        Assert.Equal("churn", e.Model);
        Assert.Equal("3", e.ModelVersion);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 15, 2, 123, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(Scalar.Of(42), e.Features["age"]);
        Assert.Equal(Scalar.Of(12), e.Features["tenure_months"]);
        Assert.Equal(Scalar.Of("gold"), e.Features["plan"]);
        Assert.Equal(Scalar.Missing, e.Features["income"]);
        Assert.Equal(Scalar.Of("1"), e.Prediction);
        Assert.Equal(0.73, e.Score);
        Assert.Equal(8.4, e.LatencyMs);
        Assert.Equal("eu", e.Tags!["region"]);
    }

    [Fact]
    public void Design_prediction_example_round_trips_semantically()
    {
        var e = JsonSerializer.Deserialize(Examples.Prediction, ContractsJsonContext.Default.PredictionEvent)!;

        var json = JsonSerializer.Serialize(e, ContractsJsonContext.Default.PredictionEvent);

        AssertSameJson(Examples.Prediction, json);
    }

    [Fact]
    public void Design_outcome_example_round_trips_semantically()
    {
        var e = JsonSerializer.Deserialize(Examples.Outcome, ContractsJsonContext.Default.OutcomeEvent)!;

        Assert.Equal(Scalar.Of("1"), e.Actual);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero), e.Timestamp);
        AssertSameJson(Examples.Outcome, JsonSerializer.Serialize(e, ContractsJsonContext.Default.OutcomeEvent));
    }

    [Fact]
    public void Validator_and_deserializer_agree_on_the_design_examples()
    {
        var validated = ValidationAssert.Valid(Examples.Validator.ValidatePrediction(Examples.Utf8(Examples.Prediction)));
        var outcome = ValidationAssert.Valid(Examples.Validator.ValidateOutcome(Examples.Utf8(Examples.Outcome)));

        AssertSameJson(Examples.Prediction, JsonSerializer.Serialize(validated, ContractsJsonContext.Default.PredictionEvent));
        AssertSameJson(Examples.Outcome, JsonSerializer.Serialize(outcome, ContractsJsonContext.Default.OutcomeEvent));
    }

    [Fact]
    public void Optional_fields_that_are_null_are_omitted_when_writing()
    {
        var e = new PredictionEvent
        {
            PredictionId = "p-1",
            Model = "churn",
            ModelVersion = "3",
            Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Features = new Dictionary<string, Scalar> { ["age"] = 42, ["plan"] = "gold", ["is_student"] = true, ["income"] = Scalar.Missing },
            Prediction = "0",
        };

        var json = JsonSerializer.Serialize(e, ContractsJsonContext.Default.PredictionEvent);

        AssertSameJson(
            """
            { "schemaVersion": 1, "predictionId": "p-1", "model": "churn", "modelVersion": "3",
              "timestamp": "2026-01-02T03:04:05Z",
              "features": { "age": 42, "plan": "gold", "is_student": true, "income": null }, "prediction": "0" }
            """,
            json);
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_a_z_suffix()
    {
        var e = new OutcomeEvent
        {
            PredictionId = "p-1",
            Model = "price",
            Timestamp = new DateTimeOffset(2026, 11, 25, 10, 0, 0, 500, TimeSpan.FromHours(2)),
            Actual = 199.5,
        };

        var json = JsonSerializer.Serialize(e, ContractsJsonContext.Default.OutcomeEvent);

        Assert.Contains("\"timestamp\":\"2026-11-25T08:00:00.5Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"actual\":199.5", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-25T08:00:00")]
    [InlineData("2026-11-25")]
    [InlineData("yesterday")]
    public void Deserializing_a_timestamp_without_an_offset_fails(string timestamp)
    {
        var json = Examples.Outcome.Replace("2026-11-25T08:00:00Z", timestamp, StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJsonContext.Default.OutcomeEvent));
    }

    [Fact]
    public void Deserializing_a_record_with_a_duplicate_key_fails()
    {
        var json = Examples.Outcome.Replace("\"actual\": \"1\"", "\"actual\": \"1\", \"actual\": \"0\"", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJsonContext.Default.OutcomeEvent));
    }

    [Fact]
    public void Deserializing_a_record_without_a_required_field_fails()
    {
        var json = """{ "schemaVersion": 1, "model": "churn", "timestamp": "2026-11-25T08:00:00Z", "actual": "1" }""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJsonContext.Default.OutcomeEvent));
    }

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)),
            $"JSON differs.\nexpected: {JsonNode.Parse(expected)!.ToJsonString()}\nactual:   {actual}");
}
