using MlOps.Hosting;
using MlOps.Platform;

// The retraining orchestrator on its own: one saga per model (triggered by DriftDetected, PerformanceDegraded and
// POST /api/retraining), its deadline sweeper, /api/retraining and the health endpoints. It reads policies and
// requests promotions through the registry's API (MlOps:Orchestration:RegistryUrl + RegistryApiKey, approver role),
// counts labelled examples through the monitor's (MonitoringUrl + MonitoringApiKey), and keeps its saga rows in its
// own database (MlOps:Storage). Distributed mode needs the RabbitMQ bus (MlOps:Bus:Transport=RabbitMq).
var builder = WebApplication.CreateBuilder(args);
builder.AddMlOps(Services.Orchestration);

var app = builder.Build();
app.MapMlOps();
app.Run();
