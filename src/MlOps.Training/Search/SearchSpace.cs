namespace MlOps.Training.Search;

/// <summary>The hyper-parameter ranges of the random search, per trainer.</summary>
internal static class SearchSpace
{
    public const string NumberOfLeaves = "numberOfLeaves";
    public const string NumberOfTrees = "numberOfTrees";
    public const string NumberOfIterations = "numberOfIterations";
    public const string LearningRate = "learningRate";
    public const string MinimumExampleCountPerLeaf = "minimumExampleCountPerLeaf";
    public const string L2Regularization = "l2Regularization";
    public const string L1Regularization = "l1Regularization";
    public const string MaximumNumberOfIterations = "maximumNumberOfIterations";

    /// <summary>Draws one candidate for <paramref name="trainer"/> from <paramref name="random"/>.</summary>
    public static Candidate Sample(string trainer, Random random, int seed)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (trainer)
        {
            case TrainerNames.FastTree:
            case TrainerNames.LightGbm:
                values[NumberOfLeaves] = LogInt(random, 4, 64);
                values[trainer == TrainerNames.FastTree ? NumberOfTrees : NumberOfIterations] = LogInt(random, 20, 300);
                values[LearningRate] = LogUniform(random, 0.02, 0.3);
                values[MinimumExampleCountPerLeaf] = LogInt(random, 2, 50);
                break;
            case TrainerNames.Sdca:
                values[L2Regularization] = LogUniform(random, 1e-6, 1);
                values[L1Regularization] = Round(random.NextDouble() * 1e-2);
                values[MaximumNumberOfIterations] = LogInt(random, 10, 100);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Unknown trainer.");
        }

        return new Candidate(trainer, values, seed);
    }

    private static double LogUniform(Random random, double low, double high) =>
        Round(Math.Exp(Math.Log(low) + random.NextDouble() * (Math.Log(high) - Math.Log(low))));

    private static int LogInt(Random random, int low, int high) =>
        Math.Clamp((int)Math.Round(Math.Exp(Math.Log(low) + random.NextDouble() * (Math.Log(high) - Math.Log(low)))), low, high);

    // Four significant digits: the recorded string is exactly the value trained with, and reads well.
    private static double Round(double value)
    {
        if (value == 0)
            return 0;
        int digits = 3 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : value;
    }
}
