using System.Text.Json.Nodes;
using MlOps.Contracts.Validation;
using static MlOps.Contracts.Tests.Examples;

namespace MlOps.Contracts.Tests;

/// <summary>Values at the edges (ranges, repeated keys, timestamps) and bytes that are not the JSON they claim to be.</summary>
public class EventValidatorEdgeCaseTests
{
    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void A_score_outside_zero_to_one_is_an_invalid_value(double score) =>
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PredictionWith(o => o["score"] = score)), RejectReason.InvalidValue, "score");

    [Fact]
    public void A_negative_latency_is_an_invalid_value() =>
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PredictionWith(o => o["latencyMs"] = -0.5)), RejectReason.InvalidValue, "latencyMs");

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void A_number_beyond_double_range_is_an_invalid_value(string number)
    {
        var json = Prediction.Replace("\"age\": 42", "\"age\": " + number, StringComparison.Ordinal);

        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8(json)), RejectReason.InvalidValue, "features.age");
    }

    [Theory]
    [InlineData("\"schemaVersion\": 1,", "schemaVersion")]
    [InlineData("\"model\": \"churn\",", "model")]
    public void A_repeated_top_level_key_is_an_invalid_value(string repeated, string field)
    {
        var json = "{ " + repeated + Prediction[1..];

        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8(json)), RejectReason.InvalidValue, field);
    }

    [Fact]
    public void A_repeated_feature_key_is_an_invalid_value()
    {
        var json = Prediction.Replace("\"age\": 42,", "\"age\": 42, \"age\": 43,", StringComparison.Ordinal);

        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8(json)), RejectReason.InvalidValue, "features.age");
    }

    [Fact]
    public void A_repeated_tag_key_is_an_invalid_value()
    {
        var json = Prediction.Replace("\"region\": \"eu\"", "\"region\": \"eu\", \"region\": \"us\"", StringComparison.Ordinal);

        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8(json)), RejectReason.InvalidValue, "tags.region");
    }

    [Theory]
    [InlineData("2026-11-24T10:15:02+01:00")]
    [InlineData("2026-11-24T10:15:02.1234567-05:30")]
    [InlineData("2026-11-24T10:15:02Z")]
    public void Timestamps_with_an_offset_are_accepted(string timestamp)
    {
        var e = ValidationAssert.Valid(Validator.ValidatePrediction(PredictionWith(o => o["timestamp"] = timestamp)));

        Assert.Equal(DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), e.Timestamp);
    }

    [Theory]
    [InlineData("2026-11-24")]
    [InlineData("2026-13-24T10:15:02Z")]
    [InlineData("24/11/2026 10:15")]
    [InlineData("")]
    public void Timestamps_that_are_not_iso_8601_with_an_offset_are_bad(string timestamp) =>
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PredictionWith(o => o["timestamp"] = timestamp)), RejectReason.BadTimestamp, "timestamp");

    [Fact]
    public void A_timestamp_that_is_not_a_string_is_the_wrong_type() =>
        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(OutcomeWith(o => o["timestamp"] = 1764000000000)), RejectReason.WrongType, "timestamp");

    [Fact]
    public void The_model_may_come_after_the_features()
    {
        var json = """
            { "features": { "age": 42, "tenure_months": 12 }, "prediction": 0, "schemaVersion": 1,
              "predictionId": "p-1", "modelVersion": "3", "timestamp": "2026-11-24T10:15:02Z", "model": "churn" }
            """;

        var e = ValidationAssert.Valid(Validator.ValidatePrediction(Utf8(json)));

        Assert.Equal("churn", e.Model);
        Assert.Equal(Scalar.Of("0"), e.Prediction);
    }

    [Fact]
    public void Unknown_top_level_fields_are_ignored_for_forward_compatibility()
    {
        var e = ValidationAssert.Valid(Validator.ValidatePrediction(PredictionWith(o => o["traceId"] = new JsonObject { ["a"] = new JsonArray(1, 2) })));

        Assert.Equal("p-000123", e.PredictionId);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    public void A_record_that_is_json_but_not_an_object_is_the_wrong_type(string json) =>
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8(json)), RejectReason.WrongType, "$");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{} {}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{\"a\": 1} // comment")]
    [InlineData("{'a': 1}")]
    public void Malformed_json_is_not_json(string json) =>
        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(Utf8(json)), RejectReason.NotJson, "$");

    [Fact]
    public void Invalid_utf8_is_not_json()
    {
        var bytes = Utf8(Outcome);
        bytes[Array.IndexOf(bytes, (byte)'p')] = 0xC3; // lead byte without its continuation

        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(bytes), RejectReason.NotJson, "$");
    }

    [Fact]
    public void A_string_escaping_a_lone_surrogate_is_not_json()
    {
        var json = Outcome.Replace("p-000123", "p-\\ud800", StringComparison.Ordinal);

        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(Utf8(json)), RejectReason.NotJson, "$");
    }

    [Fact]
    public void Escaped_strings_are_unescaped()
    {
        var json = Outcome.Replace("p-000123", "p-\\u00e9\\n", StringComparison.Ordinal).Replace("\"model\"", "\"mod\\u0065l\"", StringComparison.Ordinal);

        var e = ValidationAssert.Valid(Validator.ValidateOutcome(Utf8(json)));

        Assert.Equal("p-é\n", e.PredictionId);
    }

    [Fact]
    public void Feature_names_match_the_schema_escaped_in_any_order_and_an_undeclared_one_is_unknown()
    {
        var json = Prediction.Replace(
            "\"features\": { \"age\": 42, \"tenure_months\": 12, \"plan\": \"gold\", \"income\": null }",
            "\"features\": { \"income\": 1.5, \"pl\\u0061n\": \"gold\", \"age\": 42, \"tenure_months\": 12 }",
            StringComparison.Ordinal);

        var e = ValidationAssert.Valid(Validator.ValidatePrediction(Utf8(json)));

        // All four matched (the escaped one too), listed in the schema's order.
        Assert.Equal(["age", "tenure_months", "plan", "income"], e.Features.Keys);
        Assert.Equal("gold", e.Features["plan"].ToString());
        // One letter off, or another case, is not the declared feature.
        foreach (string name in new[] { "Age2", "AGE", "ag" })
            ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PredictionWith(o => o["features"]!.AsObject()[name] = 1)), RejectReason.UnknownFeature, $"features.{name}");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_not_json()
    {
        var json = Outcome.Replace("\"actual\"", "\"extra\": " + new string('[', 100) + new string(']', 100) + ", \"actual\"", StringComparison.Ordinal);

        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(Utf8(json)), RejectReason.NotJson, "$");
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_tolerated()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Utf8(Outcome)).ToArray();

        ValidationAssert.Valid(Validator.ValidateOutcome(bytes));
    }

    [Fact]
    public void The_number_of_reported_errors_is_capped()
    {
        var validator = new EventValidator(Lookup, new ValidationOptions { MaxErrors = 3 });
        var features = new JsonObject();
        for (var i = 0; i < 50; i++)
        {
            features["unknown_" + i] = i;
        }

        var result = validator.ValidatePrediction(PredictionWith(o => o["features"] = features));

        Assert.False(result.IsValid);
        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventValidator(Lookup, new ValidationOptions { MaxRecordBytes = 0 }));
        Assert.Throws<ArgumentNullException>(() => new EventValidator(null!));
    }

    [Fact]
    public void Reject_reasons_are_short_stable_snake_case_codes()
    {
        Assert.Equal(9, RejectReason.All.Count);
        Assert.Equal(RejectReason.All.Count, RejectReason.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(RejectReason.All, code => Assert.Matches("^[a-z]+(_[a-z]+)*$", code));
    }
}
