using System.Text;
using MlOps.Cli.Simulation;
using MlOps.Registry.Apis;
using MlOps.Registry.Models;
using MlOps.Registry.Promotions;

namespace MlOps.Cli.Platform;

/// <summary>Registers the demo model with a reference profile and makes version 1 its champion (once per data folder).</summary>
internal static class DemoModel
{
    public static async Task<string> EnsureAsync(EmbeddedPlatform platform, string name, double windowMinutes, CancellationToken cancellationToken)
    {
        var registry = platform.Get<ModelRegistry>();
        var existing = (await registry.ListAsync(cancellationToken)).FirstOrDefault(m => m.Name == name);
        if (existing is not null && existing.Aliases.TryGetValue(ModelRegistry.Champion, out var champion))
            return champion;

        if (existing is null)
        {
            var schema = ChurnGenerator.Schema(name);
            await registry.RegisterAsync(new RegisterModelRequest
            {
                Name = name,
                Description = "Demo churn model (synthetic traffic from mlops simulate)",
                Owner = "demo",
                Schema = new ModelSchemaBody { Task = schema.Task, PositiveClass = schema.PositiveClass, Classes = [.. schema.Classes!], Features = [.. schema.Features] },
                Monitoring = new MonitoringConfig { WindowMinutes = windowMinutes, AllowedLatenessMinutes = windowMinutes / 10 },
                Policy = new PromotionPolicy { ApprovalsRequired = 1, FourEyes = false },
            }, "demo", cancellationToken);
        }

        var versions = await registry.ListVersionsAsync(name, cancellationToken);
        string version;
        if (versions.Count == 0)
        {
            var csv = new ChurnGenerator(seed: 7).ReferenceCsv(5000);
            using var artifact = new MemoryStream(Encoding.UTF8.GetBytes("demo model artifact: logistic churn v1"));
            using var reference = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            var registered = await registry.RegisterVersionAsync(name, artifact, "churn-v1.txt", new RegisterVersionMetadata
            {
                Metrics = new Dictionary<string, double> { ["roc_auc"] = 0.78, ["f1"] = 0.55 },
                RunId = "demo",
            }, reference, null, "demo", cancellationToken);
            version = registered.Version;
        }
        else
        {
            version = versions[^1].Version;
        }

        var promotions = platform.Get<PromotionService>();
        var request = await promotions.RequestAsync(new PromotionRequestBody { Model = name, Version = version, Notes = "demo: first champion" }, "demo", cancellationToken);
        if (request.State == PromotionStates.Pending)
            await promotions.ApproveAsync(request.Id, "demo set-up", "demo", cancellationToken);
        return version;
    }
}
