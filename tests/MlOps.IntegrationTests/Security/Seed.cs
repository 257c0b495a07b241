using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// What the endpoint table calls against, made through the API under a name prefix (so a test that writes can seed a
/// namespace of its own): <see cref="Model"/> with versions 1 (champion) and 2, reference profiles, a base dataset and
/// a pending request of the admin's for version 2; <see cref="Idle"/> with versions 1 (champion) and 2 and no request;
/// <see cref="Rolled"/> whose champion went from 1 to 2, so it can be rolled back.
/// </summary>
public sealed record Seed(string Model, string Idle, string Rolled, string PendingPromotion)
{
    /// <summary>An id of the shape the registry makes that no promotion or run has.</summary>
    public const string UnknownId = "0195f0c1e3d47a0b8c9d0e1f2a3b4c5d";

    /// <summary>A model name that is valid and not registered.</summary>
    public const string UnknownModel = "no-such-model";

    public static async Task<Seed> CreateAsync(Func<string, HttpClient> client, string prefix)
    {
        var admin = client("admin");
        string model = prefix + "churn", idle = prefix + "idle", rolled = prefix + "rolled";
        foreach (string name in new[] { model, idle, rolled })
        {
            await Ok(await admin.PostAsJsonAsync("api/models", new { name, description = $"{name} model", owner = "team-ml", schema = Schema() }, JsonSerializerOptions.Web));
            for (int v = 0; v < 2; v++)
                await Ok(await admin.PostAsync($"api/models/{name}/versions", VersionForm(name == model)));
        }

        await Ok(await admin.PutAsync($"api/models/{model}/base-dataset", DatasetForm()));
        string pending = await RequestAsync(admin, model, "2");
        await Ok(await client("approver").PostAsJsonAsync($"api/promotions/{await RequestAsync(admin, rolled, "2")}/approve", new { comment = "seed" }));
        return new Seed(model, idle, rolled, pending);
    }

    /// <summary>The schema of every seeded model (and of the model the table registers).</summary>
    public static JsonObject Schema() => new()
    {
        ["task"] = "binary",
        ["positiveClass"] = "1",
        ["classes"] = new JsonArray("0", "1"),
        ["features"] = new JsonArray(
            new JsonObject { ["name"] = "age", ["type"] = "numeric", ["required"] = true },
            new JsonObject { ["name"] = "plan", ["type"] = "categorical" },
            new JsonObject { ["name"] = "active", ["type"] = "boolean" }),
    };

    /// <summary>Training data for <see cref="Schema"/>, label in <c>actual</c> (the base-dataset shape) or <c>label</c>.</summary>
    public static string Csv(string label = "actual")
    {
        var csv = new StringBuilder($"age,plan,active,{label}\n");
        string[] plans = ["basic", "plus", "pro"];
        for (int i = 0; i < 30; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{20 + i},{plans[i % 3]},{(i % 4 == 0 ? "false" : "true")},{i % 2}\n");
        return csv.ToString();
    }

    public static MultipartFormDataContent VersionForm(bool withReference)
    {
        var form = new MultipartFormDataContent();
        var artifact = new ByteArrayContent(Encoding.UTF8.GetBytes($"weights {Guid.NewGuid()}"));
        artifact.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(artifact, "artifact", "model.zip");
        form.Add(new StringContent("{\"runId\":\"seed\"}", Encoding.UTF8, "application/json"), "metadata");
        if (withReference)
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Csv("label"))), "reference", "train.csv");
        return form;
    }

    public static MultipartFormDataContent DatasetForm() => new() { { new ByteArrayContent(Encoding.UTF8.GetBytes(Csv())), "dataset", "base.csv" } };

    private static async Task<string> RequestAsync(HttpClient admin, string model, string version)
    {
        var response = await admin.PostAsJsonAsync("api/promotions", new { model, version, notes = "seed" }, JsonSerializerOptions.Web);
        return (string)JsonNode.Parse(await Ok(response))!["id"]!;
    }

    private static async Task<string> Ok(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Seeding: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return response.StatusCode == HttpStatusCode.NoContent ? "" : body;
    }
}
