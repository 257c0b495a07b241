using System.Diagnostics.CodeAnalysis;

namespace MlOps.Contracts.Validation;

/// <summary>Either a valid event or every reason it is not; validation reports rather than throws.</summary>
/// <typeparam name="T">The event type.</typeparam>
public sealed class ValidationResult<T>
    where T : class
{
    private ValidationResult(T? value, IReadOnlyList<ValidationError> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>The event when valid, otherwise <see langword="null"/>.</summary>
    public T? Value { get; }

    /// <summary>Every problem found (up to <see cref="ValidationOptions.MaxErrors"/>); empty when valid.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>Whether <see cref="Value"/> holds an event.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Value is not null;

    /// <summary>
    /// The code to put in the DLQ header and metric label: the first error's. Record-level problems
    /// (<c>too_large</c>, <c>not_json</c>) and <c>unknown_model</c> are always reported first.
    /// </summary>
    public string? Reason => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>
    /// The registered model a rejected record names (for the DLQ metric's <c>model</c> label); null when the record
    /// names none, or a model that is not registered — names from rejected records never become label values.
    /// </summary>
    public string? Model { get; private init; }

    /// <summary>
    /// The name a record rejected as <c>unknown_model</c> gives, as written: for a caller that looks the model up once
    /// more (a model registered a moment ago). Unverified, so never a label value; null for every other rejection.
    /// </summary>
    public string? UnknownModel { get; private init; }

    /// <summary>A valid event.</summary>
    public static ValidationResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, []);
    }

    /// <summary>A rejected record; at least one error is required.</summary>
    public static ValidationResult<T> Failure(IReadOnlyList<ValidationError> errors, string? model = null, string? unknownModel = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count, nameof(errors));
        return new(null, errors) { Model = model, UnknownModel = unknownModel };
    }
}
