namespace MlOps.Hosting.Problems;

/// <summary>
/// The rule for text a caller sends (JSON body strings, form fields, label values): at most <see cref="MaxLength"/>
/// characters, no control character but tab, line feed and carriage return, no lone surrogate. NUL is the one that
/// breaks things (PostgreSQL cannot store it in text); the others forge logs and terminals, or are too long to be a
/// note, and none is a value anybody means to send.
/// </summary>
public static class RequestText
{
    /// <summary>The longest string accepted.</summary>
    public const int MaxLength = 8192;

    /// <summary>Why <paramref name="value"/> is refused (to follow "The value …"), or null when it is fine.</summary>
    public static string? Problem(string value, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > maxLength)
            return $"is {value.Length} characters long; the limit is {maxLength}";
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                return $"contains the control character U+{(int)c:X4}";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return "contains a lone surrogate";
        }

        return null;
    }
}
