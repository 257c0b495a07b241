namespace MlOps.Contracts.Validation;

/// <summary>
/// Why a record was rejected. The codes become the <c>mlops-error</c> DLQ header and a Prometheus label, so the
/// set is small, fixed and stable: add a code only together with dashboards and alert rules.
/// </summary>
public static class RejectReason
{
    /// <summary>The bytes are not a single well-formed JSON value in UTF-8 (or nest deeper than allowed).</summary>
    public const string NotJson = "not_json";

    /// <summary>The record is larger than <see cref="ValidationOptions.MaxRecordBytes"/>.</summary>
    public const string TooLarge = "too_large";

    /// <summary>A required field (or required feature) is absent or <c>null</c>.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A field has the wrong JSON type (e.g. a string where a number belongs).</summary>
    public const string WrongType = "wrong_type";

    /// <summary>A feature is not declared in the model's schema.</summary>
    public const string UnknownFeature = "unknown_feature";

    /// <summary>No schema is registered for the record's model.</summary>
    public const string UnknownModel = "unknown_model";

    /// <summary>The timestamp is not ISO-8601 with an offset.</summary>
    public const string BadTimestamp = "bad_timestamp";

    /// <summary><c>schemaVersion</c> is not <see cref="SchemaVersion.Current"/>.</summary>
    public const string UnsupportedSchemaVersion = "unsupported_schema_version";

    /// <summary>The type is right but the value is not (empty id, score outside [0, 1], undeclared class, duplicate key…).</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>Every code, e.g. to initialise metric series at zero.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        NotJson, TooLarge, MissingField, WrongType, UnknownFeature, UnknownModel, BadTimestamp, UnsupportedSchemaVersion, InvalidValue,
    ];
}
