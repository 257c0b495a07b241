namespace MlOps.Contracts.Validation;

/// <summary>Collects errors for one record; allocates nothing until the first error.</summary>
internal sealed class ErrorSink(int maxErrors)
{
    private List<ValidationError>? _errors;

    public bool HasErrors => _errors is { Count: > 0 };

    public void Add(string code, string field, string message)
    {
        _errors ??= [];
        if (_errors.Count < maxErrors)
        {
            _errors.Add(new ValidationError(code, field, message));
        }
    }

    public IReadOnlyList<ValidationError> ToList() => _errors ?? [];
}
