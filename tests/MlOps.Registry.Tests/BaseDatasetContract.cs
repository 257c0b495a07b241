using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>A model's base dataset for retraining: upload (admin), checked header, download, replace, delete, audit.</summary>
public abstract class BaseDatasetContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task An_admin_uploads_a_base_dataset_that_viewers_download_byte_for_byte_and_every_change_is_audited()
    {
        await Registry.RegisterModelAsync("churn");
        string csv = Csv(rows: 3);

        var info = await HttpAssert.JsonAsync(await Upload(Callers.Root, "churn", csv), HttpStatusCode.OK);
        Assert.Equal(3, (long)info["rows"]!);
        Assert.Equal("base.csv", (string?)info["fileName"]);
        Assert.Equal(Callers.Root, (string?)info["uploadedBy"]);
        var download = await Registry.GetAsync(Callers.Vera, "/api/models/churn/base-dataset");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(csv, await download.Content.ReadAsStringAsync());
        Assert.Equal((string?)info["sha256"], download.Headers.GetValues("X-Content-SHA256").Single());

        await HttpAssert.JsonAsync(await Upload(Callers.Root, "churn", Csv(rows: 5)), HttpStatusCode.OK);
        Assert.Equal(5, (long)(await Registry.GetJsonAsync("/api/models/churn/base-dataset/info"))["rows"]!);
        await HttpAssert.StatusAsync(await Registry.SendAsync(Callers.Root, HttpMethod.Delete, "/api/models/churn/base-dataset"), HttpStatusCode.NoContent);
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, "/api/models/churn/base-dataset/info"), HttpStatusCode.NotFound);

        var actions = (await Registry.AuditAsync("churn")).Select(a => (string?)a["action"]).ToList();
        Assert.Equal(2, actions.Count(a => a == "dataset.uploaded"));
        Assert.Single(actions, a => a == "dataset.deleted");
    }

    [Fact]
    public async Task A_dataset_without_a_required_feature_or_the_label_is_a_400_naming_them_and_only_admins_upload()
    {
        await Registry.RegisterModelAsync("churn");
        var problem = await HttpAssert.ProblemAsync(await Upload(Callers.Root, "churn", "age,plan\n40,gold\n"), HttpStatusCode.BadRequest);
        string detail = (string?)problem["detail"] ?? "";
        Assert.Contains("actual", detail, StringComparison.Ordinal);
        await HttpAssert.ProblemAsync(await Upload(Callers.Root, "churn", Csv(rows: 0)), HttpStatusCode.BadRequest);
        await HttpAssert.StatusAsync(await Upload(Callers.Ann, "churn", Csv(rows: 2)), HttpStatusCode.Forbidden);
        await HttpAssert.ProblemAsync(await Upload(Callers.Root, "nope", Csv(rows: 2)), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, "/api/models/churn/base-dataset"), HttpStatusCode.NotFound);
    }

    private Task<HttpResponseMessage> Upload(string caller, string model, string csv)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "dataset", "base.csv");
        return Registry.SendAsync(caller, HttpMethod.Put, $"/api/models/{model}/base-dataset", form);
    }

    private static string Csv(int rows)
    {
        var sb = new StringBuilder("age,plan,active,actual\n");
        for (int i = 0; i < rows; i++)
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{30 + i},{(i % 2 == 0 ? "gold" : "basic")},{(i % 3 == 0 ? "true" : "false")},{(i % 2 == 0 ? "churned" : "stayed")}\n");
        return sb.ToString();
    }
}

public sealed class BaseDatasetOnSqlite() : BaseDatasetContract(StorageProvider.Sqlite);

public sealed class BaseDatasetOnPostgres() : BaseDatasetContract(StorageProvider.Postgres);
