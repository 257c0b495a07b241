using MlOps.Registry;
using MlOps.Registry.Hosting;

// The model registry on its own: API, web page and promotion expiry. Configuration: appsettings.json and
// MLOPS__* environment variables (see README, "Model registry").
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables();
builder.AddMlOpsBus();
builder.AddRegistry();

var app = builder.Build();
app.UseMlOpsApi();
app.MapRegistry();
app.Run();
