using Microsoft.ML;
using MlOps.Contracts.Metrics;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;
using MlOps.Training.Data;
using MlOps.Training.Search;

namespace MlOps.Training;

/// <summary>
/// Chooses and trains a model: a seeded random hyper-parameter search over the policy's trainers, each trial scored by
/// k-fold cross-validation on train + validation, then the best trial retrained on train + validation and judged on test.
/// </summary>
public sealed class ModelTrainer
{
    /// <summary>Fewest prepared examples (all splits) worth training on.</summary>
    public const int MinimumRows = 20;

    private readonly TimeProvider _time;

    /// <summary>Creates a trainer; <paramref name="time"/> measures the search's budget (default: the system clock).</summary>
    public ModelTrainer(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs the search and trains the chosen model. Trials go round-robin over the trainers (<c>policy.Trainers</c>, or every
    /// trainer fit for the task), <c>policy.Trials</c> in all, until <c>policy.TimeBudgetSeconds</c> is spent (the first
    /// trial always completes; a trial the budget cuts short is discarded). The primary metric (ROC AUC for binary, macro
    /// F1 for multiclass, RMSE for regression, lower being better) picks the trial; ties keep the earlier one. The same
    /// data and policy (whose <c>Seed</c> seeds the search, the folds and the trainers) give the same result, as long as
    /// the budget does not cut the search short.
    /// </summary>
    /// <exception cref="TrainingException">
    /// The data cannot train a model (fewer than <see cref="MinimumRows"/> examples, one class only, fewer examples than
    /// folds, no feature with a value), the policy names an unknown trainer or none fit for the task, or every trial failed.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between folds).</exception>
    public TrainingResult Train(ModelSchema schema, TrainingData data, RetrainingPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(policy);
        var trainers = TrainerNames.Resolve(schema.Task, policy.Trainers);
        var fitRows = data.Train.Concat(data.Validation).Where(e => TrainingDataPreparation.Problem(schema, e) is null).ToList();
        var table = FeatureTable.Build(schema, fitRows);
        var features = Usable(schema, table, fitRows.Count + data.Test.Count, data.Test.Count, Math.Max(2, policy.Folds));

        var folds = CrossValidation.Folds(table, Math.Max(2, policy.Folds), policy.Seed);
        var trainRows = folds.Select(f => CrossValidation.Complement(table.RowCount, f)).ToArray();
        string primary = MetricNames.Primary(schema.Task);
        bool lowerIsBetter = schema.Task == ModelTask.Regression;
        var random = new Random(policy.Seed);
        long started = _time.GetTimestamp();
        var budget = TimeSpan.FromSeconds(policy.TimeBudgetSeconds);
        bool OutOfTime() => _time.GetElapsedTime(started) >= budget;

        var summaries = new List<TrialSummary>();
        (Candidate Candidate, Dictionary<string, double> Mean, Dictionary<string, double> Std, double Primary)? best = null;
        Exception? lastError = null;
        for (int trial = 0; trial < Math.Max(1, policy.Trials); trial++)
        {
            // Past the budget, stop once a trial has succeeded (or every trainer has failed once).
            if (OutOfTime() && (best is not null || trial >= trainers.Count))
                break;
            var candidate = SearchSpace.Sample(trainers[trial % trainers.Count], random, policy.Seed);
            var foldMetrics = new List<Dictionary<string, double>>();
            try
            {
                for (int f = 0; f < folds.Length && !(best is not null && OutOfTime()); f++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var model = CrossValidation.Fit(table, trainRows[f], candidate, features);
                    foldMetrics.Add(CrossValidation.Score(model, table, folds[f]));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                lastError = ex;
                continue;
            }

            if (foldMetrics.Count < folds.Length)
                break; // cut short by the budget
            var (mean, std) = CrossValidation.Aggregate(foldMetrics);
            double score = mean.GetValueOrDefault(primary, double.NaN);
            summaries.Add(new TrialSummary(candidate.Trainer, candidate.Strings(), score));
            if (best is null || Better(score, best.Value.Primary, lowerIsBetter))
                best = (candidate, mean, std, score);
        }

        if (best is not { } chosen)
        {
            string why = $"Every trial failed; the last error was {lastError?.GetType().Name}: {lastError?.Message}";
            throw lastError is null ? new TrainingException(why) : new TrainingException(why, lastError);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var all = Enumerable.Range(0, table.RowCount).ToArray();
        byte[] zip;
        try
        {
            var final = CrossValidation.Fit(table, all, chosen.Candidate, features);
            zip = ModelFile.Save(new MLContext(policy.Seed), final, FeatureTableView.InputSchema(table));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new TrainingException($"The final {chosen.Candidate.Trainer} model failed to train: {ex.Message}", ex);
        }

        return new TrainingResult(
            zip,
            chosen.Candidate.Trainer,
            chosen.Candidate.Strings(),
            ModelScoring.Evaluate(schema, zip, data.Test),
            chosen.Mean,
            chosen.Std,
            new SplitSizes(data.Train.Count, data.Validation.Count, data.Test.Count),
            data.Dropped,
            summaries.Count,
            summaries);
    }

    // The features worth training on, after the checks that make the data unusable.
    private static List<FeatureSchema> Usable(ModelSchema schema, FeatureTable table, int totalRows, int testRows, int folds)
    {
        if (schema.Task == ModelTask.Binary && string.IsNullOrEmpty(schema.PositiveClass))
            throw new TrainingException($"Model '{schema.Model}' is binary but its schema names no positive class.");
        if (totalRows < MinimumRows)
            throw new TrainingException($"Only {totalRows} usable labelled examples; training needs at least {MinimumRows}.");
        if (testRows == 0)
            throw new TrainingException("The test split is empty.");
        if (table.RowCount < folds)
            throw new TrainingException($"Train + validation hold {table.RowCount} examples, fewer than the {folds} cross-validation folds.");
        switch (schema.Task)
        {
            case ModelTask.Binary when ((bool[])table.Labels).Distinct().Count() < 2:
                string only = ((bool[])table.Labels)[0] ? "the positive class" : "the negative class";
                throw new TrainingException($"Train + validation hold only {only} ('{table.Actuals[0]}'); a binary model needs both.");
            case ModelTask.Multiclass when table.Actuals.Distinct(StringComparer.Ordinal).Count() < 2:
                throw new TrainingException($"Train + validation hold a single class ('{table.Actuals[0]}'); a multiclass model needs at least two.");
        }

        var usable = schema.Features.Where((_, f) => table.Present[f] > 0).ToList();
        if (usable.Count == 0)
            throw new TrainingException("No feature has a value in train + validation.");
        return usable;
    }

    private static bool Better(double candidate, double best, bool lowerIsBetter)
    {
        if (double.IsNaN(candidate))
            return false;
        if (double.IsNaN(best))
            return true;
        return lowerIsBetter ? candidate < best : candidate > best;
    }
}
