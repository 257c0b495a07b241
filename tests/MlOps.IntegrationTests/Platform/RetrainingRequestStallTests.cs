using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;

namespace MlOps.IntegrationTests.Platform;

/// <summary>
/// <c>POST /api/retraining</c> on a real RabbitMQ node (its own) that takes the request and never confirms it (a
/// proxy holds the broker's bytes): the API answers 503 problem+json with <c>Retry-After</c> within
/// <c>MlOps:Bus:PublishTimeout</c>, instead of holding the caller for as long as the broker stays silent.
/// </summary>
public sealed class RetrainingRequestStallTests : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(1);

    private ProxiedRabbitMq<StallingProxy>? _broker;
    private TestPlatform? _platform;

    public async Task InitializeAsync()
    {
        _broker = await ProxiedRabbitMq<StallingProxy>.StartAsync(port => new StallingProxy(port));
        var settings = _broker.BusSettings();
        settings["MlOps:Bus:PublishTimeout"] = PublishTimeout.ToString();
        _platform = await TestPlatform.StartAsync(settings, services: [MlOps.Platform.Services.Registry, MlOps.Platform.Services.Orchestration]);
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null)
            await _platform.DisposeAsync();
        if (_broker is not null)
            await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_request_the_broker_never_confirms_is_answered_503_with_Retry_After_within_the_publish_timeout()
    {
        var platform = _platform!;
        await platform.Platform.RegistryAs("admin").RegisterModelAsync(new RegisterModelRequest
        {
            Name = "stalled",
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Classes = ["0", "1"],
                Features = [new FeatureSchema { Name = "age", Type = FeatureType.Numeric }],
            },
        });
        using var http = new HttpClient { BaseAddress = platform.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", platform.Platform.Keys["approver"]);

        _broker!.Proxy.Stall();
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync(new Uri("api/retraining", UriKind.Relative), new { model = "stalled", reason = "broker stall test" });
        var took = clock.Elapsed;

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains("MlOps:Bus:PublishTimeout", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(took < PublishTimeout * 10, $"the answer took {took.TotalSeconds:0.0} s (publish timeout {PublishTimeout.TotalSeconds} s)");
    }
}
