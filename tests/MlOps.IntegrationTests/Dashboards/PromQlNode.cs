namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// A parsed PromQL expression, as far as the dashboard rules need it: the shape of Prometheus's own AST
/// (promql/parser), so a rule reads like grafana/dashboard-linter's — a selector, its parents, the call around it.
/// </summary>
internal abstract record PromQlNode
{
    public abstract IEnumerable<PromQlNode> Children { get; }

    /// <summary>Every node under <paramref name="root"/> (itself included) with its ancestors, root first.</summary>
    public static IEnumerable<(PromQlNode Node, IReadOnlyList<PromQlNode> Parents)> Walk(PromQlNode root)
    {
        var stack = new Stack<(PromQlNode Node, PromQlNode[] Parents)>();
        stack.Push((root, []));
        while (stack.Count > 0)
        {
            var (node, parents) = stack.Pop();
            yield return (node, parents);
            PromQlNode[] below = [.. parents, node];
            foreach (var child in node.Children.Reverse())
                stack.Push((child, below));
        }
    }
}

/// <summary><c>label op "value"</c> inside braces.</summary>
internal sealed record LabelMatcher(string Label, string Op, string Value)
{
    public override string ToString() => $"{Label}{Op}\"{Value}\"";
}

/// <summary><c>metric{matchers}</c>; the name may also come from a <c>__name__</c> matcher.</summary>
internal sealed record VectorSelector(string? Metric, IReadOnlyList<LabelMatcher> Matchers) : PromQlNode
{
    public string Name => Metric ?? Matchers.FirstOrDefault(m => m.Label == "__name__" && m.Op == "=")?.Value ?? "";

    public override IEnumerable<PromQlNode> Children => [];

    public override string ToString() => $"{Metric}{{{string.Join(", ", Matchers)}}}";
}

/// <summary><c>selector[range]</c>, the range as written (e.g. <c>$__rate_interval</c>).</summary>
internal sealed record MatrixSelector(VectorSelector Vector, string Range) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => [Vector];
}

/// <summary><c>expr[range:step]</c>.</summary>
internal sealed record Subquery(PromQlNode Expr, string Range) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => [Expr];
}

/// <summary><c>function(args)</c>.</summary>
internal sealed record Call(string Function, IReadOnlyList<PromQlNode> Args) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => Args;
}

/// <summary><c>op by|without (labels) (param?, expr)</c>.</summary>
internal sealed record Aggregation(string Op, string? Grouping, IReadOnlyList<string> Labels, IReadOnlyList<PromQlNode> Args) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => Args;
}

/// <summary><c>left op right</c> (arithmetic, comparison or set operator).</summary>
internal sealed record Binary(string Op, PromQlNode Left, PromQlNode Right) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => [Left, Right];
}

/// <summary><c>-expr</c> or <c>+expr</c>.</summary>
internal sealed record Unary(string Op, PromQlNode Operand) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => [Operand];
}

/// <summary><c>(expr)</c>.</summary>
internal sealed record Paren(PromQlNode Inner) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => [Inner];
}

/// <summary>A number or a string.</summary>
internal sealed record Literal(string Text, bool IsString) : PromQlNode
{
    public override IEnumerable<PromQlNode> Children => [];
}
