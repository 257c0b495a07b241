using System.Text.Json;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Tests;

public class ScalarTests
{
    [Fact]
    public void Each_factory_sets_its_kind_and_value()
    {
        Assert.Equal(ScalarKind.Number, Scalar.Of(2.5).Kind);
        Assert.Equal(2.5, Scalar.Of(2.5).Number);
        Assert.Equal("gold", Scalar.Of("gold").Text);
        Assert.True(Scalar.Of(true).Boolean);
        Assert.Equal(ScalarKind.Missing, default(Scalar).Kind);
        Assert.True(Scalar.Missing.IsMissing);
    }

    [Fact]
    public void Accessors_of_another_kind_return_neutral_values()
    {
        Assert.True(double.IsNaN(Scalar.Of("x").Number));
        Assert.Null(Scalar.Of(1).Text);
        Assert.False(Scalar.Of(1).Boolean);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_numbers_become_missing_because_json_cannot_carry_them(double value) =>
        Assert.Equal(Scalar.Missing, Scalar.Of(value));

    [Fact]
    public void A_null_string_becomes_missing() => Assert.Equal(Scalar.Missing, Scalar.Of((string?)null));

    [Fact]
    public void ToString_is_culture_invariant_and_uses_json_spelling_for_booleans()
    {
        Assert.Equal("1", Scalar.Of(1.0).ToString());
        Assert.Equal("0.1", Scalar.Of(0.1).ToString());
        Assert.Equal("-1234.5", Scalar.Of(-1234.5).ToString());
        Assert.Equal("true", Scalar.Of(true).ToString());
        Assert.Equal("gold", Scalar.Of("gold").ToString());
        Assert.Equal(string.Empty, Scalar.Missing.ToString());
    }

    [Fact]
    public void Equality_compares_kind_and_value()
    {
        Assert.Equal(Scalar.Of(1), Scalar.Of(1.0));
        Assert.NotEqual(Scalar.Of(1), Scalar.Of("1"));
        Assert.NotEqual(Scalar.Of(true), Scalar.Of("true"));
        Assert.True(Scalar.Of("a") == Scalar.Of("a"));
        Assert.True(Scalar.Of("a") != Scalar.Of("A"));
        Assert.Equal(Scalar.Of("a").GetHashCode(), Scalar.Of(new string('a', 1)).GetHashCode());
    }

    [Theory]
    [InlineData("42", ScalarKind.Number)]
    [InlineData("-0.5e-3", ScalarKind.Number)]
    [InlineData("\"gold\"", ScalarKind.Text)]
    [InlineData("\"\"", ScalarKind.Text)]
    [InlineData("true", ScalarKind.Boolean)]
    [InlineData("false", ScalarKind.Boolean)]
    [InlineData("null", ScalarKind.Missing)]
    public void Every_kind_round_trips_through_json(string json, ScalarKind kind)
    {
        var value = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.Scalar);

        Assert.Equal(kind, value.Kind);
        var written = JsonSerializer.Serialize(value, ContractsJsonContext.Default.Scalar);
        Assert.Equal(value, JsonSerializer.Deserialize(written, ContractsJsonContext.Default.Scalar));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("1e400")]
    public void Non_scalar_json_does_not_deserialize(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJsonContext.Default.Scalar));
}
