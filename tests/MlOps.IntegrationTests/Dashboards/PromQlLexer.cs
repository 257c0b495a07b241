using System.Globalization;
using System.Text;

namespace MlOps.IntegrationTests.Dashboards;

internal enum PromQlTokenKind { Identifier, Number, String, Range, Operator, Punctuation, End }

internal readonly record struct PromQlToken(PromQlTokenKind Kind, string Text, int Position);

/// <summary>
/// Splits PromQL into tokens. A range <c>[…]</c> is one token holding its text as written, so Grafana's
/// <c>[$__rate_interval]</c> survives; strings are unescaped; a <c>$</c> anywhere else is an error.
/// </summary>
internal static class PromQlLexer
{
    public static List<PromQlToken> Lex(string text)
    {
        var tokens = new List<PromQlToken>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '[')
            {
                int end = text.IndexOf(']', i);
                if (end < 0)
                    throw new FormatException($"'[' at position {i} is never closed");
                tokens.Add(new PromQlToken(PromQlTokenKind.Range, text[(i + 1)..end].Trim(), start));
                i = end + 1;
            }
            else if (c is '"' or '\'' or '`')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && c != '`' && i + 1 < text.Length)
                        i++;
                    value.Append(text[i++]);
                }

                if (i >= text.Length)
                    throw new FormatException($"the string at position {start} is never closed");
                i++;
                tokens.Add(new PromQlToken(PromQlTokenKind.String, value.ToString(), start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                // Numbers and durations (5m, 1h30m); the exponent's sign is rare in dashboards and left out.
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '.'))
                    i++;
                tokens.Add(new PromQlToken(PromQlTokenKind.Number, text[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or ':'))
                    i++;
                tokens.Add(new PromQlToken(PromQlTokenKind.Identifier, text[start..i], start));
            }
            else if (i + 1 < text.Length && text.Substring(i, 2) is "==" or "!=" or "=~" or "!~" or ">=" or "<=")
            {
                tokens.Add(new PromQlToken(PromQlTokenKind.Operator, text.Substring(i, 2), start));
                i += 2;
            }
            else if ("+-*/%^<>=".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new PromQlToken(PromQlTokenKind.Operator, c.ToString(), start));
                i++;
            }
            else if ("(){},".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new PromQlToken(PromQlTokenKind.Punctuation, c.ToString(), start));
                i++;
            }
            else
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"unexpected '{c}' at position {i}"));
            }
        }

        tokens.Add(new PromQlToken(PromQlTokenKind.End, "", text.Length));
        return tokens;
    }
}
