using MlOps.Contracts.Schemas;

namespace MlOps.Training.Tests;

public sealed class TrainingDataPreparationTests
{
    private static LabelledExample Example(string id, int minute, string actual = "yes", double? number = null, object? x1 = null) =>
        new(id, "v1", Synthetic.Start.AddMinutes(minute), new Dictionary<string, object?> { ["x1"] = x1 ?? 1.0, ["plan"] = "basic" }, actual, number);

    [Fact]
    public void Duplicates_are_dropped_keeping_the_first_and_counted()
    {
        var data = TrainingDataPreparation.Prepare(Synthetic.Schema(ModelTask.Binary), [
            Example("a", 1, "yes"), Example("b", 2, "no"), Example("a", 3, "no"), Example("a", 4, "no")]);

        var kept = data.Train.Concat(data.Validation).Concat(data.Test).ToList();
        Assert.Equal(["a", "b"], kept.Select(e => e.PredictionId).Order());
        Assert.Equal("yes", kept.Single(e => e.PredictionId == "a").Actual);
        Assert.Equal(2, data.Dropped[DropReasons.Duplicate]);
        Assert.Single(data.Dropped);
    }

    [Fact]
    public void Invalid_rows_are_counted_by_reason()
    {
        var binary = TrainingDataPreparation.Prepare(Synthetic.Schema(ModelTask.Binary), [
            Example("ok", 1),
            Example("unknown", 2, "maybe"),
            Example("empty", 3, ""),
            Example("text-in-numeric", 4, x1: "12"),
            Example("bool-in-numeric", 5, x1: true),
            new("cat-number", "v1", Synthetic.Start, new Dictionary<string, object?> { ["plan"] = 3.0 }, "no", null),
        ]);
        Assert.Equal(new Dictionary<string, long>
        {
            [DropReasons.UnknownClass] = 1,
            [DropReasons.MissingActual] = 1,
            [DropReasons.WrongFeatureType] = 3,
        }, binary.Dropped);
        Assert.Equal(1, binary.Train.Count + binary.Validation.Count + binary.Test.Count);

        var regression = TrainingDataPreparation.Prepare(Synthetic.Schema(ModelTask.Regression), [
            Example("ok", 1, "2.5", 2.5), Example("none", 2, "", null), Example("nan", 3, "NaN", double.NaN), Example("inf", 4, "inf", double.PositiveInfinity)]);
        Assert.Equal(new Dictionary<string, long> { [DropReasons.MissingActual] = 1, [DropReasons.NonFiniteActual] = 2 }, regression.Dropped);
    }

    [Fact]
    public void A_binary_schema_without_classes_takes_any_label_as_the_monitor_does()
    {
        var schema = new ModelSchema { Model = "m", Task = ModelTask.Binary, PositiveClass = "1", Features = Synthetic.Schema(ModelTask.Binary).Features };
        var data = TrainingDataPreparation.Prepare(schema, [Example("a", 1, "1"), Example("b", 2, "0"), Example("c", 3, "other")]);

        Assert.Empty(data.Dropped);
    }

    [Fact]
    public void Splits_are_80_10_10_and_strictly_by_time()
    {
        var examples = Synthetic.Examples(ModelTask.Binary, 1000);
        // Shuffled input and ties on the timestamp: the split must still follow time, ties by prediction id.
        examples = [.. examples.Select((e, i) => e with { Timestamp = Synthetic.Start.AddMinutes(i / 3) })];
        new Random(3).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(examples));

        var data = TrainingDataPreparation.Prepare(Synthetic.Schema(ModelTask.Binary), examples);

        Assert.Equal((800, 100, 100), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.True(data.Train.Max(e => e.Timestamp) <= data.Validation.Min(e => e.Timestamp));
        Assert.True(data.Validation.Max(e => e.Timestamp) <= data.Test.Min(e => e.Timestamp));
        var all = data.Train.Concat(data.Validation).Concat(data.Test).ToList();
        var sorted = all.OrderBy(e => e.Timestamp).ThenBy(e => e.PredictionId, StringComparer.Ordinal).ToList();
        Assert.Equal(sorted.Select(e => e.PredictionId), all.Select(e => e.PredictionId));
    }
}
