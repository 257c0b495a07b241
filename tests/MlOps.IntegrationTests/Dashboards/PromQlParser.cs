using System.Text.RegularExpressions;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Parses the PromQL that dashboards hold, with Grafana's variables left in place: <c>$var</c> inside strings stays
/// text, a range is kept as written (<c>[$__rate_interval]</c>). Precedence and syntax follow Prometheus 2.x; a
/// mistake throws <see cref="FormatException"/> naming the position. The live test sends every expression to a real
/// Prometheus as well, so this only has to be right, not complete.
/// </summary>
internal sealed class PromQlParser
{
    private static readonly HashSet<string> Aggregators =
        ["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values"];

    // Functions whose (first) argument must be a range vector.
    private static readonly HashSet<string> RangeFunctions =
    [
        "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "predict_linear", "holt_winters",
        "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "quantile_over_time",
        "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time",
    ];

    private static readonly HashSet<string> OtherFunctions =
    [
        "abs", "absent", "ceil", "clamp", "clamp_max", "clamp_min", "day_of_month", "day_of_week", "day_of_year",
        "days_in_month", "exp", "floor", "histogram_quantile", "hour", "label_join", "label_replace", "ln", "log10",
        "log2", "minute", "month", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt", "time", "timestamp", "vector", "year",
    ];

    private static readonly Dictionary<string, int> Precedence = new(StringComparer.Ordinal)
    {
        ["or"] = 1, ["and"] = 2, ["unless"] = 2,
        ["=="] = 3, ["!="] = 3, ["<"] = 3, ["<="] = 3, [">"] = 3, [">="] = 3,
        ["+"] = 4, ["-"] = 4, ["*"] = 5, ["/"] = 5, ["%"] = 5, ["atan2"] = 5, ["^"] = 6,
    };

    private readonly List<PromQlToken> _tokens;
    private int _next;

    private PromQlParser(List<PromQlToken> tokens) => _tokens = tokens;

    public static PromQlNode Parse(string expression)
    {
        var parser = new PromQlParser(PromQlLexer.Lex(expression));
        var node = parser.Expression(0);
        if (parser.Peek.Kind != PromQlTokenKind.End)
            throw parser.Error("end of expression");
        return node;
    }

    private PromQlToken Peek => _tokens[_next];

    private PromQlToken Take() => _tokens[_next++];

    private bool At(string text) => Peek.Kind is PromQlTokenKind.Punctuation or PromQlTokenKind.Operator or PromQlTokenKind.Identifier && Peek.Text == text;

    private void Expect(string text)
    {
        if (!At(text))
            throw Error($"'{text}'");
        _next++;
    }

    private FormatException Error(string expected) =>
        new($"expected {expected} at position {Peek.Position}, found {(Peek.Kind == PromQlTokenKind.End ? "the end" : $"'{Peek.Text}'")}");

    private PromQlNode Expression(int minimum)
    {
        var left = UnaryExpression();
        while (Peek.Kind is PromQlTokenKind.Operator or PromQlTokenKind.Identifier && Precedence.TryGetValue(Peek.Text, out int precedence) && precedence >= minimum)
        {
            string op = Take().Text;
            if (precedence == 3 && At("bool"))
                _next++;
            if (At("on") || At("ignoring"))
            {
                _next++;
                LabelList();
            }

            if (At("group_left") || At("group_right"))
            {
                _next++;
                if (At("("))
                    LabelList();
            }

            // ^ is right-associative, every other operator left-associative.
            var right = Expression(op == "^" ? precedence : precedence + 1);
            left = new Binary(op, left, right);
        }

        return left;
    }

    private PromQlNode UnaryExpression()
    {
        if (Peek.Kind == PromQlTokenKind.Operator && Peek.Text is "-" or "+")
            return new Unary(Take().Text, UnaryExpression());
        return Postfix(Primary());
    }

    private PromQlNode Postfix(PromQlNode node)
    {
        while (true)
        {
            if (Peek.Kind == PromQlTokenKind.Range)
            {
                string range = Take().Text;
                node = node is VectorSelector vector && !range.Contains(':', StringComparison.Ordinal)
                    ? new MatrixSelector(vector, range)
                    : new Subquery(node, range);
            }
            else if (At("offset"))
            {
                _next++;
                if (Peek.Kind == PromQlTokenKind.Operator && Peek.Text == "-")
                    _next++;
                if (Take().Kind != PromQlTokenKind.Number)
                    throw Error("a duration after offset");
            }
            else
            {
                return node;
            }
        }
    }

    private PromQlNode Primary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case PromQlTokenKind.Number:
                return new Literal(token.Text, IsString: false);
            case PromQlTokenKind.String:
                return new Literal(token.Text, IsString: true);
            case PromQlTokenKind.Punctuation when token.Text == "(":
                var inner = Expression(0);
                Expect(")");
                return new Paren(inner);
            case PromQlTokenKind.Punctuation when token.Text == "{":
                _next--;
                return Selector(null);
            case PromQlTokenKind.Identifier when Aggregators.Contains(token.Text) && (At("(") || At("by") || At("without")):
                return AggregationExpression(token.Text);
            case PromQlTokenKind.Identifier when At("("):
                return CallExpression(token);
            case PromQlTokenKind.Identifier:
                return Selector(token.Text);
            default:
                _next--;
                throw Error("an expression");
        }
    }

    private Aggregation AggregationExpression(string op)
    {
        string? grouping = null;
        IReadOnlyList<string> labels = [];
        if (At("by") || At("without"))
        {
            grouping = Take().Text;
            labels = LabelList();
        }

        var args = Arguments();
        if (grouping is null && (At("by") || At("without")))
        {
            grouping = Take().Text;
            labels = LabelList();
        }

        int expected = op is "topk" or "bottomk" or "quantile" or "count_values" ? 2 : 1;
        if (args.Count != expected)
            throw new FormatException($"{op} takes {expected} argument(s), has {args.Count}");
        return new Aggregation(op, grouping, labels, args);
    }

    private Call CallExpression(PromQlToken name)
    {
        if (!RangeFunctions.Contains(name.Text) && !OtherFunctions.Contains(name.Text))
            throw new FormatException($"unknown function '{name.Text}' at position {name.Position}");
        var args = Arguments();
        if (RangeFunctions.Contains(name.Text) && (args.Count == 0 || args[0] is not (MatrixSelector or Subquery)))
            throw new FormatException($"{name.Text}() at position {name.Position} needs a range vector, e.g. metric[$__rate_interval]");
        return new Call(name.Text, args);
    }

    private List<PromQlNode> Arguments()
    {
        Expect("(");
        var args = new List<PromQlNode>();
        while (!At(")"))
        {
            args.Add(Expression(0));
            if (!At(")"))
                Expect(",");
        }

        _next++;
        return args;
    }

    private List<string> LabelList()
    {
        Expect("(");
        var labels = new List<string>();
        while (!At(")"))
        {
            if (Peek.Kind != PromQlTokenKind.Identifier)
                throw Error("a label name");
            labels.Add(Take().Text);
            if (!At(")"))
                Expect(",");
        }

        _next++;
        return labels;
    }

    private VectorSelector Selector(string? metric)
    {
        var matchers = new List<LabelMatcher>();
        if (At("{"))
        {
            _next++;
            while (!At("}"))
            {
                if (Peek.Kind != PromQlTokenKind.Identifier)
                    throw Error("a label name");
                string label = Take().Text;
                if (Peek.Kind != PromQlTokenKind.Operator || Peek.Text is not ("=" or "!=" or "=~" or "!~"))
                    throw Error("a label matcher operator");
                string op = Take().Text;
                if (Peek.Kind != PromQlTokenKind.String)
                    throw Error("a quoted label value");
                matchers.Add(new LabelMatcher(label, op, Take().Text));
                if (!At("}"))
                    Expect(",");
            }

            _next++;
        }

        if (metric is null && matchers.TrueForAll(MatchesEmpty))
            throw new FormatException("a selector without a metric name needs a matcher that does not match the empty string");
        return new VectorSelector(metric, matchers);
    }

    private static bool MatchesEmpty(LabelMatcher m)
    {
        bool regexMatches;
        try
        {
            regexMatches = Regex.IsMatch("", $"^(?:{m.Value})$", RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            regexMatches = false;
        }

        return m.Op switch
        {
            "=" => m.Value.Length == 0,
            "!=" => m.Value.Length > 0,
            "=~" => regexMatches,
            _ => !regexMatches,
        };
    }
}
