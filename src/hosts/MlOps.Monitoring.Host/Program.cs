using MlOps.Hosting;
using MlOps.Platform;

// The streaming monitor on its own: consumes mlops.predictions and mlops.outcomes, closes windows, serves
// /api/monitoring/{model}/windows, /metrics and the health endpoints. It reads models from the registry's API
// (MlOps:Monitoring:RegistryUrl + RegistryApiKey) and keeps its own state in its own database (MlOps:Storage).
var builder = WebApplication.CreateBuilder(args);
builder.AddMlOps(Services.Monitoring);

var app = builder.Build();
app.MapMlOps();
app.Run();
