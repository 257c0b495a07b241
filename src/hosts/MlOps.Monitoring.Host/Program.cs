using MlOps.Monitoring;
using MlOps.Registry;
using MlOps.Registry.Hosting;

// The streaming monitor on its own: consumes mlops.predictions and mlops.outcomes, closes windows, serves
// /api/monitoring/{model}/windows and /metrics. It reads models from the registry's database (same MlOps:Storage
// settings as the registry host); the registry API itself is served by MlOps.Registry.Host.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables();
builder.AddMlOpsBus(bus => bus.AddMonitoringConsumers());
builder.AddRegistry();
builder.AddMonitoring();

var app = builder.Build();
app.UseMlOpsApi();
app.MapMonitoring();
app.Run();
