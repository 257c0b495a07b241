using System.Globalization;
using System.Text;
using MlOps.Cli.Csv;

namespace MlOps.Cli.Tests.Csv;

public class SimpleDecimalTests
{
    [Theory]
    [InlineData("-1.23457")]
    [InlineData("123.457")]
    [InlineData("1.23457e-05")]
    [InlineData("6.02E+23")]
    [InlineData("5")]
    [InlineData("+0.5")]
    [InlineData(".5")]
    [InlineData("7.")]
    [InlineData("0.000123")]
    [InlineData("-0")]
    [InlineData("9007199254740992")]
    [InlineData("123456789012345e-5")]
    public void Accepts_plain_decimals_and_gives_the_framework_parsers_double(string text)
    {
        Assert.True(Parse(text, out double value), text);
        AssertSameAsFramework(text, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1x")]
    [InlineData("--1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("9007199254740993")] // above 2^53: not exact as a double
    [InlineData("12345678901234567890")] // 20 significant digits
    [InlineData("1e23")] // beyond the exact powers of ten
    [InlineData("1e-23")]
    [InlineData("1e00005")]
    public void Declines_what_it_cannot_parse_exactly(string text) => Assert.False(Parse(text, out _), text);

    [Fact]
    public void Stops_at_the_delimiter()
    {
        var bytes = "1.5;2"u8;
        Assert.True(SimpleDecimal.TryParse(bytes, 0, (byte)';', out double value, out int end));
        Assert.Equal(1.5, value);
        Assert.Equal(3, end);
        Assert.True(SimpleDecimal.TryParse(bytes, 4, (byte)';', out value, out end));
        Assert.Equal(2, value);
        Assert.Equal(5, end);
        Assert.False(SimpleDecimal.TryParse("1.5,2"u8, 0, (byte)';', out _, out _));
    }

    [Fact]
    public void Agrees_bit_for_bit_with_the_framework_on_random_decimals()
    {
        var random = new Random(20240917);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++)
        {
            string text = RandomDecimal(random);
            if (!Parse(text, out double value))
                continue;
            accepted++;
            AssertSameAsFramework(text, value);
        }

        Assert.True(accepted > 150_000, $"only {accepted} accepted");
    }

    private static string RandomDecimal(Random random)
    {
        var sb = new StringBuilder();
        switch (random.Next(3))
        {
            case 0: sb.Append('-'); break;
            case 1 when random.Next(4) == 0: sb.Append('+'); break;
        }

        int integerDigits = random.Next(0, 12), fractionDigits = random.Next(0, 12);
        for (int d = 0; d < integerDigits; d++)
            sb.Append((char)('0' + random.Next(10)));
        if (fractionDigits > 0 || random.Next(4) == 0)
            sb.Append('.');
        for (int d = 0; d < fractionDigits; d++)
            sb.Append((char)('0' + random.Next(10)));
        if (integerDigits + fractionDigits == 0)
            sb.Append('0');
        if (random.Next(3) == 0)
            sb.Append(random.Next(2) == 0 ? 'e' : 'E').Append(random.Next(3) switch { 0 => "-", 1 => "+", _ => "" }).Append(random.Next(0, 30));
        return sb.ToString();
    }

    private static bool Parse(string text, out double value) =>
        SimpleDecimal.TryParse(Encoding.UTF8.GetBytes(text), 0, (byte)',', out value, out _);

    private static void AssertSameAsFramework(string text, double value)
    {
        Assert.True(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected), $"framework rejects '{text}'");
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), $"'{text}': expected {expected:R}, got {value:R}");
    }
}
