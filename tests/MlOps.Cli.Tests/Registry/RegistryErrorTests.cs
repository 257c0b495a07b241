using System.Net;
using System.Net.Sockets;
using static MlOps.Cli.Tests.Registry.RegistryFlowTests;
using static MlOps.Cli.Tests.Registry.RegistryServer;

namespace MlOps.Cli.Tests.Registry;

[Collection(UsesRegistryServer.Name)]
public sealed class RegistryErrorTests(RegistryServer registry) : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Unknown_model_is_one_404_line()
    {
        AssertOneLineError(await registry.Run(ViewerKey, "models", "show", "no-such-model"), "mlops: error: 404 Not found: No model named 'no-such-model'.");
        AssertOneLineError(await registry.Run(ViewerKey, "models", "versions", "no-such-model"), "mlops: error: 404 Not found: No model named 'no-such-model'.");
    }

    [Fact]
    public async Task Unknown_promotion_is_one_404_line() =>
        AssertOneLineError(await registry.Run(AliceKey, "promotions", "approve", "nope"), "mlops: error: 404 Not found: No promotion request 'nope'.");

    [Fact]
    public async Task A_key_the_registry_does_not_know_is_a_401_that_never_prints_the_key()
    {
        const string wrong = "not-a-registered-key-42";
        var result = await registry.Run(wrong, "models", "list");
        AssertOneLineError(result, "mlops: error: 401 Authentication required: the registry does not accept this API key; check --api-key (or MLOPS_API_KEY)");
        Assert.DoesNotContain(wrong, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_key_on_a_protected_endpoint_says_none_was_given()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MLOPS_API_KEY")), "this test needs MLOPS_API_KEY unset");
        var result = await CliRunner.Run("promotions", "list", "--registry", registry.Url);
        AssertOneLineError(result, "mlops: error: 401 Authentication required: no API key given; pass --api-key KEY or set MLOPS_API_KEY");
    }

    [Fact]
    public async Task A_role_too_low_is_a_403_naming_the_role_needed()
    {
        AssertOneLineError(
            await registry.Run(ViewerKey, "models", "register", "--name", "viewer-model", "--schema", TempFiles.Example("schema.json")),
            "mlops: error: 403 Forbidden: Your role (viewer) may not do this; it needs one of: admin.");
        AssertOneLineError(
            await registry.Run(ViewerKey, "promotions", "request", "--model", "viewer-model", "--version", "1"),
            "mlops: error: 403 Forbidden: Your role (viewer) may not do this; it needs one of: approver, admin.");
    }

    [Fact]
    public async Task Invalid_schema_is_a_400_naming_the_field()
    {
        string schema = _files.Write("schema.json", """{ "features": [ { "name": "x", "type": "numeric" } ] }""");
        AssertOneLineError(
            await registry.Run(AdminKey, "models", "register", "--name", "no-task", "--schema", schema),
            "mlops: error: 400 Invalid request: schema.task: The task is required: binary, multiclass or regression.");
    }

    [Fact]
    public async Task Registering_a_model_twice_is_a_409()
    {
        string[] args = ["models", "register", "--name", "twice", "--schema", TempFiles.Example("schema.json")];
        Assert.Equal(0, (await registry.Run(AdminKey, args)).ExitCode);
        AssertOneLineError(await registry.Run(AdminKey, args), "mlops: error: 409 Conflict: A model named 'twice' already exists.");
    }

    [Fact]
    public async Task Rollback_without_a_champion_is_a_409()
    {
        Assert.Equal(0, (await registry.Run(AdminKey, "models", "register", "--name", "no-champion", "--schema", TempFiles.Example("schema.json"))).ExitCode);
        AssertOneLineError(
            await registry.Run(AdminKey, "models", "rollback", "no-champion", "--reason", "test"),
            "mlops: error: 409 Conflict: Model 'no-champion' has no champion to roll back.");
    }

    [Fact]
    public async Task Registry_down_names_the_url_and_suggests_the_registry_option()
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        var result = await CliRunner.Run("models", "list", "--registry", url, "--api-key", ViewerKey);
        AssertOneLineError(result, $"mlops: error: cannot connect to the registry at {url}: connection refused; start it, or point to it with --registry URL (or MLOPS_REGISTRY_URL)");
        Assert.DoesNotContain(ViewerKey, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_url_that_is_not_http_is_rejected() =>
        AssertOneLineError(await CliRunner.Run("models", "list", "--registry", "ftp://example.com"), "mlops: error: --registry: 'ftp://example.com' is not an http:// or https:// URL");

    [Fact]
    public async Task Bad_metrics_and_missing_files_fail_before_anything_is_sent()
    {
        // A registry that is down proves the checks happen locally.
        string down = $"http://127.0.0.1:{FreePort()}";
        string artifact = _files.Write("m.bin", "x");
        AssertOneLineError(
            await CliRunner.Run("models", "register-version", "m", "--artifact", artifact, "--metrics", "f1=high", "--registry", down),
            "mlops: error: --metrics: 'high' (for f1) is not a number");
        AssertOneLineError(
            await CliRunner.Run("models", "register-version", "m", "--artifact", artifact, "--tag", "novalue", "--registry", down),
            "mlops: error: --tag: 'novalue' is not key=value");
        string missing = Path.Combine(Path.GetTempPath(), "no-such-schema.json");
        AssertOneLineError(
            await CliRunner.Run("models", "register", "--name", "m", "--schema", missing, "--registry", down),
            $"mlops: error: {missing}: cannot open: no such file");
        string notJson = _files.Write("evidence.json", "{ nope");
        var result = await CliRunner.Run("promotions", "request", "--model", "m", "--version", "1", "--evidence", notJson, "--registry", down);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"mlops: error: {notJson}: not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_state_is_an_argument_error()
    {
        var (code, _, error) = await CliRunner.Run("promotions", "list", "--state", "done");
        Assert.Equal(2, code);
        Assert.Contains("done", error, StringComparison.Ordinal);
        Assert.Contains("promotions list --help", error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
