using MlOps.Hosting;
using MlOps.Platform;

// The model registry on its own: API, web page, promotion expiry, /health/live and /health/ready. Configuration:
// appsettings.json and MLOPS__* environment variables (see README, "Model registry").
var builder = WebApplication.CreateBuilder(args);
builder.AddMlOps(Services.Registry);

var app = builder.Build();
app.MapMlOps();
app.Run();
