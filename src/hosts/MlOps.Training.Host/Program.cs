using MlOps.Hosting;
using MlOps.Platform;

// The ML.NET trainer on its own: consumes TrainModel and EvaluateChallenger from the bus (MlOps:Bus, RabbitMQ when
// distributed), reads labelled examples from the monitor's API (MlOps:Training:MonitoringUrl + MonitoringApiKey) and
// registers challengers through the registry's (RegistryUrl + RegistryApiKey, admin role). Serves the health
// endpoints; it needs a database only for the shared readiness check (MlOps:Storage).
var builder = WebApplication.CreateBuilder(args);
builder.AddMlOps(Services.Training);

var app = builder.Build();
app.MapMlOps();
app.Run();
