using System.Net;
using System.Text;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>GET|POST /api/models and GET /api/models/{name}: registration, defaults and validation.</summary>
public abstract class ModelsApiContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task Registering_a_model_answers_201_with_its_location_schema_and_default_policy()
    {
        var response = await Registry.PostModelAsync(new { name = "churn", description = " Who leaves ", owner = "team-ml", schema = Samples.Schema() });

        var model = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("/api/models/churn", response.Headers.Location?.OriginalString);
        Assert.Equal("churn", (string?)model["name"]);
        Assert.Equal("Who leaves", (string?)model["description"]);
        Assert.Equal("binary", (string?)model["task"]);
        Assert.Equal("churn", (string?)model["schema"]!["model"]);
        Assert.Equal("churned", (string?)model["schema"]!["positiveClass"]);
        Assert.Equal(["age", "plan", "active"], model["schema"]!["features"]!.AsArray().Select(f => (string?)f!["name"]));
        Assert.Equal(1, (int?)model["policy"]!["approvalsRequired"]);
        Assert.True((bool?)model["policy"]!["fourEyes"]);
        Assert.Equal(72, (double?)model["policy"]!["expiryHours"]);
        Assert.Equal(5, (int?)model["monitoring"]!["windowMinutes"]);
        Assert.Empty(model["aliases"]!.AsObject());
        Assert.Equal(Callers.Root, (string?)model["createdBy"]);
        Assert.Equal(RegistryApp.Start, DateTimeOffset.Parse((string)model["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Models_are_listed_by_name_and_read_one_by_one()
    {
        await Registry.RegisterModelAsync("fraud");
        await Registry.RegisterModelAsync("churn", policy: new { approvalsRequired = 2, fourEyes = false, expiryHours = 4 });

        var list = (await Registry.GetJsonAsync("/api/models")).AsArray();
        Assert.Equal(["churn", "fraud"], list.Select(m => (string?)m!["name"]));
        var churn = await Registry.GetJsonAsync("/api/models/churn");
        Assert.Equal(2, (int?)churn["policy"]!["approvalsRequired"]);
        Assert.False((bool?)churn["policy"]!["fourEyes"]);
        Assert.Equal(4, (double?)churn["policy"]!["expiryHours"]);
    }

    [Fact]
    public async Task A_partial_policy_or_monitoring_keeps_the_defaults_of_what_it_omits()
    {
        var model = await Registry.RegisterModelAsync(
            "churn",
            policy: new { approvalsRequired = 2, autoApprove = new { enabled = true } },
            monitoring: new { windowMinutes = 15 });

        var policy = model["policy"]!;
        Assert.Equal(2, (int?)policy["approvalsRequired"]);
        Assert.True((bool?)policy["fourEyes"], "Asking for two approvals must not switch four-eyes off.");
        Assert.Equal(72, (double?)policy["expiryHours"]);
        Assert.Equal("roc_auc", (string?)policy["autoApprove"]!["primaryMetric"]);
        Assert.Equal(0.01, (double?)policy["autoApprove"]!["margin"]);
        Assert.Empty(policy["autoApprove"]!["guardrails"]!.AsObject());
        var monitoring = model["monitoring"]!;
        Assert.Equal(15, (int?)monitoring["windowMinutes"]);
        Assert.Equal(10, (int?)monitoring["allowedLatenessMinutes"]);
        Assert.Equal(0.5, (double?)monitoring["datasetDriftShare"]);
        Assert.Empty(monitoring["features"]!.AsObject());
    }

    [Fact]
    public async Task An_unknown_model_is_404_problem()
    {
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, "/api/models/nope"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, "/api/models/nope/versions"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_duplicate_model_name_is_409()
    {
        await Registry.RegisterModelAsync("churn");

        await HttpAssert.ProblemAsync(await Registry.PostModelAsync(new { name = "churn", schema = Samples.Schema() }), HttpStatusCode.Conflict);
        Assert.Single((await Registry.GetJsonAsync("/api/models")).AsArray());
    }

    public static TheoryData<string, string> InvalidModels => new()
    {
        { """{"name":"bad name!","schema":{"task":"regression","features":[]}}""", "name" },
        { """{"name":"","schema":{"task":"regression","features":[]}}""", "name" },
        { $$$"""{"name":"{{{new string('a', 101)}}}","schema":{"task":"regression","features":[]}}""", "name" },
        { """{"name":"churn"}""", "schema" },
        { """{"name":"churn","schema":{"features":[]}}""", "schema.task" },
        { """{"name":"churn","schema":{"model":"other","task":"regression","features":[]}}""", "schema.model" },
        { """{"name":"churn","schema":{"task":"binary","features":[{"name":"age","type":"numeric"}]}}""", "schema" },
        { """{"name":"churn","schema":{"task":"regression","features":[{"name":"age","type":"numeric"},{"name":"age","type":"numeric"}]}}""", "schema" },
        { """{"name":"churn","schema":{"task":"regression","features":[{"name":"age","type":"numeric"}]},"monitoring":{"features":{"nope":{"threshold":0.1}}}}""", "monitoring.features.nope" },
        { """{"name":"churn","schema":{"task":"regression","features":[{"name":"plan","type":"categorical"}]},"monitoring":{"features":{"plan":{"method":"ks"}}}}""", "monitoring.features.plan.method" },
        { """{"name":"churn","schema":{"task":"regression","features":[{"name":"age","type":"numeric"}]},"monitoring":{"features":{"age":{"method":"magic"}}}}""", "monitoring.features.age.method" },
        { """{"name":"churn","schema":{"task":"regression","features":[{"name":"age","type":"numeric"}]},"monitoring":{"features":{"age":{"threshold":-1}}}}""", "monitoring.features.age.threshold" },
        { """{"name":"churn","schema":{"task":"regression","features":[]},"monitoring":{"windowMinutes":0}}""", "monitoring.windowMinutes" },
        { """{"name":"churn","schema":{"task":"regression","features":[]},"policy":{"approvalsRequired":0}}""", "policy.approvalsRequired" },
        { """{"name":"churn","schema":{"task":"regression","features":[]},"policy":{"expiryHours":0}}""", "policy.expiryHours" },
        { """{"name":"churn","schema":{"task":"regression","features":[]},"policy":{"autoApprove":{"enabled":true,"margin":-0.5}}}""", "policy.autoApprove.margin" },
        { """{"name":"churn","schema":{"task":"regression","features":[]},"policy":{"autoApprove":{"enabled":true,"guardrails":null}}}""", "policy.autoApprove.guardrails" },
        { """{"name":"churn","schema":{"task":"regression","features":[]},"monitoring":{"features":null}}""", "monitoring.features" },
        { """{"name":"churn","schema":{"task":"regression","features":[{"name":"age","type":"numeric"}]},"monitoring":{"features":{"age":null}}}""", "monitoring.features.age" },
    };

    [Theory]
    [MemberData(nameof(InvalidModels))]
    public async Task An_invalid_model_is_400_naming_the_field(string body, string field)
    {
        var response = await Registry.SendAsync(Callers.Root, HttpMethod.Post, "/api/models", new StringContent(body, Encoding.UTF8, "application/json"));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Empty((await Registry.GetJsonAsync("/api/models")).AsArray());
    }

    [Theory]
    [InlineData("""{"name":5,"schema":{}}""", "$.name")]
    [InlineData("""{"name":"churn","schema":{"task":"binary","features":[{"name":"age","type":"numeric"}],"positiveClass":["x"]}}""", "$.schema.positiveClass")]
    [InlineData("""{"name":"churn","schema":{"task":"sideways","features":[]}}""", "$.schema.task")]
    public async Task A_body_that_is_not_the_expected_json_is_400_problem_with_the_field(string body, string field)
    {
        var response = await Registry.SendAsync(Callers.Root, HttpMethod.Post, "/api/models", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, (string?)problem["field"]);
    }

    [Fact]
    public async Task A_truncated_json_body_is_400_problem_with_a_field()
    {
        var response = await Registry.SendAsync(Callers.Root, HttpMethod.Post, "/api/models", new StringContent("""{"name": "churn", "schema": {""", Encoding.UTF8, "application/json"));

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("$", (string?)problem["field"]);
    }

    [Fact]
    public async Task A_registration_without_a_body_is_400_problem()
    {
        var response = await Registry.SendAsync(Callers.Root, HttpMethod.Post, "/api/models", new StringContent("", Encoding.UTF8, "application/json"));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Registration_is_recorded_in_the_audit_log_with_the_model_as_after()
    {
        await Registry.RegisterModelAsync("churn");

        var entry = Assert.Single(await Registry.AuditAsync("churn"));
        Assert.Equal("model.registered", (string?)entry["action"]);
        Assert.Equal(Callers.Root, (string?)entry["actor"]);
        Assert.Null(entry["before"]);
        Assert.Equal("churn", (string?)entry["after"]!["name"]);
        Assert.Equal("binary", (string?)entry["after"]!["schema"]!["task"]);
    }
}

public sealed class ModelsApiOnSqlite() : ModelsApiContract(StorageProvider.Sqlite);

public sealed class ModelsApiOnPostgres() : ModelsApiContract(StorageProvider.Postgres);
