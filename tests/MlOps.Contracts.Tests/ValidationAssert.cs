using MlOps.Contracts.Validation;

namespace MlOps.Contracts.Tests;

internal static class ValidationAssert
{
    public static T Valid<T>(ValidationResult<T> result)
        where T : class
    {
        Assert.True(result.IsValid, "expected valid but got: " + string.Join(" | ", result.Errors));
        Assert.Empty(result.Errors);
        return result.Value;
    }

    /// <summary>Asserts the record is rejected with (at least) the given code at the given field.</summary>
    public static void Rejected<T>(ValidationResult<T> result, string code, string field)
        where T : class
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.True(
            result.Errors.Any(e => e.Code == code && e.Field == field),
            $"expected {code} at {field} but got: {string.Join(" | ", result.Errors)}");
        Assert.All(result.Errors, e => Assert.Contains(e.Code, RejectReason.All));
    }

    /// <summary>Asserts the record is rejected with exactly one error.</summary>
    public static void RejectedOnly<T>(ValidationResult<T> result, string code, string field)
        where T : class
    {
        Rejected(result, code, field);
        Assert.Single(result.Errors);
        Assert.Equal(code, result.Reason);
    }
}
