namespace MlOps.IntegrationTests.Dashboards;

/// <summary>Fails with every problem a rule found, one per line, so one run shows all of them.</summary>
internal static class LintAssert
{
    public static void Clean(IEnumerable<string> problems)
    {
        var all = problems.ToList();
        if (all.Count > 0)
            throw new Xunit.Sdk.XunitException($"{all.Count} problem(s):{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", all)}");
    }
}
