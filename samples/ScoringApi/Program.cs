using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MlOps.Client.Logging;
using MlOps.Client.Serving;
using ScoringApi;

var builder = WebApplication.CreateBuilder(args);
if (args is ["register-model", ..])
    return await DemoChampion.RegisterAsync(builder.Configuration, Console.Out);

// MlOps:Logger (appsettings.json, or MLOPS__LOGGER__* variables); the champion reuses its Kafka, registry and key.
builder.Services.AddMlOpsLogger(builder.Configuration);
builder.Services.AddChampionModel<ChurnInput, ChurnOutput>(builder.Configuration, champion =>
{
    champion.BootstrapServers ??= builder.Configuration["MlOps:Logger:BootstrapServers"];
    champion.RegistryUrl ??= builder.Configuration["MlOps:Logger:RegistryUrl"];
    champion.ApiKey ??= builder.Configuration["MlOps:Logger:ApiKey"];
});
builder.Services.AddProblemDetails();

var app = builder.Build();

app.MapPost("/score", Results<Ok<ScoreResponse>, ProblemHttpResult> (ScoreRequest request, ChampionModel<ChurnInput, ChurnOutput> champion) =>
{
    if (!champion.IsLoaded)
        return TypedResults.Problem($"model '{champion.Model}' has no champion loaded yet", statusCode: StatusCodes.Status503ServiceUnavailable);
    var served = champion.Predict(new ChurnInput
    {
        Age = (float)request.Age,
        TenureMonths = (float)request.TenureMonths,
        Income = request.Income is { } income ? (float)income : float.NaN,
        Plan = request.Plan,
        Region = request.Region,
    }, request.PredictionId);
    return TypedResults.Ok(new ScoreResponse(served.PredictionId, served.Version, served.Prediction.ToString(), served.Score, served.Log?.ToString() ?? "not logged"));
});

app.MapPost("/outcome", Results<Accepted<LogResult>, ProblemHttpResult> (OutcomeRequest request, MlOpsLogger logger, IOptions<ChampionModelOptions> champion) =>
{
    var result = logger.LogOutcome(champion.Value.Model!, request.PredictionId, request.Actual);
    return result.Status switch
    {
        LogStatus.Accepted => TypedResults.Accepted((string?)null, result),
        LogStatus.Rejected => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: result.Reason),
        _ => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: result.Reason),
    };
});

app.MapGet("/model", (ChampionModel<ChurnInput, ChurnOutput> champion, MlOpsLogger logger) => TypedResults.Ok(new
{
    champion.Model,
    champion.Version,
    champion.Sha256,
    logger = new { logger.Accepted, logger.Delivered, logger.Rejected, logger.Dropped, logger.Failed, logger.Buffered },
}));

await app.RunAsync();
return 0;
