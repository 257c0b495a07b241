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
    [InlineData("9007199254740993")] // above 2^53, halfway between two doubles: ties to even
    [InlineData("9007199254740995")]
    [InlineData("12345678901234567890")] // 20 significant digits
    [InlineData("0.12345678901234568")] // 17 digits, as pandas and Python write doubles
    [InlineData("0.30000000000000004")]
    [InlineData("-2.718281828459045e-100")]
    [InlineData("1e23")] // beyond the exact powers of ten
    [InlineData("1e-23")]
    [InlineData("8.41e21")]
    [InlineData("1e00005")] // more exponent digits than the fast path reads
    [InlineData("1e0000000000000000000000000000000000000000000005")]
    [InlineData("1.7976931348623157e308")] // the largest double
    [InlineData("1.7976931348623158e308")] // rounds down to it
    [InlineData("2.2250738585072014e-308")] // the smallest normal
    [InlineData("2.2250738585072011e-308")] // a subnormal next to it
    [InlineData("4.9406564584124654e-324")] // the smallest subnormal
    [InlineData("2.4703282292062328e-324")] // just above half of it: rounds up to it
    [InlineData("2.4703282292062327e-324")] // just below: rounds to 0
    [InlineData("-2.4703282292062327e-324")] // to -0
    [InlineData("1e-400")]
    [InlineData("-1e-400")]
    [InlineData("-0e99999")]
    [InlineData("0.000000000000000000000000000000000000000000001")]
    [InlineData("00000000000000000000000000000000000001.5")]
    [InlineData("+123456789012345678901234567890e-10")]
    [InlineData(".1234567890123456789012345")]
    [InlineData("7.e-300")]
    [InlineData("2.00000000000000011102230246251565404236316680908203125")] // exactly halfway between 2 and its successor
    [InlineData("2.00000000000000011102230246251565404236316680908203126")] // just above
    [InlineData("4503599627370496.5")] // halfway at 2^52: ties to even
    [InlineData("4503599627370497.5")]
    public void Reads_digits_and_exponents_beyond_the_fast_path_as_the_framework_does(string text)
    {
        Assert.True(Parse(text, out double value), text);
        AssertSameAsFramework(text, value);
    }

    [Fact]
    public void Reads_hundreds_of_digits_near_a_halfway_point_as_the_framework_does()
    {
        // About 2^-1075, half the smallest subnormal, to 750 digits: only digits far down decide the rounding.
        string text = "2.47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722858865463328355177969898199387398005390939063150356595155702263922908583924491051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119282795585513329278343384093519780155312465972635795746227664652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513405355374585166611342237666786041621596804619144672918403005300575308490487653917113865916462395249126236538818796362393732804238910186723484976682350898633885879256283027559956575244555072551893136908362547791869486679949683240497058210285131854513962138377228261454376934125320985913276672363281255";
        Assert.True(Parse(text, out double value));
        AssertSameAsFramework(text, value);
    }

    [Fact]
    public void Agrees_bit_for_bit_with_the_framework_on_shortest_and_17_digit_forms_of_random_doubles()
    {
        var random = new Random(20241202);
        for (int i = 0; i < 100_000; i++)
        {
            // Any finite double, by its bits (subnormals included), and decimals near the ends of the range.
            double x = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(x))
                continue;
            foreach (string text in new[] { x.ToString("R", CultureInfo.InvariantCulture), x.ToString("E16", CultureInfo.InvariantCulture), x.ToString("G17", CultureInfo.InvariantCulture), x.ToString("E5", CultureInfo.InvariantCulture) })
            {
                Assert.True(Parse(text, out double value), text);
                AssertSameAsFramework(text, value);
            }
        }
    }

    [Fact]
    public void Agrees_bit_for_bit_with_the_framework_on_random_long_mantissas_and_exponents()
    {
        var random = new Random(7);
        var sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++)
        {
            sb.Clear();
            if (random.Next(2) == 0)
                sb.Append('-');
            int integerDigits = random.Next(0, 30), fractionDigits = random.Next(integerDigits == 0 ? 1 : 0, 30);
            for (int d = 0; d < integerDigits; d++)
                sb.Append((char)('0' + random.Next(10)));
            sb.Append('.');
            for (int d = 0; d < fractionDigits; d++)
                sb.Append((char)('0' + random.Next(10)));
            sb.Append('e').Append(random.Next(-360, 330));
            string text = sb.ToString();
            bool framework = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected);
            bool accepted = Parse(text, out double value);
            Assert.Equal(framework && double.IsFinite(expected), accepted);
            if (accepted)
                AssertSameAsFramework(text, value);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData("e5")]
    [InlineData(".e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e-")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1\t")]
    [InlineData("1x")]
    [InlineData("1.2.3")]
    [InlineData("1e5.5")]
    [InlineData("--1")]
    [InlineData("+-1")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("inf")]
    [InlineData("1e400")] // infinity: the framework's parser reads it, and the reader counts it missing
    [InlineData("-1.8e308")]
    [InlineData("12345678901234567890123456789e300")]
    public void Declines_what_is_not_a_finite_plain_decimal(string text) => Assert.False(Parse(text, out _), text);

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
