using System.Text.Json;
using MlOps.Contracts.Events;
using MlOps.Contracts.Schemas;
using static MlOps.Contracts.Validation.RejectReason;

namespace MlOps.Contracts.Validation;

/// <summary>
/// Turns the raw bytes of a Kafka record into a valid event or the full list of reasons it is not, so the consumer
/// can route bad records to the DLQ with a reason and keep going. It never throws on any input.
/// </summary>
/// <remarks>
/// <para>Rules: required fields present and of the right JSON type; <c>schemaVersion</c> is 1; timestamps are
/// ISO-8601 with an offset; features are declared in the model's schema, numeric ones are JSON numbers,
/// <b>categorical ones are JSON strings only</b> (a number is <c>wrong_type</c>: accepting <c>1</c> and <c>"1"</c>
/// would split one category in two), boolean ones are <c>true</c>/<c>false</c>; required features are present and
/// not null. <c>prediction</c>/<c>actual</c> are a number for regression and a class label for classification, where
/// a number or boolean is converted to its invariant text (<c>1</c> → <c>"1"</c>, <c>true</c> → <c>"true"</c>) and
/// checked against declared classes. <c>score</c> is in [0, 1], <c>latencyMs</c> ≥ 0, numbers are finite.</para>
/// <para>Unknown top-level fields are ignored (forward compatibility within a schema version); a key repeated at the
/// top level, in <c>features</c> or in <c>tags</c> is <c>invalid_value</c>.</para>
/// <para>The record is read with <see cref="Utf8JsonReader"/> over the caller's span. A plain record (short, no
/// escapes, the model before the features: what producers send) is read once. Any other, and any that fails, is read
/// twice: a first pass (<see cref="RecordPrescan"/>) checks size, UTF-8, syntax, depth and escapes and finds the model,
/// which may come after the features; a second validates fields, so every record gets the same errors either way. Nothing but the event's own strings and dictionaries, and a copy of its
/// <c>features</c> object (<see cref="PredictionEvent.FeaturesJson"/>), is allocated for a valid record.</para>
/// </remarks>
public sealed class EventValidator
{
    internal const string Root = "$";
    private const string SchemaVersionField = "schemaVersion";
    private const string PredictionIdField = "predictionId";
    private const string ModelField = "model";
    private const string ModelVersionField = "modelVersion";
    private const string TimestampField = "timestamp";
    private const string FeaturesField = "features";
    private const string PredictionField = "prediction";
    private const string ScoreField = "score";
    private const string LatencyField = "latencyMs";
    private const string TagsField = "tags";
    private const string ActualField = "actual";

    private static readonly (Field Field, string Name)[] RequiredPredictionFields =
    [
        (Field.SchemaVersion, SchemaVersionField), (Field.PredictionId, PredictionIdField), (Field.Model, ModelField),
        (Field.ModelVersion, ModelVersionField), (Field.Timestamp, TimestampField), (Field.Features, FeaturesField),
        (Field.Prediction, PredictionField),
    ];

    private static readonly (Field Field, string Name)[] RequiredOutcomeFields =
    [
        (Field.SchemaVersion, SchemaVersionField), (Field.PredictionId, PredictionIdField), (Field.Model, ModelField),
        (Field.Timestamp, TimestampField), (Field.Actual, ActualField),
    ];

    private readonly Func<string, ModelSchema?> _schemaLookup;
    private readonly int _maxRecordBytes;
    private readonly int _maxErrors;
    private readonly JsonReaderOptions _readerOptions;
    // The field passes as delegates made once: Validate calls one per record.
    private readonly FieldPass<PredictionEvent> _readPrediction;
    private readonly FieldPass<OutcomeEvent> _readOutcome;

    /// <summary>Creates a validator.</summary>
    /// <param name="schemaLookup">Returns the registered schema for a model name, or <see langword="null"/> when the model is unknown.
    /// Called once per record, so it should be a cache lookup.</param>
    /// <param name="options">Limits; defaults when <see langword="null"/>.</param>
    public EventValidator(Func<string, ModelSchema?> schemaLookup, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schemaLookup);
        options ??= new ValidationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRecordBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxErrors, 1, nameof(options));
        _schemaLookup = schemaLookup;
        _maxRecordBytes = options.MaxRecordBytes;
        _maxErrors = options.MaxErrors;
        _readerOptions = new JsonReaderOptions { MaxDepth = options.MaxDepth };
        _readPrediction = ReadPrediction;
        _readOutcome = ReadOutcome;
    }

    // A field pass (ReadPrediction, ReadOutcome). Single pass: no prescan ran, see Validate.
    private delegate ValidationResult<T>? FieldPass<T>(ReadOnlySpan<byte> utf8Json, ModelSchema? schema, string? modelName, ErrorSink errors, bool singlePass)
        where T : class;

    /// <summary>Whether plain records are read in one pass (off: every record takes both, for the tests that compare them).</summary>
    internal bool SinglePass { get; init; } = true;

    [Flags]
    private enum Field
    {
        None = 0,
        SchemaVersion = 1 << 0,
        PredictionId = 1 << 1,
        Model = 1 << 2,
        ModelVersion = 1 << 3,
        Timestamp = 1 << 4,
        Features = 1 << 5,
        Prediction = 1 << 6,
        Score = 1 << 7,
        LatencyMs = 1 << 8,
        Tags = 1 << 9,
        Actual = 1 << 10,
    }

    /// <summary>Validates a record from <see cref="Topics.Predictions"/>.</summary>
    public ValidationResult<PredictionEvent> ValidatePrediction(ReadOnlySpan<byte> utf8Json) => Validate(utf8Json, _readPrediction);

    /// <summary>Validates a record from <see cref="Topics.Outcomes"/>.</summary>
    public ValidationResult<OutcomeEvent> ValidateOutcome(ReadOnlySpan<byte> utf8Json) => Validate(utf8Json, _readOutcome);

    // One pass for a plain record (the common case: no escapes, short, valid UTF-8, model before features): the
    // reader's own syntax and depth checks stand in for the prescan's, and anything unexpected, a JsonException
    // included, sends the record through both passes, which report it. The prescan was a third of the validator's time.
    private ValidationResult<T> Validate<T>(ReadOnlySpan<byte> utf8Json, FieldPass<T> pass)
        where T : class
    {
        utf8Json = RecordPrescan.SkipBom(utf8Json);
        if (SinglePass && RecordPrescan.IsPlain(utf8Json, _maxRecordBytes))
        {
            try
            {
                if (pass(utf8Json, schema: null, modelName: null, new ErrorSink(_maxErrors), singlePass: true) is { } valid)
                {
                    return valid;
                }
            }
            catch (JsonException)
            {
                // Not well-formed: the prescan below says how.
            }
        }

        var errors = new ErrorSink(_maxErrors);
        if (!RecordPrescan.Run(utf8Json, _maxRecordBytes, _readerOptions, errors, out var modelName))
        {
            return ValidationResult<T>.Failure(errors.ToList());
        }

        return pass(utf8Json, FindSchema(modelName, errors), modelName, errors, singlePass: false)!;
    }

    // The field pass of a prediction. Single pass (no prescan, see RecordPrescan.IsPlain): the schema is found when
    // the model is read, and null is returned for anything but a valid record (the caller then runs both passes, so
    // errors are reported exactly as always): features or prediction before the model, any error, trailing data.
    private ValidationResult<PredictionEvent>? ReadPrediction(ReadOnlySpan<byte> utf8Json, ModelSchema? schema, string? modelName, ErrorSink errors, bool singlePass)
    {
        string? predictionId = null, model = null, modelVersion = null;
        DateTimeOffset? timestamp = null;
        IReadOnlyDictionary<string, Scalar>? features = null;
        Range featuresJson = default;
        Dictionary<string, string>? tags = null;
        Scalar? prediction = null;
        double? score = null, latencyMs = null;

        var seen = Field.None;
        var reader = new Utf8JsonReader(utf8Json, _readerOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = IdentifyPredictionField(ref reader);
            if (singlePass && schema is null && field is Field.Features or Field.Prediction)
            {
                return null;
            }

            reader.Read();
            if (!FirstOccurrence(ref reader, ref seen, field, errors))
            {
                continue;
            }

            switch (field)
            {
                case Field.SchemaVersion: FieldReader.ReadSchemaVersion(ref reader, errors, SchemaVersionField); break;
                case Field.PredictionId: predictionId = FieldReader.ReadRequiredString(ref reader, errors, PredictionIdField); break;
                case Field.Model: model = FieldReader.ReadRequiredString(ref reader, errors, ModelField); schema = singlePass && model is not null ? _schemaLookup(model) : schema; break;
                case Field.ModelVersion: modelVersion = FieldReader.ReadRequiredString(ref reader, errors, ModelVersionField); break;
                case Field.Timestamp: timestamp = FieldReader.ReadTimestamp(ref reader, errors, TimestampField); break;
                case Field.Features:
                    int featuresStart = (int)reader.TokenStartIndex;
                    features = FeatureReader.ReadFeatures(ref reader, errors, schema);
                    featuresJson = featuresStart..(int)reader.BytesConsumed;
                    break;
                case Field.Prediction: prediction = FieldReader.ReadLabel(ref reader, errors, PredictionField, schema); break;
                case Field.Score: score = FieldReader.ReadOptionalNumber(ref reader, errors, ScoreField, 0, 1, "score must be a probability in [0, 1]"); break;
                case Field.LatencyMs: latencyMs = FieldReader.ReadOptionalNumber(ref reader, errors, LatencyField, 0, double.MaxValue, "latencyMs must not be negative"); break;
                case Field.Tags: tags = FeatureReader.ReadTags(ref reader, errors); break;
            }
        }

        ReportAbsent(seen, RequiredPredictionFields, errors);
        if (singlePass && (errors.HasErrors || schema is null || reader.Read()))
        {
            return null;
        }

        if (errors.HasErrors)
        {
            return ValidationResult<PredictionEvent>.Failure(errors.ToList(), schema?.Model, schema is null ? modelName : null);
        }

        return ValidationResult<PredictionEvent>.Success(new PredictionEvent
        {
            SchemaVersion = SchemaVersion.Current,
            PredictionId = predictionId!,
            Model = model!,
            ModelVersion = modelVersion!,
            Timestamp = timestamp!.Value,
            Features = features!,
            FeaturesJson = utf8Json[featuresJson].ToArray(),
            Prediction = prediction!.Value,
            Score = score,
            LatencyMs = latencyMs,
            Tags = tags,
        });
    }

    // The field pass of an outcome; single pass as for ReadPrediction (the actual value needs the schema).
    private ValidationResult<OutcomeEvent>? ReadOutcome(ReadOnlySpan<byte> utf8Json, ModelSchema? schema, string? modelName, ErrorSink errors, bool singlePass)
    {
        string? predictionId = null, model = null;
        DateTimeOffset? timestamp = null;
        Scalar? actual = null;

        var seen = Field.None;
        var reader = new Utf8JsonReader(utf8Json, _readerOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = IdentifyOutcomeField(ref reader);
            if (singlePass && schema is null && field is Field.Actual)
            {
                return null;
            }

            reader.Read();
            if (!FirstOccurrence(ref reader, ref seen, field, errors))
            {
                continue;
            }

            switch (field)
            {
                case Field.SchemaVersion: FieldReader.ReadSchemaVersion(ref reader, errors, SchemaVersionField); break;
                case Field.PredictionId: predictionId = FieldReader.ReadRequiredString(ref reader, errors, PredictionIdField); break;
                case Field.Model: model = FieldReader.ReadRequiredString(ref reader, errors, ModelField); schema = singlePass && model is not null ? _schemaLookup(model) : schema; break;
                case Field.Timestamp: timestamp = FieldReader.ReadTimestamp(ref reader, errors, TimestampField); break;
                case Field.Actual: actual = FieldReader.ReadLabel(ref reader, errors, ActualField, schema); break;
            }
        }

        ReportAbsent(seen, RequiredOutcomeFields, errors);
        if (singlePass && (errors.HasErrors || schema is null || reader.Read()))
        {
            return null;
        }

        if (errors.HasErrors)
        {
            return ValidationResult<OutcomeEvent>.Failure(errors.ToList(), schema?.Model, schema is null ? modelName : null);
        }

        return ValidationResult<OutcomeEvent>.Success(new OutcomeEvent
        {
            SchemaVersion = SchemaVersion.Current,
            PredictionId = predictionId!,
            Model = model!,
            Timestamp = timestamp!.Value,
            Actual = actual!.Value,
        });
    }

    private ModelSchema? FindSchema(string? modelName, ErrorSink errors)
    {
        if (string.IsNullOrWhiteSpace(modelName))
        {
            return null; // absent, blank or not a string: reported by the field pass
        }

        var schema = _schemaLookup(modelName);
        if (schema is null)
        {
            errors.Add(UnknownModel, ModelField, $"no schema is registered for model '{FieldReader.Truncate(modelName)}'");
        }

        return schema;
    }

    private static bool FirstOccurrence(ref Utf8JsonReader reader, ref Field seen, Field field, ErrorSink errors)
    {
        if (field == Field.None)
        {
            FieldReader.SkipValue(ref reader);
            return false;
        }

        if ((seen & field) != 0)
        {
            errors.Add(InvalidValue, NameOf(field), "key appears more than once");
            FieldReader.SkipValue(ref reader);
            return false;
        }

        seen |= field;
        return true;
    }

    private static void ReportAbsent(Field seen, (Field Field, string Name)[] required, ErrorSink errors)
    {
        foreach (var (field, name) in required)
        {
            if ((seen & field) == 0)
            {
                errors.Add(MissingField, name, $"{name} is required");
            }
        }
    }

    private static Field IdentifyCommonField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("schemaVersion"u8) ? Field.SchemaVersion
        : reader.ValueTextEquals("predictionId"u8) ? Field.PredictionId
        : reader.ValueTextEquals("model"u8) ? Field.Model
        : reader.ValueTextEquals("timestamp"u8) ? Field.Timestamp
        : Field.None;

    private static Field IdentifyPredictionField(ref Utf8JsonReader reader)
    {
        var common = IdentifyCommonField(ref reader);
        return common != Field.None ? common
            : reader.ValueTextEquals("modelVersion"u8) ? Field.ModelVersion
            : reader.ValueTextEquals("features"u8) ? Field.Features
            : reader.ValueTextEquals("prediction"u8) ? Field.Prediction
            : reader.ValueTextEquals("score"u8) ? Field.Score
            : reader.ValueTextEquals("latencyMs"u8) ? Field.LatencyMs
            : reader.ValueTextEquals("tags"u8) ? Field.Tags
            : Field.None;
    }

    private static Field IdentifyOutcomeField(ref Utf8JsonReader reader)
    {
        var common = IdentifyCommonField(ref reader);
        return common != Field.None ? common
            : reader.ValueTextEquals("actual"u8) ? Field.Actual
            : Field.None;
    }

    private static string NameOf(Field field) => field switch
    {
        Field.SchemaVersion => SchemaVersionField,
        Field.PredictionId => PredictionIdField,
        Field.Model => ModelField,
        Field.ModelVersion => ModelVersionField,
        Field.Timestamp => TimestampField,
        Field.Features => FeaturesField,
        Field.Prediction => PredictionField,
        Field.Score => ScoreField,
        Field.LatencyMs => LatencyField,
        Field.Tags => TagsField,
        Field.Actual => ActualField,
        _ => Root,
    };
}
