using MlOps.Statistics.Profiles;

namespace MlOps.Statistics.Tests.Profiles;

public class MissingValuesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData(" NaN ")]
    [InlineData("None")]
    [InlineData("N/A")]
    [InlineData("#N/A N/A")]
    [InlineData("null")]
    public void Pandas_na_strings_are_missing(string cell) => Assert.True(MissingValues.IsMissing(cell));

    [Theory]
    [InlineData("0")]
    [InlineData("na")]
    [InlineData("none")]
    [InlineData("missing")]
    [InlineData("NaNaNaNaNaN")]
    public void Other_text_is_a_value(string cell) => Assert.False(MissingValues.IsMissing(cell));
}
