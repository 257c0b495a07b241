using System.Text.Json.Nodes;
using MlOps.Contracts.Schemas;
using MlOps.Contracts.Validation;
using static MlOps.Contracts.Tests.Examples;

namespace MlOps.Contracts.Tests;

public class EventValidatorTests
{
    [Fact]
    public void Design_prediction_example_is_valid()
    {
        var e = ValidationAssert.Valid(Validator.ValidatePrediction(Utf8(Prediction)));

        Assert.Equal("p-000123", e.PredictionId);
        Assert.Equal(Scalar.Of(42), e.Features["age"]);
        Assert.Equal(Scalar.Missing, e.Features["income"]);
        Assert.Equal(Scalar.Of("1"), e.Prediction);
        Assert.Equal(0.73, e.Score);
    }

    [Fact]
    public void Design_outcome_example_is_valid()
    {
        var e = ValidationAssert.Valid(Validator.ValidateOutcome(Utf8(Outcome)));

        Assert.Equal(Scalar.Of("1"), e.Actual);
    }

    // One test per reason code.

    [Fact]
    public void Bytes_that_are_not_json_are_rejected_as_not_json() =>
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(Utf8("{\"schemaVersion\": 1,")), RejectReason.NotJson, "$");

    [Fact]
    public void A_record_over_the_size_limit_is_rejected_as_too_large()
    {
        var validator = new EventValidator(Lookup, new ValidationOptions { MaxRecordBytes = 100 });

        ValidationAssert.RejectedOnly(validator.ValidatePrediction(Utf8(Prediction)), RejectReason.TooLarge, "$");
    }

    [Fact]
    public void A_record_without_a_required_field_is_rejected_as_missing_field() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o.Remove("modelVersion"))), RejectReason.MissingField, "modelVersion");

    [Fact]
    public void A_field_of_the_wrong_json_type_is_rejected_as_wrong_type() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"]!["age"] = "42")), RejectReason.WrongType, "features.age");

    [Fact]
    public void A_feature_not_in_the_schema_is_rejected_as_unknown_feature() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"]!["shoe_size"] = 44)), RejectReason.UnknownFeature, "features.shoe_size");

    [Fact]
    public void A_model_without_a_schema_is_rejected_as_unknown_model()
    {
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PredictionWith(o => o["model"] = "fraud")), RejectReason.UnknownModel, "model");
        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(OutcomeWith(o => o["model"] = "fraud")), RejectReason.UnknownModel, "model");
    }

    [Fact]
    public void A_timestamp_without_an_offset_is_rejected_as_bad_timestamp() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["timestamp"] = "2026-11-24T10:15:02.123")), RejectReason.BadTimestamp, "timestamp");

    [Fact]
    public void A_schema_version_other_than_1_is_rejected_as_unsupported_schema_version() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["schemaVersion"] = 2)), RejectReason.UnsupportedSchemaVersion, "schemaVersion");

    [Fact]
    public void An_empty_prediction_id_is_rejected_as_invalid_value() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["predictionId"] = "")), RejectReason.InvalidValue, "predictionId");

    [Fact]
    public void A_record_with_several_problems_reports_all_of_them()
    {
        var json = """
            { "schemaVersion": 7, "predictionId": 123, "model": "churn",
              "timestamp": "last tuesday",
              "features": { "age": "old", "plan": 3, "shoe_size": 44, "income": 1e400 },
              "prediction": "maybe", "score": 1.5, "latencyMs": -1, "tags": { "region": 1 } }
            """;

        var result = Validator.ValidatePrediction(Utf8(json));

        Assert.False(result.IsValid);
        var expected = new[]
        {
            (RejectReason.UnsupportedSchemaVersion, "schemaVersion"),
            (RejectReason.WrongType, "predictionId"),
            (RejectReason.BadTimestamp, "timestamp"),
            (RejectReason.WrongType, "features.age"),
            (RejectReason.WrongType, "features.plan"),
            (RejectReason.UnknownFeature, "features.shoe_size"),
            (RejectReason.InvalidValue, "features.income"),
            (RejectReason.MissingField, "features.tenure_months"),
            (RejectReason.InvalidValue, "prediction"),
            (RejectReason.InvalidValue, "score"),
            (RejectReason.InvalidValue, "latencyMs"),
            (RejectReason.WrongType, "tags.region"),
            (RejectReason.MissingField, "modelVersion"),
        };
        Assert.Equal(expected, result.Errors.Select(e => (e.Code, e.Field)));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Unknown_model_is_the_reported_reason_even_when_other_fields_are_broken_too()
    {
        var result = Validator.ValidatePrediction(PredictionWith(o =>
        {
            o["schemaVersion"] = "1";
            o["model"] = "fraud";
        }));

        Assert.Equal(RejectReason.UnknownModel, result.Reason);
        ValidationAssert.Rejected(result, RejectReason.WrongType, "schemaVersion");
    }

    // Field rules.

    [Theory]
    [InlineData("schemaVersion")]
    [InlineData("predictionId")]
    [InlineData("model")]
    [InlineData("modelVersion")]
    [InlineData("timestamp")]
    [InlineData("features")]
    [InlineData("prediction")]
    public void Every_required_prediction_field_is_checked_for_absence_and_null(string field)
    {
        ValidationAssert.Rejected(Validator.ValidatePrediction(PredictionWith(o => o.Remove(field))), RejectReason.MissingField, field);
        ValidationAssert.Rejected(Validator.ValidatePrediction(PredictionWith(o => o[field] = null)), RejectReason.MissingField, field);
    }

    [Theory]
    [InlineData("schemaVersion")]
    [InlineData("predictionId")]
    [InlineData("model")]
    [InlineData("timestamp")]
    [InlineData("actual")]
    public void Every_required_outcome_field_is_checked_for_absence(string field) =>
        ValidationAssert.Rejected(Validator.ValidateOutcome(OutcomeWith(o => o.Remove(field))), RejectReason.MissingField, field);

    [Fact]
    public void Optional_fields_may_be_absent_or_null()
    {
        var e = ValidationAssert.Valid(Validator.ValidatePrediction(PredictionWith(o =>
        {
            o.Remove("score");
            o["latencyMs"] = null;
            o.Remove("tags");
            o["features"]!.AsObject().Remove("plan");
        })));

        Assert.Null(e.Score);
        Assert.Null(e.LatencyMs);
        Assert.Null(e.Tags);
        Assert.False(e.Features.ContainsKey("plan"));
    }

    [Fact]
    public void A_required_feature_that_is_null_is_a_missing_field() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"]!["age"] = null)), RejectReason.MissingField, "features.age");

    [Fact]
    public void A_required_feature_that_is_absent_is_a_missing_field() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"]!.AsObject().Remove("tenure_months"))),
            RejectReason.MissingField,
            "features.tenure_months");

    [Fact]
    public void A_categorical_feature_accepts_strings_only() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"]!["plan"] = 3)), RejectReason.WrongType, "features.plan");

    [Fact]
    public void A_boolean_feature_accepts_true_and_false_only()
    {
        var e = ValidationAssert.Valid(Validator.ValidatePrediction(PredictionWith(o => o["features"]!["is_student"] = false)));
        Assert.Equal(Scalar.Of(false), e.Features["is_student"]);

        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"]!["is_student"] = 0)), RejectReason.WrongType, "features.is_student");
    }

    [Fact]
    public void Features_must_be_an_object() =>
        ValidationAssert.RejectedOnly(
            Validator.ValidatePrediction(PredictionWith(o => o["features"] = new JsonArray(1, 2))), RejectReason.WrongType, "features");

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("0", "0")]
    [InlineData("\"0\"", "0")]
    public void A_classification_label_sent_as_a_number_becomes_its_invariant_string(string prediction, string expected)
    {
        var json = Prediction.Replace("\"prediction\": \"1\"", "\"prediction\": " + prediction, StringComparison.Ordinal);

        var e = ValidationAssert.Valid(Validator.ValidatePrediction(Utf8(json)));

        Assert.Equal(Scalar.Of(expected), e.Prediction);
    }

    [Fact]
    public void A_classification_label_sent_as_a_boolean_becomes_true_or_false_text()
    {
        var schema = ModelSchema.Parse("""{"model":"spam","task":"binary","positiveClass":"true","features":[]}""");
        var validator = new EventValidator(m => m == "spam" ? schema : null);

        var e = ValidationAssert.Valid(validator.ValidateOutcome(OutcomeWith(o =>
        {
            o["model"] = "spam";
            o["actual"] = true;
        })));

        Assert.Equal(Scalar.Of("true"), e.Actual);
    }

    [Fact]
    public void A_label_outside_the_declared_classes_is_an_invalid_value()
    {
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PredictionWith(o => o["prediction"] = "2")), RejectReason.InvalidValue, "prediction");
        ValidationAssert.RejectedOnly(Validator.ValidateOutcome(OutcomeWith(o => o["actual"] = 2)), RejectReason.InvalidValue, "actual");
    }

    [Fact]
    public void Without_declared_classes_any_label_is_accepted()
    {
        var schema = ModelSchema.Parse("""{"model":"churn","task":"binary","positiveClass":"yes","features":[]}""");
        var validator = new EventValidator(_ => schema);

        ValidationAssert.Valid(validator.ValidateOutcome(OutcomeWith(o => o["actual"] = "whatever")));
    }

    [Fact]
    public void A_regression_prediction_must_be_a_number()
    {
        byte[] PriceRecord(JsonNode? prediction) => PredictionWith(o =>
        {
            o["model"] = "price";
            o["features"] = new JsonObject { ["sqft"] = 120.5, ["has_garage"] = true };
            o["prediction"] = prediction;
            o.Remove("score");
        });

        var e = ValidationAssert.Valid(Validator.ValidatePrediction(PriceRecord(199999.5)));
        Assert.Equal(Scalar.Of(199999.5), e.Prediction);

        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PriceRecord("199999.5")), RejectReason.WrongType, "prediction");
        ValidationAssert.RejectedOnly(Validator.ValidatePrediction(PriceRecord(true)), RejectReason.WrongType, "prediction");
    }

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
