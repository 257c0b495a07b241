using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using csFastFloat;

namespace MlOps.Cli.Csv;

/// <summary>
/// Parses the plain decimal numbers that make up most numeric CSV files (<c>-12.345</c>, <c>6.02e23</c>,
/// <c>0.30000000000000004</c>) straight from UTF-8, to exactly the double <see cref="double.Parse(string)"/> gives;
/// anything else (white space, <c>NaN</c>, <c>Infinity</c>, overflow) is declined and left to the framework's parser.
/// </summary>
/// <remarks>
/// Clinger's fast path first: when the significant digits form an integer m ≤ 2^53 and the decimal exponent e satisfies
/// |e| ≤ 22, both m and 10^|e| are exact doubles, so the single IEEE multiplication or division m·10^e rounds the exact
/// value correctly. Other plain decimals (17 digits as pandas and Python write doubles, large exponents, subnormals) go to
/// csFastFloat, Lemire's fast_float in C#: Eisel–Lemire with a big-decimal fallback, correctly rounded too. The framework's
/// parser rounds correctly as well, so all three give the same bits (tested on random and edge-case inputs).
/// </remarks>
internal static class SimpleDecimal
{
    /// <summary>Readable bytes needed after a line's end byte: the short form loads 16 bytes from a field's start.</summary>
    public const int Padding = 64;

    private const ulong MaxExactInteger = 1UL << 53;
    private const int MaxDigits = 19;

    /// <summary>Whether <see cref="TryParseShort"/> may be used (vectors in hardware, little-endian loads).</summary>
    public static bool ShortForm { get; } = Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian;

    // Constant data in the assembly image: no static constructor to check, and indexing is unchecked below.
    private static ReadOnlySpan<ulong> IntegerPowersOfTen => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses the number starting at <paramref name="text"/>[<paramref name="start"/>] and ending at the end of
    /// <paramref name="text"/> or at <paramref name="delimiter"/>; on success <paramref name="end"/> is where it ended.
    /// </summary>
    /// <returns>False when the field is not a plain decimal in range (the value is then unknown, not an error).</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, int start, byte delimiter, out double value, out int end)
    {
        byte[] copy = new byte[text.Length + 1 + Padding];
        text.CopyTo(copy);
        copy[text.Length] = (byte)'\n';
        return TryParse(ref copy[0], text.Length, start, delimiter, out value, out end);
    }

    /// <summary>
    /// <see cref="TryParse(ReadOnlySpan{byte}, int, byte, out double, out int)"/> on the <paramref name="length"/> bytes
    /// at <paramref name="text"/>, which must be followed by a line end ('\n' or '\r') and <see cref="Padding"/> more
    /// readable bytes: the loops stop at the line end without checking the length at every digit, and the short form
    /// loads whole vectors.
    /// </summary>
    public static bool TryParse(ref byte text, int length, int start, byte delimiter, out double value, out int end) =>
        (ShortForm && TryParseShort(ref text, length, start, delimiter, out value, out end))
        || TryParseLong(ref text, length, start, delimiter, out value, out end);

    /// <summary>
    /// The common case without a branch per digit (whose count varies from field to field, so a loop over the digits
    /// mispredicts its exit): a sign, at most 8 integer digits, optionally a point and at most 8 fraction digits.
    /// </summary>
    /// <remarks>Only where <see cref="ShortForm"/>; the same requirements on the bytes as <see cref="TryParse(ref byte, int, int, byte, out double, out int)"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseShort(ref byte text, int length, int start, byte delimiter, out double value, out int end)
    {
        value = 0;
        end = start;
        byte first = Unsafe.Add(ref text, start);
        int sign = (first == '-' ? 1 : 0) | (first == '+' ? 1 : 0);
        ulong negative = (ulong)(first == '-' ? 1 : 0) << 63;
        ref byte digits = ref Unsafe.Add(ref text, start + sign);

        // One bit per byte that is not a digit, over 16 bytes; the bits above are set and stop every count.
        var bytes = Vector128.LoadUnsafe(ref digits);
        uint notDigit = ~Vector128.LessThan(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)10)).ExtractMostSignificantBits();
        int integerDigits = BitOperations.TrailingZeroCount(notDigit);
        int afterPoint = integerDigits + 1;
        bool point = Unsafe.Add(ref digits, integerDigits) == '.';
        int fractionDigits = point ? BitOperations.TrailingZeroCount(notDigit >> afterPoint) : 0;
        int numberLength = point ? afterPoint + fractionDigits : integerDigits;
        if (integerDigits > 8 || fractionDigits > 8 || integerDigits + fractionDigits == 0)
            return false;
        int stop = start + sign + numberLength;
        if (stop != length && Unsafe.Add(ref digits, numberLength) != delimiter)
            return false; // an exponent, or anything else: the long form decides

        ulong mantissa = (EightDigits(Unsafe.ReadUnaligned<ulong>(ref digits), integerDigits) * Unsafe.Add(ref MemoryMarshal.GetReference(IntegerPowersOfTen), fractionDigits))
            + EightDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref digits, afterPoint)), fractionDigits);
        if (mantissa > MaxExactInteger)
            return false;
        // m / 10^k, as the long form computes it (m / 1 = m * 1 = m); the sign bit last, so "-0" gives -0.0.
        double magnitude = (long)mantissa / Unsafe.Add(ref MemoryMarshal.GetReference(PowersOfTen), fractionDigits);
        value = BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(magnitude) | negative);
        end = stop;
        return true;
    }

    /// <summary>
    /// The value of the first <paramref name="count"/> (0 to 8) ASCII digits in <paramref name="chunk"/> (8 bytes as
    /// read from memory, little-endian), without a loop: the SWAR method of Lemire's fast_float.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong chunk, int count)
    {
        // Digits to values, then the bytes after the digits shifted out (two shifts, so that 0 digits shift by 64).
        ulong v = chunk - 0x3030_3030_3030_3030UL;
        int shift = (8 - count) * 4;
        v = (v << shift) << shift;
        v = (v * 10) + (v >> 8);
        return (uint)((((v & 0x0000_00FF_0000_00FFUL) * 0x000F_4240_0000_0064UL) + (((v >> 16) & 0x0000_00FF_0000_00FFUL) * 0x0000_2710_0000_0001UL)) >> 32);
    }

    /// <summary>
    /// Any plain decimal (<c>[+-]digits[.digits][e[+-]digits]</c>, at least one mantissa digit), digit by digit; the same
    /// requirements on the bytes as <see cref="TryParse(ref byte, int, int, byte, out double, out int)"/>. Clinger's fast
    /// path when it applies, else Eisel–Lemire (csFastFloat, correctly rounded as the framework's parser is); false for
    /// anything else and for values that overflow to infinity (left to the framework's parser, which reads them as ±∞).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseLong(ref byte text, int length, int start, byte delimiter, out double value, out int end)
    {
        value = 0;
        end = start;
        int i = start;
        byte c = Unsafe.Add(ref text, i);
        bool negative = c == '-';
        if (negative || c == '+')
            c = Unsafe.Add(ref text, ++i);

        // Leading zeros count as digits too: a mantissa of more than 19 digits (which may overflow) is not exact.
        ulong mantissa = 0;
        uint d;
        int first = i;
        while ((d = (uint)(c - '0')) <= 9)
        {
            mantissa = (mantissa * 10) + d;
            c = Unsafe.Add(ref text, ++i);
        }

        int digits = i - first, exponent = 0;
        if (c == '.')
        {
            int fraction = ++i;
            c = Unsafe.Add(ref text, i);
            while ((d = (uint)(c - '0')) <= 9)
            {
                mantissa = (mantissa * 10) + d;
                c = Unsafe.Add(ref text, ++i);
            }

            exponent = fraction - i;
            digits -= exponent;
        }

        if (digits == 0)
            return false;

        int numberStart = negative || Unsafe.Add(ref text, start) == '+' ? start + 1 : start;
        bool exponentExact = true;
        if ((c | 0x20) == 'e')
        {
            c = Unsafe.Add(ref text, ++i);
            bool negativeExponent = c == '-';
            if (negativeExponent || c == '+')
                c = Unsafe.Add(ref text, ++i);
            int e = 0, firstExponentDigit = i;
            while ((d = (uint)(c - '0')) <= 9)
            {
                if (i - firstExponentDigit == 4)
                    exponentExact = false; // Eisel–Lemire's parser reads any number of exponent digits
                else
                    e = (e * 10) + (int)d;
                c = Unsafe.Add(ref text, ++i);
            }

            if (i == firstExponentDigit)
                return false;
            exponent += negativeExponent ? -e : e;
        }

        // The field must end here: at the delimiter, or at the end (where the line end follows).
        if (i != length && c != delimiter)
            return false;

        double result;
        if (digits <= MaxDigits && exponentExact && mantissa == 0)
        {
            result = 0;
        }
        else if (digits <= MaxDigits && exponentExact && mantissa <= MaxExactInteger && exponent is >= -22 and <= 22)
        {
            result = exponent < 0 ? mantissa / PowersOfTen[-exponent] : mantissa * PowersOfTen[exponent];
        }
        else
        {
            // The unsigned number, so that the sign is applied as above whatever the library does with one.
            var number = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref text, numberStart), i - numberStart);
            if (!FastDoubleParser.TryParseDouble(number, out int consumed, out result) || consumed != number.Length || !double.IsFinite(result))
                return false;
        }

        value = negative ? -result : result;
        end = i;
        return true;
    }
}
