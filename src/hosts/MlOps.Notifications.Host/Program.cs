using MlOps.Hosting;
using MlOps.Platform;

// Platform notifications on their own: consumes DriftDetected, PerformanceDegraded, DataQualityDegraded,
// RetrainingFailed and PromotionRequested from the bus (RabbitMQ when distributed), sends them to the webhook
// receivers of MlOps:Alerts:Webhooks (signed, with dedup, cool-down and retries), accepts Alertmanager's webhook at
// POST /api/alerts/alertmanager and lists everything at GET /api/alerts. Keeps its history in MlOps:Storage.
var builder = WebApplication.CreateBuilder(args);
builder.AddMlOps(Services.Notifications);

var app = builder.Build();
app.MapMlOps();
app.Run();
