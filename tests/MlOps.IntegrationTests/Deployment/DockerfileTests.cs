using System.Text.RegularExpressions;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker/Dockerfile (no Docker daemon here, so its text): multi-stage from the .NET SDK to the ASP.NET runtime,
/// a non-root user, a health check on /health/ready, one SERVICE/PORT pair per host, and no development key in the image.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly Lazy<IReadOnlyList<string>> Instructions = new(ReadInstructions);

    [Fact]
    public void It_builds_with_the_dotnet_SDK_and_runs_on_the_ASP_NET_runtime_in_separate_stages()
    {
        var stages = Instructions.Value.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.True(stages.Count >= 2, $"not multi-stage: {string.Join(" | ", stages)}");
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", stages[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS \w+$", stages[^1]);
        Assert.Contains(Instructions.Value, i => i.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        Assert.Contains(Instructions.Value, i => i.Contains("dotnet publish \"src/hosts/MlOps.${SERVICE}.Host\" -c Release -o /app", StringComparison.Ordinal));
    }

    [Fact]
    public void The_runtime_stage_runs_as_a_non_root_user()
    {
        var users = RuntimeStage().Where(i => i.StartsWith("USER ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(users);
        string user = users[^1]["USER ".Length..].Trim();
        Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user);
    }

    [Fact]
    public void The_image_checks_health_ready_and_exposes_and_runs_the_host()
    {
        var runtime = RuntimeStage();
        var healthcheck = Assert.Single(runtime, i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains("/health/ready", healthcheck, StringComparison.Ordinal);
        Assert.Contains(" 200 ", healthcheck, StringComparison.Ordinal);
        Assert.Contains(runtime, i => i == "EXPOSE ${PORT}");
        Assert.Contains(runtime, i => i.StartsWith("ENV ", StringComparison.Ordinal) && i.Contains("URLS=http://+:${PORT}", StringComparison.Ordinal));
        var entrypoint = Assert.Single(runtime, i => i.StartsWith("ENTRYPOINT [", StringComparison.Ordinal));
        Assert.Contains("exec dotnet", entrypoint, StringComparison.Ordinal);
        Assert.Contains("MlOps.${MLOPS_SERVICE}.Host.dll", entrypoint, StringComparison.Ordinal);
    }

    [Fact]
    public void It_accepts_exactly_the_hosts_of_src_hosts_each_with_its_port()
    {
        var pairs = ServicePort().Matches(string.Join('\n', Instructions.Value))
            .ToDictionary(m => m.Groups["service"].Value, m => int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Assert.Equal(HostPorts.All.OrderBy(p => p.Key, StringComparer.Ordinal), pairs.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_image_replaces_appsettings_so_no_development_key_or_loopback_URL_ships()
    {
        string publish = Assert.Single(Instructions.Value, i => i.Contains("dotnet publish", StringComparison.Ordinal));
        var replaced = AppSettingsWrite().Match(publish);
        Assert.True(replaced.Success, "the build stage does not overwrite /app/appsettings.json");
        Assert.DoesNotContain("Key", replaced.Groups["json"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Urls", replaced.Groups["json"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_MLOPS_variable_the_image_sets_names_a_real_configuration_key()
    {
        var variables = MlOpsVariable().Matches(RepositoryFiles.ReadText(RepositoryFiles.Dockerfile)).Select(m => m.Value).ToList();
        Assert.NotEmpty(variables);
        Assert.All(variables, v => Assert.True(ConfigurationKeys.IsKnownEnvironmentVariable(v), $"{v} is no configuration key"));
    }

    [Fact]
    public void The_build_context_leaves_out_build_outputs_and_local_data()
    {
        var ignored = RepositoryFiles.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(ignored, new HashSet<string>(StringComparer.Ordinal) { "**/bin/", "**/obj/", ".git/", ".cache/", "**/data/" });
    }

    /// <summary>The instructions after the last FROM.</summary>
    private static List<string> RuntimeStage()
    {
        var all = Instructions.Value;
        int last = all.ToList().FindLastIndex(i => i.StartsWith("FROM ", StringComparison.Ordinal));
        return all.Skip(last).ToList();
    }

    /// <summary>The Dockerfile's instructions, continuation lines joined and comments dropped.</summary>
    private static List<string> ReadInstructions()
    {
        var instructions = new List<string>();
        string current = "";
        foreach (string raw in RepositoryFiles.ReadText(RepositoryFiles.Dockerfile).Split('\n'))
        {
            string line = raw.TrimEnd();
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            instructions.Add((current + line.Trim()).Trim());
            current = "";
        }

        return instructions;
    }

    [GeneratedRegex(@"MLOPS__[A-Z0-9_]+")]
    private static partial Regex MlOpsVariable();

    [GeneratedRegex(@"(?<service>[A-Z][a-z]+):(?<port>50\d\d)")]
    private static partial Regex ServicePort();

    [GeneratedRegex(@"printf '%s\\n' '(?<json>\{.*\})' > /app/appsettings\.json")]
    private static partial Regex AppSettingsWrite();
}
