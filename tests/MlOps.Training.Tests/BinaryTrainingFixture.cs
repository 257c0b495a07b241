using MlOps.Contracts.Schemas;

namespace MlOps.Training.Tests;

/// <summary>One search over the binary problem (2 000 examples), shared by the tests that inspect its result.</summary>
public sealed class BinaryTrainingFixture
{
    public BinaryTrainingFixture()
    {
        Data = TrainingDataPreparation.Prepare(Schema, Synthetic.Examples(ModelTask.Binary, 2000));
        Result = new ModelTrainer().Train(Schema, Data, Synthetic.Policy(trials: 3, folds: 3), CancellationToken.None);
    }

    public ModelSchema Schema { get; } = Synthetic.Schema(ModelTask.Binary);

    public TrainingData Data { get; }

    public TrainingResult Result { get; }
}
