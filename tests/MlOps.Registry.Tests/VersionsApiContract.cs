using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>Versions (multipart upload), artifact download and reference profiles.</summary>
public abstract class VersionsApiContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task A_version_is_numbered_per_model_and_keeps_its_metadata()
    {
        await Registry.RegisterModelAsync("churn");
        await Registry.RegisterModelAsync("fraud");
        var artifact = Samples.Artifact("churn-1");
        var metadata = new
        {
            trainingDataFrom = "2026-01-01T00:00:00Z",
            trainingDataTo = "2026-02-01T00:00:00Z",
            metrics = new Dictionary<string, double> { ["roc_auc"] = 0.91, ["log_loss"] = 0.31 },
            runId = "run-42",
            tags = new Dictionary<string, string> { ["framework"] = "lightgbm" },
        };

        var response = await Registry.PostVersionAsync("churn", Samples.VersionForm(artifact, metadata, fileName: "churn.onnx"));

        var v1 = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("/api/models/churn/versions/1", response.Headers.Location?.OriginalString);
        Assert.Equal("1", (string?)v1["version"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(artifact)), (string?)v1["artifact"]!["sha256"]);
        Assert.Equal(artifact.Length, (long?)v1["artifact"]!["size"]);
        Assert.Equal("churn.onnx", (string?)v1["artifact"]!["fileName"]);
        Assert.Equal(0.91, (double?)v1["metrics"]!["roc_auc"]);
        Assert.Equal("run-42", (string?)v1["runId"]);
        Assert.Equal("lightgbm", (string?)v1["tags"]!["framework"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)v1["trainingDataFrom"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False((bool?)v1["hasReferenceProfile"]);
        Assert.Null(v1["parentVersion"]);
        Assert.Equal(Callers.Root, (string?)v1["createdBy"]);

        var v2 = await HttpAssert.JsonAsync(await Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("churn-2"), new { parentVersion = "1" })), HttpStatusCode.Created);
        Assert.Equal("2", (string?)v2["version"]);
        Assert.Equal("1", (string?)v2["parentVersion"]);
        Assert.Equal("1", (string?)(await Registry.RegisterVersionAsync("fraud"))["version"]);

        var list = (await Registry.GetJsonAsync("/api/models/churn/versions")).AsArray();
        Assert.Equal(["2", "1"], list.Select(v => (string?)v!["version"]));
        var read = await Registry.GetJsonAsync("/api/models/churn/versions/1");
        Assert.Equal(v1.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task The_artifact_downloads_byte_for_byte_with_its_sha256_as_etag()
    {
        await Registry.RegisterModelAsync("churn");
        var artifact = Samples.Artifact("churn-1");
        await HttpAssert.StatusAsync(await Registry.PostVersionAsync("churn", Samples.VersionForm(artifact, fileName: "churn.onnx")), HttpStatusCode.Created);

        var response = await Registry.GetAsync(Callers.Vera, "/api/models/churn/versions/1/artifact");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        string sha = Convert.ToHexStringLower(SHA256.HashData(artifact));
        Assert.Equal(artifact, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha}\"", response.Headers.ETag?.ToString());
        Assert.Equal(sha, response.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("churn.onnx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task An_artifact_range_can_be_downloaded_to_resume()
    {
        await Registry.RegisterModelAsync("churn");
        var artifact = Samples.Artifact("churn-1");
        await Registry.RegisterVersionAsync("churn", artifact);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/models/churn/versions/1/artifact");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        var response = await App.Client(Callers.Vera).SendAsync(request);

        await HttpAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal(artifact[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_same_bytes_are_stored_once_and_shared_by_versions()
    {
        await Registry.RegisterModelAsync("churn");
        var artifact = Samples.Artifact("same");

        var v1 = await Registry.RegisterVersionAsync("churn", artifact);
        var v2 = await Registry.RegisterVersionAsync("churn", artifact);

        Assert.Equal((string?)v1["artifact"]!["sha256"], (string?)v2["artifact"]!["sha256"]);
        var download = await Registry.GetAsync(Callers.Vera, "/api/models/churn/versions/2/artifact");
        Assert.Equal(artifact, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/models/nope/versions/1")]
    [InlineData("/api/models/churn/versions/9")]
    [InlineData("/api/models/churn/versions/abc")]
    [InlineData("/api/models/churn/versions/0")]
    [InlineData("/api/models/churn/versions/9/artifact")]
    [InlineData("/api/models/nope/versions/1/artifact")]
    [InlineData("/api/models/churn/versions/9/reference-profile")]
    [InlineData("/api/models/churn/versions/1/reference-profile")]
    public async Task An_unknown_version_artifact_or_profile_is_404_problem(string path)
    {
        await Registry.RegisterModelAsync("churn");
        await Registry.RegisterVersionAsync("churn");

        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, path), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_version_of_an_unknown_model_is_404()
    {
        await HttpAssert.ProblemAsync(await Registry.PostVersionAsync("nope", Samples.VersionForm(Samples.Artifact("x"))), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_reference_profile_is_built_from_the_training_csv_with_the_model_schema()
    {
        await Registry.RegisterModelAsync("churn");

        var version = await HttpAssert.JsonAsync(
            await Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("v1"), referenceCsv: Samples.ReferenceCsv())),
            HttpStatusCode.Created);

        Assert.True((bool?)version["hasReferenceProfile"]);
        Assert.True((bool?)(await Registry.GetJsonAsync("/api/models/churn/versions"))[0]!["hasReferenceProfile"], "The version list says so too.");
        var response = await Registry.GetAsync(Callers.Vera, "/api/models/churn/versions/1/reference-profile");
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var profile = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        string json = profile.ToJsonString();
        Assert.Equal(40, (long?)profile["rows"]);
        foreach (string feature in new[] { "age", "plan", "active" })
            Assert.Contains($"\"{feature}\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"label\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_profile_can_be_uploaded_as_json_and_reads_back_unchanged()
    {
        await Registry.RegisterModelAsync("churn");
        await Registry.RegisterVersionAsync("churn", referenceCsv: Samples.ReferenceCsv());
        string built = await (await Registry.GetAsync(Callers.Vera, "/api/models/churn/versions/1/reference-profile")).Content.ReadAsStringAsync();

        var v2 = await HttpAssert.JsonAsync(
            await Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("v2"), referenceProfile: built)),
            HttpStatusCode.Created);

        Assert.True((bool?)v2["hasReferenceProfile"]);
        string uploaded = await (await Registry.GetAsync(Callers.Vera, "/api/models/churn/versions/2/reference-profile")).Content.ReadAsStringAsync();
        Assert.Equal(built, uploaded);
    }

    [Fact]
    public async Task Metadata_and_reference_profile_may_also_come_as_file_parts()
    {
        await Registry.RegisterModelAsync("churn");
        await Registry.RegisterVersionAsync("churn", referenceCsv: Samples.ReferenceCsv());
        string profile = await (await Registry.GetAsync(Callers.Vera, "/api/models/churn/versions/1/reference-profile")).Content.ReadAsStringAsync();
        var form = Samples.VersionForm(Samples.Artifact("v2"));
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("""{"runId":"from-file"}""")), "metadata", "metadata.json");
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(profile)), "referenceProfile", "profile.json");

        var v2 = await HttpAssert.JsonAsync(await Registry.PostVersionAsync("churn", form), HttpStatusCode.Created);

        Assert.Equal("from-file", (string?)v2["runId"]);
        Assert.True((bool?)v2["hasReferenceProfile"]);
    }

    [Fact]
    public async Task An_artifact_over_the_size_limit_is_400_and_stores_nothing()
    {
        await using var small = await IsolatedRegistry.StartAsync(Provider, [new("MlOps:Registry:MaxArtifactBytes", "1000")]);
        await small.Driver.RegisterModelAsync("churn");

        var response = await small.Driver.PostVersionAsync("churn", Samples.VersionForm(new byte[1001]));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "artifact");
        Assert.Empty((await small.Driver.GetJsonAsync("/api/models/churn/versions")).AsArray());
        await HttpAssert.JsonAsync(await small.Driver.PostVersionAsync("churn", Samples.VersionForm(new byte[1000])), HttpStatusCode.Created);
    }

    public static TheoryData<string, string> InvalidUploads => new()
    {
        { "no artifact", "artifact" },
        { "empty artifact", "artifact" },
        { "metadata not json", "metadata" },
        { "training window backwards", "trainingDataFrom" },
        { "parent version not a number", "parentVersion" },
        { "parent version unknown", "parentVersion" },
        { "csv and profile", "reference" },
        { "csv without a schema column", "reference" },
        { "csv with text in a numeric column", "reference" },
        { "csv with a bad boolean", "reference" },
        { "csv without rows", "reference" },
        { "profile not json", "referenceProfile" },
        { "profile without a schema feature", "referenceProfile" },
    };

    [Theory]
    [MemberData(nameof(InvalidUploads))]
    public async Task An_invalid_upload_is_400_naming_the_part_and_stores_no_version(string upload, string field)
    {
        await Registry.RegisterModelAsync("churn");
        var artifact = Samples.Artifact("bad");
        const string Header = "age,plan,active\n";
        string partialProfile = """{"version":1,"rows":1,"features":{}}""";
        var form = upload switch
        {
            "no artifact" => Samples.VersionForm(null, new { runId = "r" }),
            "empty artifact" => Samples.VersionForm([]),
            "metadata not json" => Samples.VersionForm(artifact, rawMetadata: "{runId:"),
            "training window backwards" => Samples.VersionForm(artifact, new { trainingDataFrom = "2026-02-01T00:00:00Z", trainingDataTo = "2026-01-01T00:00:00Z" }),
            "parent version not a number" => Samples.VersionForm(artifact, new { parentVersion = "one" }),
            "parent version unknown" => Samples.VersionForm(artifact, new { parentVersion = "7" }),
            "csv and profile" => Samples.VersionForm(artifact, referenceCsv: Samples.ReferenceCsv(), referenceProfile: partialProfile),
            "csv without a schema column" => Samples.VersionForm(artifact, referenceCsv: "age,plan\n1,a\n"),
            "csv with text in a numeric column" => Samples.VersionForm(artifact, referenceCsv: Header + "12,a,true\nold,b,false\n"),
            "csv with a bad boolean" => Samples.VersionForm(artifact, referenceCsv: Header + "12,a,maybe\n"),
            "csv without rows" => Samples.VersionForm(artifact, referenceCsv: Header),
            "profile not json" => Samples.VersionForm(artifact, referenceProfile: "{not json"),
            "profile without a schema feature" => Samples.VersionForm(artifact, referenceProfile: await ProfileWithout("churn", "active")),
            _ => throw new ArgumentOutOfRangeException(nameof(upload)),
        };

        await HttpAssert.ProblemAsync(await Registry.PostVersionAsync("churn", form), HttpStatusCode.BadRequest, field);
        Assert.Empty((await Registry.GetJsonAsync("/api/models/churn/versions")).AsArray());
    }

    [Fact]
    public async Task A_version_upload_that_is_not_multipart_is_400_naming_the_artifact()
    {
        await Registry.RegisterModelAsync("churn");

        var response = await Registry.SendAsync(Callers.Root, HttpMethod.Post, "/api/models/churn/versions", new StringContent("{}", Encoding.UTF8, "application/json"));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "artifact");
    }

    [Fact]
    public async Task A_version_registration_is_audited_with_its_hash_and_metrics()
    {
        await Registry.RegisterModelAsync("churn");
        var artifact = Samples.Artifact("v1");

        await Registry.RegisterVersionAsync("churn", artifact, new { metrics = new { f1 = 0.7 }, runId = "run-7" }, Samples.ReferenceCsv());

        var entry = (await Registry.AuditAsync("churn")).Last();
        Assert.Equal("version.registered", (string?)entry["action"]);
        Assert.Equal(Callers.Root, (string?)entry["actor"]);
        Assert.Equal("churn/1", (string?)entry["entityId"]);
        Assert.Null(entry["before"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(artifact)), (string?)entry["after"]!["sha256"]);
        Assert.Equal(0.7, (double?)entry["after"]!["metrics"]!["f1"]);
        Assert.Equal("run-7", (string?)entry["after"]!["runId"]);
        Assert.True((bool?)entry["after"]!["hasReferenceProfile"]);
    }

    /// <summary>A valid profile (built by the registry from the CSV) with one feature removed.</summary>
    private async Task<string> ProfileWithout(string model, string feature)
    {
        await Registry.RegisterModelAsync("scratch");
        await Registry.RegisterVersionAsync("scratch", referenceCsv: Samples.ReferenceCsv());
        var profile = JsonNode.Parse(await (await Registry.GetAsync(Callers.Vera, "/api/models/scratch/versions/1/reference-profile")).Content.ReadAsStringAsync())!;
        Assert.True(profile["features"]!.AsObject().Remove(feature), $"The profile of {model} has no '{feature}' to remove.");
        return profile.ToJsonString();
    }
}

public sealed class VersionsApiOnSqlite() : VersionsApiContract(StorageProvider.Sqlite);

public sealed class VersionsApiOnPostgres() : VersionsApiContract(StorageProvider.Postgres);
