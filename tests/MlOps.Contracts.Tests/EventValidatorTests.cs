using System.Text;
using System.Text.Json;
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
    public void A_valid_prediction_keeps_its_features_object_as_sent_and_it_reads_back_to_the_same_values()
    {
        // Spaces, an escape, a number spelled two ways and a null: the monitor stores these bytes as they came.
        const string features = "{ \"age\" : 4.20e1,\n \"plan\": \"g\\u006fld\", \"income\": null, \"tenure_months\": 12.0 }";
        string record = Prediction.Replace("""{ "age": 42, "tenure_months": 12, "plan": "gold", "income": null }""", features, StringComparison.Ordinal);

        var e = ValidationAssert.Valid(Validator.ValidatePrediction(Utf8("\uFEFF" + record)));

        Assert.Equal(features, Encoding.UTF8.GetString(e.FeaturesJson.Span));
        var read = JsonSerializer.Deserialize(e.FeaturesJson.Span, Serialization.ContractsJsonContext.Default.IReadOnlyDictionaryStringScalar)!;
        Assert.Equal(e.Features.OrderBy(kv => kv.Key, StringComparer.Ordinal), read.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(Scalar.Of("gold"), read["plan"]);
    }

    [Fact]
    public void Design_outcome_example_is_valid()
    {
        var e = ValidationAssert.Valid(Validator.ValidateOutcome(Utf8(Outcome)));

        Assert.Equal(Scalar.Of("1"), e.Actual);
    }

    [Fact]
    public void A_rejected_record_names_its_model_only_when_the_model_is_registered()
    {
        var wrongType = Validator.ValidatePrediction(PredictionWith(o => o["features"]!["age"] = "42"));
        var unknown = Validator.ValidatePrediction(PredictionWith(o => o["model"] = "no-such-model"));
        var notJson = Validator.ValidatePrediction(Utf8("{\"model\": \"churn\","));

        Assert.Equal(("churn", null, null), (wrongType.Model, unknown.Model, notJson.Model));
        Assert.Equal("churn", Validator.ValidateOutcome(Utf8(Outcome.Replace("\"actual\"", "\"actual_\"", StringComparison.Ordinal))).Model);
    }

    [Fact]
    public void An_unknown_model_rejection_keeps_the_name_as_written_for_a_second_lookup_and_no_other_rejection_does()
    {
        var unknown = Validator.ValidatePrediction(PredictionWith(o => o["model"] = "no-such-model"));
        var unknownOutcome = Validator.ValidateOutcome(OutcomeWith(o => o["model"] = "no-such-model"));
        var wrongType = Validator.ValidatePrediction(PredictionWith(o => o["features"]!["age"] = "42"));
        var notJson = Validator.ValidatePrediction(Utf8("{\"model\": \"no-such-model\","));

        Assert.Equal(("no-such-model", "no-such-model"), (unknown.UnknownModel, unknownOutcome.UnknownModel));
        Assert.Null(unknownOutcome.Model);
        Assert.Null(wrongType.UnknownModel);
        Assert.Null(notJson.UnknownModel);
        Assert.Null(Validator.ValidatePrediction(Utf8(Prediction)).UnknownModel);
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
}
