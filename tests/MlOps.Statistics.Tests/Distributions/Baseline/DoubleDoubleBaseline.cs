// The code before its speed-up (commit 82f72da), verbatim but for the names: kept so that a test can show that the
// optimised Smirnov sum gives the same bits. Not to be changed.
using MlOps.Statistics.Distributions;

namespace MlOps.Statistics.Tests.Distributions.Baseline;

/// <summary>
/// The subset of SciPy's double-double package (cephes <c>dd_real.c</c>, <c>dd_idefs.h</c>,
/// <c>dd_real_idefs.h</c>, taken from the QD library) that <c>_smirnov</c> uses, plus <c>kolmogorov.c</c>'s
/// <c>pow_D</c>/<c>pow4_D</c>/<c>pow2Scaled_D</c>.
/// </summary>
internal readonly record struct DoubleDoubleBaseline(double Hi, double Lo)
{
    public static readonly DoubleDoubleBaseline Zero = new(0.0, 0.0);
    public static readonly DoubleDoubleBaseline One = new(1.0, 0.0);
    private static readonly DoubleDoubleBaseline NaN = new(double.NaN, double.NaN);
    private static readonly DoubleDoubleBaseline Inf = new(double.PositiveInfinity, double.PositiveInfinity);
    private static readonly DoubleDoubleBaseline NegInf = new(double.NegativeInfinity, double.NegativeInfinity);

    // Keeps both halves normalised (kolmogorov.c _MAX_EXPONENT, below 1023 - 52).
    private const int MaxExponent = 960;

    public bool IsZero => Hi == 0.0;

    public bool IsFinite => double.IsFinite(Hi);

    private static double QuickTwoSum(double a, double b, out double err)
    {
        var s = a + b;
        err = b - (s - a);
        return s;
    }

    private static double TwoSum(double a, double b, out double err)
    {
        var s = a + b;
        var bb = s - a;
        err = (a - (s - bb)) + (b - bb);
        return s;
    }

    private static double TwoDiff(double a, double b, out double err)
    {
        var s = a - b;
        var bb = s - a;
        err = (a - (s - bb)) - (b + bb);
        return s;
    }

    // The error of a*b is exact with a fused multiply-add, as QD's two_split version is.
    private static double TwoProd(double a, double b, out double err)
    {
        var p = a * b;
        err = Math.FusedMultiplyAdd(a, b, -p);
        return p;
    }

    public static DoubleDoubleBaseline Add(double a, double b) => new(TwoSum(a, b, out var e), e);

    public static DoubleDoubleBaseline Add(DoubleDoubleBaseline a, double b)
    {
        var s1 = TwoSum(a.Hi, b, out var s2);
        s2 += a.Lo;
        s1 = QuickTwoSum(s1, s2, out s2);
        return new(s1, s2);
    }

    // dd_ieee_add: IEEE-style error bound (Briggs/Kahan).
    public static DoubleDoubleBaseline Add(DoubleDoubleBaseline a, DoubleDoubleBaseline b)
    {
        var s1 = TwoSum(a.Hi, b.Hi, out var s2);
        var t1 = TwoSum(a.Lo, b.Lo, out var t2);
        s2 += t1;
        s1 = QuickTwoSum(s1, s2, out s2);
        s2 += t2;
        s1 = QuickTwoSum(s1, s2, out s2);
        return new(s1, s2);
    }

    public static DoubleDoubleBaseline Sub(DoubleDoubleBaseline a, DoubleDoubleBaseline b) => Add(a, new DoubleDoubleBaseline(-b.Hi, -b.Lo));

    public static DoubleDoubleBaseline Sub(DoubleDoubleBaseline a, double b)
    {
        var s1 = TwoSum(a.Hi, -b, out var s2);
        s2 += a.Lo;
        s1 = QuickTwoSum(s1, s2, out s2);
        return new(s1, s2);
    }

    public static DoubleDoubleBaseline Sub(double a, double b) => new(TwoDiff(a, b, out var e), e);

    public static DoubleDoubleBaseline Mul(double a, double b) => new(TwoProd(a, b, out var e), e);

    public static DoubleDoubleBaseline Mul(DoubleDoubleBaseline a, DoubleDoubleBaseline b)
    {
        var p1 = TwoProd(a.Hi, b.Hi, out var p2);
        p2 += (a.Hi * b.Lo) + (a.Lo * b.Hi);
        p1 = QuickTwoSum(p1, p2, out p2);
        return new(p1, p2);
    }

    public static DoubleDoubleBaseline Mul(double a, DoubleDoubleBaseline b)
    {
        var p1 = TwoProd(a, b.Hi, out var e1);
        var p2 = TwoProd(a, b.Lo, out var e2);
        p1 = QuickTwoSum(p1, e2 + p2 + e1, out e1);
        return new(p1, e1);
    }

    private static DoubleDoubleBaseline Mul(DoubleDoubleBaseline a, double b)
    {
        var p1 = TwoProd(a.Hi, b, out var e1);
        var p2 = TwoProd(a.Lo, b, out var e2);
        p1 = QuickTwoSum(p1, e2 + p2 + e1, out e1);
        return new(p1, e1);
    }

    // dd_accurate_div.
    public static DoubleDoubleBaseline Div(DoubleDoubleBaseline a, DoubleDoubleBaseline b)
    {
        var q1 = a.Hi / b.Hi;
        var r = Sub(a, Mul(b, q1));
        var q2 = r.Hi / b.Hi;
        r = Sub(r, Mul(b, q2));
        var q3 = r.Hi / b.Hi;
        q1 = QuickTwoSum(q1, q2, out q2);
        return Add(new DoubleDoubleBaseline(q1, q2), q3);
    }

    public static DoubleDoubleBaseline Div(double a, double b) => Div(new DoubleDoubleBaseline(a, 0), new DoubleDoubleBaseline(b, 0));

    public static DoubleDoubleBaseline Div(DoubleDoubleBaseline a, double b) => Div(a, new DoubleDoubleBaseline(b, 0));

    private static DoubleDoubleBaseline Inv(DoubleDoubleBaseline a) => Div(One, a);

    public DoubleDoubleBaseline Floor()
    {
        var hi = Math.Floor(Hi);
        var lo = 0.0;
        if (hi == Hi)
        {
            // High word is an integer already; round the low word.
            lo = Math.Floor(Lo);
            hi = QuickTwoSum(hi, lo, out lo);
        }

        return new(hi, lo);
    }

    public DoubleDoubleBaseline ScaleB(int expt) => new(Math.ScaleB(Hi, expt), Math.ScaleB(Lo, expt));

    // dd_frexp: 0.5 <= |hi| < 1, or |hi| == 1 with hi*lo < 0.
    public DoubleDoubleBaseline Frexp(out int expt)
    {
        var man = FrexpDouble(Hi, out var exponent);
        var b1 = Math.ScaleB(Lo, -exponent);
        if (Math.Abs(man) == 0.5 && man * b1 < 0)
        {
            man *= 2;
            b1 *= 2;
            exponent -= 1;
        }

        expt = exponent;
        return new(man, b1);
    }

    private static double FrexpDouble(double x, out int exponent)
    {
        if (x == 0 || !double.IsFinite(x))
        {
            exponent = 0;
            return x;
        }

        exponent = Math.ILogB(x) + 1;
        return Math.ScaleB(x, -exponent);
    }

    // kolmogorov.c pow_D: a^m with pow() on the high word and a first-order correction for the low.
    public static DoubleDoubleBaseline Pow(DoubleDoubleBaseline a, int m)
    {
        if (m <= 0)
        {
            return m == 0 ? One : Inv(Pow(a, -m));
        }

        if (a.IsZero)
        {
            return Zero;
        }

        var ans = Math.Pow(a.Hi, m);
        var r = a.Lo / a.Hi;
        var adj = m * r;
        if (Math.Abs(adj) > 1e-8)
        {
            adj = Math.Abs(adj) < 1e-4
                ? adj + (m * r * ((m - 1) / 2.0 * r))
                : KahanMath.Expm1(m * KahanMath.Log1p(r));
        }

        return Add(ans, ans * adj);
    }

    // kolmogorov.c pow4_D: ((a + b)/(c + d))^m.
    public static DoubleDoubleBaseline Pow4(double a, double b, double c, double d, int m)
    {
        if (m <= 0)
        {
            return m == 0 ? One : Pow4(c, d, a, b, -m);
        }

        var numerator = Add(a, b);
        var denominator = Add(c, d);
        if (numerator.IsZero)
        {
            return denominator.IsZero ? NaN : Zero;
        }

        if (denominator.IsZero)
        {
            return numerator.Hi < 0 ? NegInf : Inf;
        }

        return Pow(Div(numerator, denominator), m);
    }

    // kolmogorov.c pow2Scaled_D: a^m = significand * 2^exponent, splitting the power when it would
    // leave the double exponent range.
    public static DoubleDoubleBaseline Pow2Scaled(DoubleDoubleBaseline a, int m, out int exponent)
    {
        if (m <= 0)
        {
            if (m == 0)
            {
                exponent = 0;
                return One;
            }

            var inverse = Pow2Scaled(a, -m, out var aE1);
            var result = Inv(inverse).Frexp(out var aE2);
            exponent = -aE1 + aE2;
            return result;
        }

        var y = a.Frexp(out var yE);
        if (m == 1)
        {
            exponent = yE;
            return y;
        }

        var maxExpt = MaxExponent;
        if (m * (y.Hi - 1) / y.Hi < -MaxExponent * Math.Log(2))
        {
            // Now do it carefully, calling log().
            var lg2y = Math.Log(y.Hi) / Math.Log(2);
            var lgAns = m * lg2y;
            if (lgAns <= -MaxExponent)
            {
                maxExpt = (int)(NextPowerOf2((-MaxExponent / lg2y) + 1) / 2);
            }
        }

        int ansE;
        DoubleDoubleBaseline ans;
        if (m <= maxExpt)
        {
            ans = Pow(y, m).Frexp(out ansE);
            exponent = ansE + (m * yE);
            return ans;
        }

        var q = m / maxExpt;
        var r = m % maxExpt;

        // y^m = (y^maxExpt)^q * y^r
        var y2r = Pow2Scaled(y, r, out var y2rE);
        var y2m = Pow2Scaled(y, maxExpt, out var y2mE);
        var y2mq = Pow2Scaled(y2m, q, out var y2mqE);
        ans = Mul(y2r, y2mq).Frexp(out ansE);
        y2mqE += y2mE * q;
        ansE += y2mqE + y2rE;
        ansE += m * yE;
        exponent = ansE;
        return ans;
    }

    private static double NextPowerOf2(double x)
    {
        var q = Math.ScaleB(x, 1 - 53);
        var l = Math.Abs(q + x);
        if (l == 0)
        {
            l = Math.Abs(x);
        }
        else
        {
            var lint = (int)l;
            if (lint == l)
            {
                l = lint;
            }
        }

        return l;
    }
}
