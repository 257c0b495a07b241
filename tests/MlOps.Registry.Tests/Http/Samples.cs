using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Registry.Tests.Http;

/// <summary>Request bodies and files the tests send: a churn-like binary model with three kinds of feature.</summary>
public static class Samples
{
    public static object Schema() => new
    {
        task = "binary",
        positiveClass = "churned",
        features = new object[]
        {
            new { name = "age", type = "numeric", required = true },
            new { name = "plan", type = "categorical" },
            new { name = "active", type = "boolean" },
        },
    };

    /// <summary>Training data for <see cref="Schema"/>: 40 rows, one missing age.</summary>
    public static string ReferenceCsv()
    {
        var csv = new StringBuilder("age,plan,active,label\n");
        string[] plans = ["basic", "plus", "pro"];
        for (int i = 0; i < 40; i++)
        {
            string age = i == 7 ? "" : (20 + i).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{age},{plans[i % 3]},{(i % 4 == 0 ? "false" : "true")},{i % 2}\n");
        }

        return csv.ToString();
    }

    public static byte[] Artifact(string seed) => Encoding.UTF8.GetBytes($"model weights for {seed} \u0000\u0001\u0002 {new string('x', 3000)}");

    /// <summary>The multipart form of POST /api/models/{name}/versions.</summary>
    public static MultipartFormDataContent VersionForm(
        byte[]? artifact,
        object? metadata = null,
        string? referenceCsv = null,
        string? referenceProfile = null,
        string fileName = "model.onnx",
        string? rawMetadata = null)
    {
        var form = new MultipartFormDataContent();
        if (artifact is not null)
        {
            var file = new ByteArrayContent(artifact);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "artifact", fileName);
        }

        if (rawMetadata is not null || metadata is not null)
            form.Add(new StringContent(rawMetadata ?? JsonSerializer.Serialize(metadata, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"), "metadata");
        if (referenceCsv is not null)
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(referenceCsv)), "reference", "train.csv");
        if (referenceProfile is not null)
            form.Add(new StringContent(referenceProfile, Encoding.UTF8, "application/json"), "referenceProfile");
        return form;
    }

    /// <summary>Evidence with the challenger and champion evaluated on the same holdout.</summary>
    public static object Evidence(Dictionary<string, double> challenger, Dictionary<string, double> champion) => new
    {
        evaluationData = "holdout 2026-02-01..20, 5 000 rows",
        challenger = new { version = "2", metrics = challenger },
        champion = new { version = "1", metrics = champion },
        recentTraffic = new { rows = 1200, challenger = new { metrics = challenger }, champion = new { metrics = champion } },
        drift = new { driftedShare = 0.6, driftedFeatures = new[] { "age", "plan" } },
    };
}
