using System.ComponentModel.DataAnnotations;

namespace MlOps.Notifications;

/// <summary>Configuration section <c>MlOps:Alerts</c> (environment <c>MLOPS__ALERTS__…</c>, e.g. <c>MLOPS__ALERTS__WEBHOOKS__0__URL</c>).</summary>
public sealed class AlertsOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Alerts";

    /// <summary>Webhook receivers.</summary>
    public List<WebhookReceiverOptions> Webhooks { get; set; } = [];

    /// <summary>Print every alert to the console (<c>mlops up</c> and <c>demo</c> turn it on).</summary>
    public bool Console { get; set; }

    /// <summary>After an alert, the same (model, feature, kind) is recorded but not sent again for this long (default 1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts per delivery before it is <c>dead</c> (default 8).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Back-off after the first failed attempt, doubled after each further one (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest back-off (default 10 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a receiver may take to answer (default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often due deliveries are sent (default 1 s; new alerts wake the dispatcher at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (int i = 0; i < Webhooks.Count; i++)
        {
            var w = Webhooks[i];
            string path = $"{Section}:Webhooks:{i}";
            if (!Uri.TryCreate(w.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                yield return new ValidationResult($"{path}:Url must be an absolute http:// or https:// URL (was '{w.Url}').");
            if (string.IsNullOrEmpty(w.Secret) || w.Secret.Length < 16)
                yield return new ValidationResult($"{path}:Secret is required, at least 16 characters (the receiver checks X-MlOps-Signature with it).");
            foreach (string kind in w.Kinds.Where(k => !AlertKinds.All.Contains(k)))
                yield return new ValidationResult($"{path}:Kinds: '{kind}' is not one of {string.Join(", ", AlertKinds.All)}.");
        }
    }
}

/// <summary>One webhook receiver.</summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>Where alerts are POSTed.</summary>
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key of <c>X-MlOps-Signature</c>; never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The kinds it receives (<see cref="AlertKinds"/>); empty: all.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>A name for the delivery history (default: the URL's host and path).</summary>
    public string? Name { get; set; }

    /// <summary>The receiver's name in the history.</summary>
    public string DisplayName => Name is { Length: > 0 } n ? n : Uri.TryCreate(Url, UriKind.Absolute, out var u) ? $"{u.Host}:{u.Port}{u.AbsolutePath}" : Url;
}

/// <summary>What an alert is about.</summary>
public static class AlertKinds
{
    /// <summary>A drifted feature in a window with dataset drift (<c>DriftDetected</c>).</summary>
    public const string Drift = "drift";

    /// <summary>A live metric below its baseline (<c>PerformanceDegraded</c>).</summary>
    public const string Performance = "performance";

    /// <summary>A data-quality problem (<c>DataQualityDegraded</c>).</summary>
    public const string DataQuality = "data_quality";

    /// <summary>A retraining run failed (<c>RetrainingFailed</c>).</summary>
    public const string RetrainingFailed = "retraining_failed";

    /// <summary>A promotion waits for approval (<c>PromotionRequested</c>).</summary>
    public const string PromotionRequested = "promotion_requested";

    /// <summary>An alert Alertmanager sent to <c>POST /api/alerts/alertmanager</c>.</summary>
    public const string Alertmanager = "alertmanager";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Drift, Performance, DataQuality, RetrainingFailed, PromotionRequested, Alertmanager];
}
