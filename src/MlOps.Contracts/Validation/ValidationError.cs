namespace MlOps.Contracts.Validation;

/// <summary>One problem with a record: a stable code for machines, a field path and a message for people.</summary>
/// <param name="Code">One of <see cref="RejectReason"/>.</param>
/// <param name="Field">Path of the offending field, e.g. <c>features.age</c>; <c>$</c> for the whole record.</param>
/// <param name="Message">Human-readable explanation.</param>
public sealed record ValidationError(string Code, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code} at {Field}: {Message}";
}
