namespace MlOps.Contracts.Retraining;

/// <summary>Someone asked for a model to be retrained (<c>POST /api/retraining</c>, <c>mlops retrain</c>).</summary>
public sealed record RetrainingRequested
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>Why, in the requester's words.</summary>
    public required string Reason { get; init; }

    /// <summary>Who asked.</summary>
    public required string RequestedBy { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>The saga asks a trainer for a challenger (request; answered by <see cref="ModelTrained"/> or a fault).</summary>
public sealed record TrainModel
{
    /// <summary>The retraining run.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The champion when the run started (the new version's parent), if any.</summary>
    public string? ParentVersion { get; init; }

    /// <summary>Labelled examples with a prediction time in [<see cref="From"/>, <see cref="To"/>) are the training data.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the data range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Trainers, folds, trials, budget, seed.</summary>
    public required RetrainingPolicy Policy { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; } = 1;
}

/// <summary>A trainer registered the challenger (alias <c>challenger</c>).</summary>
public sealed record ModelTrained
{
    /// <summary>The retraining run.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The registered challenger version.</summary>
    public required string Version { get; init; }

    /// <summary>The chosen trainer and its hyper-parameters.</summary>
    public required string Trainer { get; init; }

    /// <summary>Hyper-parameters of the chosen trial.</summary>
    public IReadOnlyDictionary<string, string> HyperParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Metrics on the test split (the last 10 % by time).</summary>
    public IReadOnlyDictionary<string, double> TestMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Examples in the training, validation and test splits.</summary>
    public required SplitSizes Rows { get; init; }

    /// <summary>Examples dropped before training, by reason (<c>duplicate</c>, <c>invalid_feature</c>, …).</summary>
    public IReadOnlyDictionary<string, long> Dropped { get; init; } = new Dictionary<string, long>();

    /// <summary>Trials run within the budget.</summary>
    public int Trials { get; init; }
}

/// <summary>Sizes of the time-ordered 80/10/10 split.</summary>
public sealed record SplitSizes(long Train, long Validation, long Test);

/// <summary>The saga asks for the challenger to be assessed against the champion (answered by <see cref="ChallengerEvaluated"/>).</summary>
public sealed record EvaluateChallenger
{
    /// <summary>The retraining run.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The challenger.</summary>
    public required string ChallengerVersion { get; init; }

    /// <summary>The champion to beat, if any.</summary>
    public string? ChampionVersion { get; init; }

    /// <summary>The data range the challenger was trained on (its test split is the range's last 10 %).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the data range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Seed used by training (the split is by time, the seed is for tie-breaks).</summary>
    public int Seed { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; } = 1;
}

/// <summary>Challenger and champion on the same test split and on the latest labelled window.</summary>
public sealed record ChallengerEvaluated
{
    /// <summary>The retraining run.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The challenger.</summary>
    public required string ChallengerVersion { get; init; }

    /// <summary>The champion compared with, if any.</summary>
    public string? ChampionVersion { get; init; }

    /// <summary>The evidence for the promotion request (challenger vs champion, data, method).</summary>
    public required Registry.PromotionEvidence Evidence { get; init; }
}

/// <summary>A retraining run failed for good (after its attempts): for alerts.</summary>
public sealed record RetrainingFailed
{
    /// <summary>The retraining run.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The step that failed (<c>training</c>, <c>evaluating</c>, <c>promotion</c>).</summary>
    public required string Step { get; init; }

    /// <summary>The last error.</summary>
    public required string Reason { get; init; }

    /// <summary>Attempts made.</summary>
    public required int Attempts { get; init; }

    /// <summary>When the run failed.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>
/// A deadline stored in a saga row passed; the orchestrator's sweeper publishes it (no scheduler needed). The state
/// machine acts on it only while the saga still waits for that very deadline.
/// </summary>
public sealed record RetrainingDeadlineReached
{
    /// <summary>The saga (derived from the model name).</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The deadline, as stored (matches the saga's current deadline, or the event is stale).</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Why it is published before the deadline, when it is: the request the saga waits for is known to be lost.</summary>
    public string? Reason { get; init; }
}
