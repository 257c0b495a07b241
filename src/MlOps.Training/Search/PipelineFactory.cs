using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using MlOps.Contracts.Schemas;
using MlOps.Training.Data;
using MlOps.Training.Metrics;
using static MlOps.Training.Search.SearchSpace;

namespace MlOps.Training.Search;

/// <summary>
/// Builds the estimator a candidate trains: features prepared in place (missing numbers replaced by the mean, categories
/// one-hot encoded with unseen ones as all zeros), concatenated, then the trainer. The label is not touched here, so the
/// fitted chain scores rows that carry only the features.
/// </summary>
internal static class PipelineFactory
{
    /// <summary>The estimator for <paramref name="candidate"/> over <paramref name="features"/> (those with any value).</summary>
    public static IEstimator<ITransformer> Create(MLContext ml, ModelTask task, Candidate candidate, IReadOnlyList<FeatureSchema> features)
    {
        var numeric = features.Where(f => f.Type != FeatureType.Categorical).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        var categorical = features.Where(f => f.Type == FeatureType.Categorical).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        if (numeric.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues(numeric, MissingValueReplacingEstimator.ReplacementMode.Mean));
        if (categorical.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(categorical, OneHotEncodingEstimator.OutputKind.Indicator));
        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeatureTable.FeaturesColumn, [.. features.Select(f => f.Name)]));
        if (candidate.Trainer == TrainerNames.Sdca)
        {
            // SDCA is a linear model making many passes: scale the features and keep them cached between passes.
            pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax(FeatureTable.FeaturesColumn)).AppendCacheCheckpoint(ml);
        }

        pipeline = task switch
        {
            ModelTask.Binary => pipeline.Append(Binary(ml, candidate)),
            ModelTask.Multiclass => pipeline.Append(Multiclass(ml, candidate))
                .Append(ml.Transforms.Conversion.MapKeyToValue(TaskMetrics.PredictedLabelColumn)),
            _ => pipeline.Append(Regression(ml, candidate)),
        };
        return pipeline;
    }

    private static IEstimator<ITransformer> Binary(MLContext ml, Candidate c) => c.Trainer switch
    {
        TrainerNames.FastTree => ml.BinaryClassification.Trainers.FastTree(Tree(new FastTreeBinaryTrainer.Options(), c)),
        TrainerNames.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = FeatureTable.LabelColumn,
            FeatureColumnName = FeatureTable.FeaturesColumn,
            NumberOfLeaves = c.Int(NumberOfLeaves),
            NumberOfIterations = c.Int(NumberOfIterations),
            LearningRate = c.Real(LearningRate),
            MinimumExampleCountPerLeaf = c.Int(MinimumExampleCountPerLeaf),
            Seed = c.Seed,
            Deterministic = true,
        }),
        _ => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = FeatureTable.LabelColumn,
            FeatureColumnName = FeatureTable.FeaturesColumn,
            L2Regularization = (float)c.Real(L2Regularization),
            L1Regularization = (float)c.Real(L1Regularization),
            MaximumNumberOfIterations = c.Int(MaximumNumberOfIterations),
            NumberOfThreads = 1, // SDCA's parallel updates race; one thread keeps a seed's model the same
        }),
    };

    private static IEstimator<ITransformer> Multiclass(MLContext ml, Candidate c) => c.Trainer switch
    {
        TrainerNames.LightGbm => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = FeatureTable.LabelColumn,
            FeatureColumnName = FeatureTable.FeaturesColumn,
            NumberOfLeaves = c.Int(NumberOfLeaves),
            NumberOfIterations = c.Int(NumberOfIterations),
            LearningRate = c.Real(LearningRate),
            MinimumExampleCountPerLeaf = c.Int(MinimumExampleCountPerLeaf),
            Seed = c.Seed,
            Deterministic = true,
        }),
        _ => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = FeatureTable.LabelColumn,
            FeatureColumnName = FeatureTable.FeaturesColumn,
            L2Regularization = (float)c.Real(L2Regularization),
            L1Regularization = (float)c.Real(L1Regularization),
            MaximumNumberOfIterations = c.Int(MaximumNumberOfIterations),
            NumberOfThreads = 1,
        }),
    };

    private static IEstimator<ITransformer> Regression(MLContext ml, Candidate c) => c.Trainer switch
    {
        TrainerNames.FastTree => ml.Regression.Trainers.FastTree(Tree(new FastTreeRegressionTrainer.Options(), c)),
        TrainerNames.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = FeatureTable.LabelColumn,
            FeatureColumnName = FeatureTable.FeaturesColumn,
            NumberOfLeaves = c.Int(NumberOfLeaves),
            NumberOfIterations = c.Int(NumberOfIterations),
            LearningRate = c.Real(LearningRate),
            MinimumExampleCountPerLeaf = c.Int(MinimumExampleCountPerLeaf),
            Seed = c.Seed,
            Deterministic = true,
        }),
        _ => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = FeatureTable.LabelColumn,
            FeatureColumnName = FeatureTable.FeaturesColumn,
            L2Regularization = (float)c.Real(L2Regularization),
            L1Regularization = (float)c.Real(L1Regularization),
            MaximumNumberOfIterations = c.Int(MaximumNumberOfIterations),
            NumberOfThreads = 1,
        }),
    };

    private static T Tree<T>(T options, Candidate c)
        where T : BoostedTreeOptions
    {
        options.LabelColumnName = FeatureTable.LabelColumn;
        options.FeatureColumnName = FeatureTable.FeaturesColumn;
        options.NumberOfLeaves = c.Int(NumberOfLeaves);
        options.NumberOfTrees = c.Int(NumberOfTrees);
        options.LearningRate = c.Real(LearningRate);
        options.MinimumExampleCountPerLeaf = c.Int(MinimumExampleCountPerLeaf);
        options.Seed = c.Seed;
        return options;
    }
}
