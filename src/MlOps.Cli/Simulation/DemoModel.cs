using System.Text;
using MlOps.Client.Registry;
using MlOps.Contracts.Metrics;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Platform;

namespace MlOps.Cli.Simulation;

/// <summary>
/// Registers the demo model with a reference profile (once per data folder), through the registry API as a user
/// would; its first version becomes champion at once (<c>initialChampion: auto</c>). A model left without a champion
/// (registered with <c>initialChampion: approval</c>) gets one the four-eyes way: the admin requests, the approver approves.
/// </summary>
internal static class DemoModel
{
    private const string Champion = "champion";

    public static async Task<string> EnsureAsync(EmbeddedPlatform platform, string name, double windowMinutes, CancellationToken cancellationToken)
    {
        var admin = platform.RegistryAs("admin");
        var existing = (await admin.ListModelsAsync(cancellationToken)).FirstOrDefault(m => m.Name == name);
        if (existing is not null && existing.Aliases.TryGetValue(Champion, out var champion))
            return champion;

        if (existing is null)
        {
            var schema = ChurnGenerator.Schema(name);
            await admin.RegisterModelAsync(new RegisterModelRequest
            {
                Name = name,
                Description = "Demo churn model (synthetic traffic from mlops simulate)",
                Owner = "demo",
                Schema = new ModelSchemaBody { Task = schema.Task, PositiveClass = schema.PositiveClass, Classes = [.. schema.Classes!], Features = [.. schema.Features] },
                Monitoring = new MonitoringConfig { WindowMinutes = windowMinutes, AllowedLatenessMinutes = windowMinutes / 10 },
                Policy = new PromotionPolicy { ApprovalsRequired = 1 },
                // A demo-sized search: a drifted window trains a challenger within a minute on a laptop.
                Retraining = new MlOps.Contracts.Retraining.RetrainingPolicy { Trials = 6, Folds = 3, TimeBudgetSeconds = 45, CooldownHours = 0.25 },
            }, cancellationToken);
        }

        var versions = await admin.ListVersionsAsync(name, cancellationToken);
        string version;
        if (versions.Count == 0)
        {
            var csv = new ChurnGenerator(seed: 7).ReferenceCsv(5000);
            using var artifact = new MemoryStream(Encoding.UTF8.GetBytes("demo model artifact: logistic churn v1"));
            using var reference = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            var registered = await admin.RegisterVersionAsync(name, new VersionUpload
            {
                Artifact = artifact,
                ArtifactFileName = "churn-v1.txt",
                Metadata = new RegisterVersionMetadata
                {
                    Metrics = new Dictionary<string, double> { [MetricNames.RocAuc] = 0.78, [MetricNames.F1] = 0.55 },
                    RunId = "demo",
                },
                ReferenceCsv = reference,
            }, cancellationToken);
            version = registered.Version;
            if (registered.Aliases.Contains(Champion))
                return version;
        }
        else
        {
            version = versions[^1].Version;
        }

        await platform.PromoteAsync(name, version, "demo: first champion", cancellationToken);
        return version;
    }
}
