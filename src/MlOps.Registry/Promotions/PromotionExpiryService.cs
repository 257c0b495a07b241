using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Hosting;

namespace MlOps.Registry.Promotions;

/// <summary>Marks overdue pending promotion requests as expired, on a timer (requests also refuse approval once overdue).</summary>
internal sealed partial class PromotionExpiryService(
    PromotionService promotions,
    IOptions<RegistryOptions> options,
    TimeProvider time,
    ILogger<PromotionExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpirySweepInterval, time);
        do
        {
            try
            {
                int expired = await promotions.ExpireDueAsync(stoppingToken);
                if (expired > 0)
                    LogExpired(expired);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(e);
            }
        }
        while (await timer.TickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} overdue promotion request(s)")]
    private partial void LogExpired(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The promotion expiry sweep failed; it runs again at the next tick")]
    private partial void LogSweepFailed(Exception exception);
}
