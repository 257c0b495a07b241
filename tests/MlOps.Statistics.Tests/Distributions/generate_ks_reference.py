#!/usr/bin/python3
"""Prints the SciPy reference values embedded in KolmogorovSmirnovTests.cs, ChiSquaredTests.cs and
StandardNormalTests.cs, as C# TheoryData rows.

Run with Debian's SciPy 1.10.1 (apt-get install -y --no-install-recommends python3-scipy):

    /usr/bin/python3 tests/MlOps.Statistics.Tests/Distributions/generate_ks_reference.py

and paste each block over the matching one in the tests. Every case names the branch of SciPy's
_kolmogn / smirnov / two-sample code it exercises; branch_of() mirrors _kolmogn's selection so a
case that drifts to another branch is visible here.
"""
import warnings
from math import gcd

import numpy as np
import scipy
from scipy import special, stats
from scipy.stats._stats_py import _attempt_exact_2kssamp

assert scipy.__version__.startswith("1.10"), scipy.__version__


def lit(v):
    v = float(v)
    if np.isnan(v):
        return "double.NaN"
    if np.isinf(v):
        return "double.PositiveInfinity" if v > 0 else "double.NegativeInfinity"
    r = repr(v)
    return r if ("." in r or "e" in r) else r + ".0"


def branch_of(n, x):
    """Which part of scipy.stats._ksstats._kolmogn(n, x, cdf=False) computes kstwo.sf(x, n)."""
    if x <= 0.5 / n:
        return "support: x <= 0.5/n"
    if x >= 1:
        return "support: x >= 1"
    t = n * x
    if t <= 1:
        return "Ruben-Gambino t<=1 " + ("product" if n <= 140 else "Stirling")
    if t >= n - 1:
        return "Ruben-Gambino t>=n-1"
    if x >= 0.5:
        return "x>=0.5 2*smirnov"
    nx2 = t * x
    if n <= 140:
        if nx2 <= 0.754693:
            return "n<=140 DMTW"
        if nx2 <= 4:
            return "n<=140 Pomeranz"
        return "n<=140 2*smirnov"
    if nx2 >= 370:
        return "n>140 nx^2>=370"
    if nx2 >= 2.2:
        return "n>140 2*smirnov"
    if n <= 100000 and n * x ** 1.5 <= 1.4:
        return "n>140 DMTW"
    return "n>140 PelzGood"


KOLMOGOROV_SF = [
    (10, 0.05), (10, 0.04),
    (10, 0.07), (5, 0.19), (3, 0.3), (100, 0.0099), (140, 0.006), (141, 0.007), (1000, 0.0008), (5000, 0.00015),
    (10, 0.95), (5, 0.85), (200, 0.996),
    (3, 0.55), (10, 0.6), (200, 0.6), (1000, 0.55),
    (20, 0.15), (50, 0.1), (100, 0.08), (140, 0.07), (7, 0.3),
    (10, 0.4), (30, 0.3), (50, 0.25), (100, 0.15), (140, 0.16), (100, 0.1),
    (20, 0.48), (100, 0.25), (140, 0.3), (140, 0.45),
    (2000, 0.45), (10000, 0.2),
    (200, 0.2), (1000, 0.05), (5000, 0.03), (100000, 0.005), (1000, 0.3),
    (150, 0.035), (200, 0.03), (1000, 0.012), (10000, 0.0026), (100000, 0.0005), (500, 0.02),
    (141, 0.1), (200, 0.08), (1000, 0.03), (5000, 0.02), (200000, 0.0003), (1000000, 0.001),
    (100000, 0.004),
]

SMIRNOV_SF = [
    (1, 0.3, "n==1"), (10, 0.0, "x==0"), (10, 1.0, "x==1"),
    (10, 0.05, "x<=1/n"), (8, 0.125, "x==1/n exactly"), (100, 0.01, "x~1/n"),
    (1000, 0.62, "underflow -2nx^2<MINLOG"), (1000, 0.58, "lower sum subnormal result"),
    (1000, 0.59, "lower sum underflows to 0"),
    (10, 0.95, "x>=1-1/n"), (100, 0.991, "x>=1-1/n"),
    (2000000, 0.001, "n>1e6 exp"), (2000000, 0.0001, "n>1e6 expm1"),
    (100, 0.025, "upper sum"), (1000, 0.0015, "upper sum"), (50, 0.05, "upper sum"),
    (20, 0.25, "lower sum alpha==0"), (16, 0.375, "lower sum alpha==0"),
    (5, 0.3, "lower sum"), (100, 0.1, "lower sum"), (1000, 0.05, "lower sum"),
    (1012, 0.04, "lower sum"), (1013, 0.04, "lower sum"), (5000, 0.02, "lower sum"),
    (100000, 0.003, "lower sum"), (1000000, 0.001, "lower sum"), (300, 0.4, "lower sum deep tail"),
    (50000, 0.08, "lower sum deep tail"),
]

# kstwo.cdf for branches whose sf rounds to 1 (or that only the cdf path reaches).
KOLMOGOROV_CDF = [
    (10, 0.05), (1, 0.9), (5, 0.19), (141, 0.007), (300, 0.003), (100, 0.08), (100, 0.15), (100, 0.25),
    (10000, 0.0026), (100000, 0.0005), (200000, 0.0003), (1000, 0.05), (1000, 0.2), (5000, 0.02),
]

KOLMOGOROV_LIMIT_SF = [
    -1.0, 0.0, 0.04, 0.04068, 0.05, 0.1, 0.3, 0.5, 0.82, 0.83, 1.0, 1.3580986393225505, 2.0, 5.0, 10.0,
    20.0, 30.0,
]

# (n1, n2, d): direct calls of _attempt_exact_2kssamp(n1, n2, gcd, d, 'two-sided').
EXACT_TRIPLES = [
    (1, 1, 1.0), (10, 10, 0.3), (100, 100, 0.15), (100, 100, 0.001), (14, 14, 1 / 14),
    (1000, 1000, 0.066), (5000, 5000, 0.02), (10000, 10000, 0.01), (10000, 10000, 0.1),
    (1, 5, 0.8), (7, 13, 0.5), (50, 60, 0.1333333333333333), (100, 150, 0.1234),
    (600, 400, 0.10083333333333333), (2000, 1500, 0.0756666666666666), (500, 800, 0.3765),
    (3, 10000, 0.6), (9999, 10000, 0.02), (9999, 10000, 0.05), (4000, 6000, 0.5),
]

# (n1, n2, shift, seed): normal samples fed to the real ks_2samp (auto and asymp).
KS_2SAMP_SAMPLES = [
    (5, 7, 0.5, 1), (30, 30, 0.3, 2), (123, 457, 0.2, 3), (1000, 1000, 0.1, 4), (2500, 4000, 0.05, 5),
    (9000, 10000, 0.03, 6), (10000, 10000, 0.02, 7), (10001, 200, 0.1, 8), (12000, 15000, 0.03, 9),
    (20000, 30000, 0.0, 10),
]


def kolmogorov_block():
    print("    // KolmogorovSf: n, x, branch, kstwo.sf(x, n)")
    for n, x in KOLMOGOROV_SF:
        print(f'    {{ {n}, {lit(x)}, "{branch_of(n, x)}", {lit(stats.kstwo.sf(x, n))} }},')


def kolmogorov_cdf_block():
    print("    // KolmogorovCdf: n, x, kstwo.cdf(x, n)")
    for n, x in KOLMOGOROV_CDF:
        print(f"    {{ {n}, {lit(x)}, {lit(stats.kstwo.cdf(x, n))} }},")


def smirnov_block():
    print("    // SmirnovSf: n, x, branch, smirnov(n, x)")
    for n, x, label in SMIRNOV_SF:
        print(f'    {{ {n}, {lit(x)}, "{label}", {lit(special.smirnov(n, x))} }},')


def kolmogorov_limit_block():
    print("    // KolmogorovLimitSf: x, kolmogorov(x)")
    for x in KOLMOGOROV_LIMIT_SF:
        print(f"    {{ {lit(x)}, {lit(special.kolmogorov(x))} }},")


def exact_block():
    print("    // TwoSampleExactPValue: n1, n2, d, _attempt_exact_2kssamp p (NaN = attempt failed)")
    for n1, n2, d in EXACT_TRIPLES:
        ok, _, p = _attempt_exact_2kssamp(n1, n2, gcd(n1, n2), d, "two-sided")
        print(f"    {{ {n1}, {n2}, {lit(d)}, {lit(p if ok else np.nan)} }},")


def ks_2samp_block():
    # method='auto' reports d rounded to h/lcm when it went exact; method='asymp' keeps the raw ECDF
    # difference, which can differ in the last bits, so both statistics are kept.
    print("    // ks_2samp on samples: n1, n2, statistic (auto), pvalue (auto), statistic (asymp), pvalue (asymp)")
    rng_cases = []
    for n1, n2, shift, seed in KS_2SAMP_SAMPLES:
        rng = np.random.default_rng(seed)
        rng_cases.append((rng.normal(size=n1), rng.normal(loc=shift, size=n2)))
    # Exact attempt fails (p = 1 + 2^-52) and SciPy falls back to the asymptotic distribution.
    rng_cases.append((np.arange(14.0), np.arange(14.0) + 0.5))
    for a, b in rng_cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            auto = stats.ks_2samp(a, b)
            asymp = stats.ks_2samp(a, b, method="asymp")
        print(f"    {{ {len(a)}, {len(b)}, {lit(auto.statistic)}, {lit(auto.pvalue)}, "
              f"{lit(asymp.statistic)}, {lit(asymp.pvalue)} }},")


def chi2_block():
    print("    // ChiSquared.Sf: x, dof, chi2.sf(x, dof)")
    cases = [
        (0.0, 3.0), (-1.0, 3.0), (1e-8, 1.0), (0.3, 1.0), (0.3, 2.0), (0.9, 1.0), (1.0, 2.0), (3.84, 1.0),
        (11.07, 5.0), (2.5, 3.7), (50.0, 40.0), (45.0, 60.0), (250.0, 230.0), (5000.5, 5000.0),
        (1066.93, 4.0), (1643.3, 19.0), (1400.0, 19.0), (1500.0, 100.0), (30.0, 1.0), (1e-3, 0.5),
        (700.0, 3.0), (1e5, 99999.0), (0.2, 7.0),
    ]
    for x, dof in cases:
        print(f"    {{ {lit(x)}, {lit(dof)}, {lit(stats.chi2.sf(x, dof))} }},")


def normal_block():
    print("    // StandardNormal: z, norm.cdf(z), norm.sf(z)")
    for z in [-40.0, -38.5, -37.5, -20.0, -10.0, -8.0, -5.0, -1.5, -0.7, -1e-300, 0.0, 0.3, 0.70710678,
              1.0, 1.96, 3.0, 6.0, 10.0, 11.3137, 20.0, 37.0, 38.6]:
        print(f"    {{ {lit(z)}, {lit(stats.norm.cdf(z))}, {lit(stats.norm.sf(z))} }},")


if __name__ == "__main__":
    print(f"// Generated by generate_ks_reference.py with SciPy {scipy.__version__}, NumPy {np.__version__}")
    kolmogorov_block()
    kolmogorov_cdf_block()
    smirnov_block()
    kolmogorov_limit_block()
    exact_block()
    ks_2samp_block()
    chi2_block()
    normal_block()
