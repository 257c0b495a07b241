using System.Text.Json.Serialization;
using Microsoft.ML.Data;
using MlOps.Client.Logging;
using MlOps.Contracts;

namespace MlOps.Client.Tests;

public sealed class FeatureExtractorTests
{
    [Fact]
    public void Features_are_read_from_properties_and_fields_named_by_attribute()
    {
        var features = FeatureExtractor.Extract(new ChurnInput { Age = 25, Plan = "basic", Active = 1 });
        Assert.Equal(Scalar.Of(25.0), features["age"]);
        Assert.Equal(Scalar.Of("basic"), features["plan"]);
        Assert.Equal(Scalar.Of(1.0), features["active"]);
        Assert.Equal(3, features.Count);

        var mixed = FeatureExtractor.Extract(new Mixed { Count = 3, Ratio = float.NaN, Flag = true, Level = Level.High, Ignored = new object() });
        Assert.Equal(Scalar.Of(3.0), mixed["count"]);
        Assert.Equal(Scalar.Missing, mixed["ratio"]);
        Assert.Equal(Scalar.Of(true), mixed["Flag"]);
        Assert.Equal(Scalar.Of("High"), mixed["level"]);
        Assert.Equal(Scalar.Missing, mixed["maybe"]);
        Assert.False(mixed.ContainsKey("Ignored"));
    }

    [Fact]
    public void Dictionaries_of_objects_become_scalars_and_unsupported_types_are_named()
    {
        var features = FeatureExtractor.Extract(new Dictionary<string, object?> { ["a"] = 1, ["b"] = "x", ["c"] = null, ["d"] = 2.5m });
        Assert.Equal([Scalar.Of(1.0), Scalar.Of("x"), Scalar.Missing, Scalar.Of(2.5)], features.Values);
        var error = Assert.Throws<ArgumentException>(() => FeatureExtractor.Extract(new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch }));
        Assert.Contains("'when'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float_columns_of_boolean_features_are_logged_as_booleans_and_the_rest_kept()
    {
        var schema = new MlOps.Contracts.Schemas.ModelSchema
        {
            Model = "churn",
            Task = MlOps.Contracts.Schemas.ModelTask.Binary,
            PositiveClass = "1",
            Features = ChurnModels.Schema.Features!,
        };
        var features = MlOps.Client.Serving.ChampionModel<ChurnInput, ChurnOutput>.Coerce(
            FeatureExtractor.Extract(new ChurnInput { Age = 25, Plan = "basic", Active = 1 }), schema);
        Assert.Equal(Scalar.Of(25.0), features["age"]);
        Assert.Equal(Scalar.Of("basic"), features["plan"]);
        Assert.Equal(Scalar.Of(true), features["active"]);
    }

    public enum Level
    {
        Low,
        High,
    }

    private sealed class Mixed
    {
        [JsonPropertyName("count")]
        public int Count { get; set; }

        [ColumnName("ratio")]
        public float Ratio;

        public bool Flag { get; set; }

        [JsonPropertyName("level")]
        public Level Level { get; set; }

        [JsonPropertyName("maybe")]
        public double? Maybe { get; set; }

        [JsonIgnore]
        public object? Ignored { get; set; }
    }
}
